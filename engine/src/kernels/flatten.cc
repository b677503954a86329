// flatten / flatten2 (any dtype): [d0..d(axis-1)] x [d(axis)..] -> 2-D.
// Paddle Lite accepts any axis >= 0; an axis past the rank puts every dim in
// the outer product, giving [numel, 1].
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace flatten_any_ref {

namespace su = helpers::shape_util;

namespace {

class Flatten final : public su::ReshapeRule {
 private:
  Status out_dims(const OpContext& ctx, const std::string& op, const Dims& x_dims, Dims* out) const override {
    const int64_t axis = ctx.op().get_int("axis", 1);
    if (axis < 0) return Status::Invalid(op + ": axis " + std::to_string(axis) + " must be >= 0");
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < x_dims.size(); ++i) {
      (static_cast<int64_t>(i) < axis ? outer : inner) *= x_dims[i];  // bounded by numel
    }
    *out = {outer, inner};
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Flatten>("flatten.any.ref", out);
}

}  // namespace flatten_any_ref
}  // namespace kernels
}  // namespace tailor
