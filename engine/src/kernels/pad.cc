// pad (constant): Out = X with paddings[2i] values before and paddings[2i+1]
// after dim i, filled with pad_value (converted to X's dtype).
#include <cstring>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace pad_any_ref {

namespace su = helpers::shape_util;

namespace {

template <typename T>
void fill(void* dst, int64_t n, double value) {
  const T v = static_cast<T>(value);
  T* d = static_cast<T*>(dst);
  for (int64_t i = 0; i < n; ++i) d[i] = v;
}

class Pad final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    const DType t = x->dtype();
    if (t != DType::kF32 && t != DType::kF64 && t != DType::kI32 && t != DType::kI64) {
      return Status::Unsupported(op + ": unsupported dtype " + dtype_name(t));
    }
    const std::vector<int64_t> pads = ctx.op().get_ints("paddings");
    const int rank = x->rank();
    if (pads.size() != 2 * static_cast<size_t>(rank)) {
      return Status::Invalid(op + ": paddings " + su::ints_str(pads) + " must hold 2 values per dim of " +
                             su::dims_str(x->dims()));
    }
    value_ = ctx.op().get_float("pad_value", 0.0);
    const double limit = t == DType::kI32 ? 2147483647.0 : 9.2e18;
    if ((t == DType::kI32 || t == DType::kI64) && !(value_ >= -limit && value_ <= limit)) {
      return Status::Invalid(op + ": pad_value does not fit the integer dtype");  // the cast would be UB
    }
    if (t == DType::kF32 && (value_ > 3.4028234663852886e38 || value_ < -3.4028234663852886e38) &&
        value_ - value_ == 0) {  // finite but beyond float: also UB to convert
      return Status::Invalid(op + ": pad_value does not fit float32");
    }
    Dims out_dims(static_cast<size_t>(rank));
    before_.assign(static_cast<size_t>(rank), 0);
    for (int d = 0; d < rank; ++d) {
      const int64_t b = pads[2 * static_cast<size_t>(d)], a = pads[2 * static_cast<size_t>(d) + 1];
      if (b < 0 || a < 0 || b > su::kMaxElements || a > su::kMaxElements) {
        return Status::Invalid(op + ": paddings " + su::ints_str(pads) + " must be >= 0");
      }
      out_dims[static_cast<size_t>(d)] = x->dim(d) + b + a;
      before_[static_cast<size_t>(d)] = b;
    }
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    out->set_shape(t, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
      return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
    }
    const int64_t total = out->numel();
    switch (x->dtype()) {
      case DType::kF32: fill<float>(out->raw_mut(), total, value_); break;
      case DType::kF64: fill<double>(out->raw_mut(), total, value_); break;
      case DType::kI32: fill<int32_t>(out->raw_mut(), total, value_); break;
      case DType::kI64: fill<int64_t>(out->raw_mut(), total, value_); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    if (x->rank() == 0) {
      std::memcpy(out->raw_mut(), x->raw(), dtype_size(x->dtype()));
      return Status::Ok();
    }
    // Copy X's rows (its last dim) into the interior of Out.
    const size_t r = static_cast<size_t>(x->rank());
    const int64_t elem = static_cast<int64_t>(dtype_size(x->dtype()));
    const std::vector<int64_t> out_strides = su::strides_of(out->dims());
    const int64_t row = x->dim(-1);
    const int64_t rows = x->numel() / row;
    std::vector<int64_t> idx(r, 0);
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(out->raw_mut());
    for (int64_t k = 0; k < rows; ++k) {
      int64_t at = before_[r - 1];
      for (size_t d = 0; d + 1 < r; ++d) at += (idx[d] + before_[d]) * out_strides[d];
      std::memcpy(dst + at * elem, src + k * row * elem, static_cast<size_t>(row * elem));
      for (size_t d = r - 1; d-- > 0;) {  // odometer over X's outer dims
        if (++idx[d] < x->dim(static_cast<int>(d))) break;
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<int64_t> before_;  // leading pad per dim
  double value_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Pad>("pad.any.ref", out);
}

}  // namespace pad_any_ref
}  // namespace kernels
}  // namespace tailor
