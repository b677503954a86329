// fill_any_like: Out of X's shape filled with `value`, of dtype `dtype` (Paddle VarType; -1, the
// default, keeps X's dtype). X's data is not read.
#include <string>

#include "helpers/logic/logic_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace fill_any_like_any_ref {

namespace su = helpers::shape_util;
namespace lu = helpers::logic_util;

namespace {

class FillAnyLike final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    const int64_t dtype = ctx.op().get_int("dtype", -1);
    if (dtype < -1 || dtype > 255) {
      return Status::Unsupported(op + ": unsupported dtype " + std::to_string(dtype));
    }
    const DType t = dtype == -1 ? x->dtype() : static_cast<DType>(dtype);
    if (!lu::fillable(t)) return Status::Unsupported(op + ": unsupported dtype " + dtype_name(t));
    value_ = ctx.op().get_float("value", 0.0);
    out->set_shape(t, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* out = ctx.output("Out", 0);
    if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": output not bound at run");
    lu::fill(out, value_);
    return Status::Ok();
  }

 private:
  double value_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<FillAnyLike>("fill_any_like.any.ref", out);
}

}  // namespace fill_any_like_any_ref
}  // namespace kernels
}  // namespace tailor
