// roll (any dtype): Out[i] = X[(i - shift) mod n] along each dim of `axis`;
// without `axis`, X is rolled as one flat dim (Paddle; Paddle Lite's host
// kernel rolls a wrong 1-D view there). Shifts come from ShiftsTensor (a
// constant) else the `shifts` attribute, one per axis; an axis listed twice
// gets the sum of its shifts.
#include <cstring>

#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace roll_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class Roll final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    std::vector<int64_t> shifts;
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "ShiftsTensor", nullptr, "shifts", &shifts));
    const std::vector<int64_t> axes = ctx.op().get_ints("axis");
    if (axes.empty()) {
      if (shifts.size() != 1) return Status::Invalid(op + ": without axis, shifts must hold one value");
      dims_ = {x->numel()};
      shift_ = {0};
    } else {
      if (shifts.size() != axes.size()) {
        return Status::Invalid(op + ": shifts " + su::ints_str(shifts) + " and axis " + su::ints_str(axes) +
                               " differ in length");
      }
      dims_ = x->dims();
      shift_.assign(dims_.size(), 0);
    }
    for (size_t i = 0; i < shifts.size(); ++i) {
      int axis = 0;
      if (!axes.empty()) TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis entry", axes[i], x->rank(), &axis));
      const int64_t n = dims_[static_cast<size_t>(axis)];
      int64_t& s = shift_[static_cast<size_t>(axis)];
      s = ((s + shifts[i] % n) % n + n) % n;  // each term is < n in magnitude: no overflow
    }
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
      return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
    }
    const size_t elem = dtype_size(x->dtype());
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(out->raw_mut());
    const size_t r = dims_.size();
    const int64_t inner = dims_[r - 1], s = shift_[r - 1];
    const std::vector<int64_t> strides = su::strides_of(dims_);
    std::vector<int64_t> idx(r, 0);  // index of the current output row (last entry unused)
    const int64_t rows = x->numel() / inner;
    for (int64_t row = 0; row < rows; ++row) {
      int64_t from = 0;  // source row start, in elements
      for (size_t d = 0; d + 1 < r; ++d) {
        const int64_t n = dims_[d];
        from += ((idx[d] - shift_[d] + n) % n) * strides[d];
      }
      // Along the last dim the rolled row is two contiguous runs.
      std::memcpy(dst, src + (from + inner - s) * static_cast<int64_t>(elem), static_cast<size_t>(s) * elem);
      std::memcpy(dst + s * static_cast<int64_t>(elem), src + from * static_cast<int64_t>(elem),
                  static_cast<size_t>(inner - s) * elem);
      dst += inner * static_cast<int64_t>(elem);
      for (size_t d = r - 1; d-- > 0;) {  // odometer over the outer dims
        if (++idx[d] < dims_[d]) break;
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  Dims dims_;                   // the rolled view of X (X's dims, or [numel])
  std::vector<int64_t> shift_;  // per dim of dims_, in [0, dim)
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Roll>("roll.any.ref", out);
}

}  // namespace roll_any_ref
}  // namespace kernels
}  // namespace tailor
