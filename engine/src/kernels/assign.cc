// assign (any dtype): Out = X, a copy.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace assign_any_ref {

namespace su = helpers::shape_util;

namespace {

class Assign final : public su::ReshapeLike {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Assign>("assign.any.ref", out);
}

}  // namespace assign_any_ref
}  // namespace kernels
}  // namespace tailor
