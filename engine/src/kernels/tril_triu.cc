// tril_triu (any dtype): keeps the lower (lower = true: col - row <= diagonal)
// or upper (col - row >= diagonal) triangle of each matrix in X's last two
// dims and zeroes the rest.
#include <algorithm>
#include <cstring>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace tril_triu_any_ref {

namespace su = helpers::shape_util;

namespace {

class TrilTriu final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (x->rank() < 2) return Status::Invalid(op + ": X must have at least 2 dims, got " + su::dims_str(x->dims()));
    const int64_t diag = ctx.op().get_int("diagonal", 0);
    // Beyond +-cols/rows the mask no longer changes: clamp so the arithmetic stays small.
    diagonal_ = std::min(std::max(diag, -x->dim(-2) - 1), x->dim(-1) + 1);
    lower_ = ctx.op().get_bool("lower", true);
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut()) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    const int64_t rows = x->dim(-2), cols = x->dim(-1);
    const int64_t elem = static_cast<int64_t>(dtype_size(x->dtype()));
    const int64_t mats = x->numel() / (rows * cols);
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(out->raw_mut());
    for (int64_t m = 0; m < mats; ++m) {
      for (int64_t i = 0; i < rows; ++i) {
        // Kept columns: [0, i + diagonal] (lower) or [i + diagonal, cols) (upper).
        const int64_t edge = i + diagonal_;
        const int64_t keep_lo = lower_ ? 0 : std::min(std::max<int64_t>(edge, 0), cols);
        const int64_t keep_hi = lower_ ? std::min(std::max<int64_t>(edge + 1, 0), cols) : cols;
        const int64_t at = ((m * rows) + i) * cols;
        if (src != dst) std::memmove(dst + at * elem, src + at * elem, static_cast<size_t>(cols * elem));
        std::memset(dst + at * elem, 0, static_cast<size_t>(keep_lo * elem));
        std::memset(dst + (at + keep_hi) * elem, 0, static_cast<size_t>((cols - keep_hi) * elem));
      }
    }
    return Status::Ok();
  }

 private:
  int64_t diagonal_ = 0;
  bool lower_ = true;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<TrilTriu>("tril_triu.any.ref", out);
}

}  // namespace tril_triu_any_ref
}  // namespace kernels
}  // namespace tailor
