// fill_zeros_like: Out of X's shape and dtype, all zeros. X's data is not read.
#include "helpers/logic/logic_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace fill_zeros_like_any_ref {

namespace su = helpers::shape_util;
namespace lu = helpers::logic_util;

namespace {

class FillZerosLike final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (!lu::fillable(x->dtype())) {
      return Status::Unsupported(op + ": unsupported dtype " + dtype_name(x->dtype()));
    }
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* out = ctx.output("Out", 0);
    if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": output not bound at run");
    lu::fill(out, 0.0);
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<FillZerosLike>("fill_zeros_like.any.ref", out);
}

}  // namespace fill_zeros_like_any_ref
}  // namespace kernels
}  // namespace tailor
