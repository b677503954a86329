// cumsum: running sum of X along `axis` (negative counts from the end); `flatten` sums over all
// elements in row-major order and gives a 1-D Out, `exclusive` starts each sum at 0 (element k
// sums the k before it), `reverse` sums from the end. float32/float64 add in the input type in
// Paddle Lite's order; int32/int64 wrap on overflow (two's complement, no UB).
#include <type_traits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace cumsum_any_ref {

namespace su = helpers::shape_util;

namespace {

template <typename T>
T add(T a, T b) {
  if constexpr (std::is_integral<T>::value) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return a + b;
  }
}

// Sums `count` elements `post` apart, from the first or (reverse) the last.
template <typename T>
void scan(const T* x, T* out, int64_t count, int64_t post, bool exclusive, bool reverse) {
  const int64_t step = reverse ? -post : post;
  int64_t at = reverse ? (count - 1) * post : 0;
  T sum = T(0);
  for (int64_t k = 0; k < count; ++k, at += step) {
    if (exclusive) {
      const T v = x[at];
      out[at] = sum;
      sum = add(sum, v);
    } else {
      sum = add(sum, x[at]);
      out[at] = sum;
    }
  }
}

template <typename T>
void cumsum(const T* x, T* out, int64_t pre, int64_t count, int64_t post, bool exclusive, bool reverse) {
  for (int64_t i = 0; i < pre; ++i) {
    for (int64_t j = 0; j < post; ++j) {
      const int64_t base = i * count * post + j;
      scan(x + base, out + base, count, post, exclusive, reverse);
    }
  }
}

class Cumsum final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    switch (x->dtype()) {
      case DType::kF32: case DType::kF64: case DType::kI32: case DType::kI64: break;
      default: return Status::Unsupported(op + ": unsupported input dtype " + dtype_name(x->dtype()));
    }
    exclusive_ = ctx.op().get_bool("exclusive", false);
    reverse_ = ctx.op().get_bool("reverse", false);
    if (ctx.op().get_bool("flatten", false) || x->rank() <= 1) {
      pre_ = 1;
      count_ = x->numel();
      post_ = 1;
      out->set_shape(x->dtype(), ctx.op().get_bool("flatten", false) ? Dims{x->numel()} : x->dims());
      return Status::Ok();
    }
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", -1), x->rank(), &axis));
    pre_ = count_ = post_ = 1;
    for (int d = 0; d < x->rank(); ++d) {
      (d < axis ? pre_ : d == axis ? count_ : post_) *= x->dim(d);
    }
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut()) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    switch (x->dtype()) {
      case DType::kF32: scan_all<float>(*x, out); break;
      case DType::kF64: scan_all<double>(*x, out); break;
      case DType::kI32: scan_all<int32_t>(*x, out); break;
      case DType::kI64: scan_all<int64_t>(*x, out); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }

 private:
  template <typename T>
  void scan_all(const Tensor& x, Tensor* out) const {
    cumsum(x.data<T>(), out->mutable_data<T>(), pre_, count_, post_, exclusive_, reverse_);
  }

  int64_t pre_ = 1, count_ = 1, post_ = 1;
  bool exclusive_ = false, reverse_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Cumsum>("cumsum.any.ref", out);
}

}  // namespace cumsum_any_ref
}  // namespace kernels
}  // namespace tailor
