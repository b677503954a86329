// shape: the dims of Input as an int32 tensor [rank]. The values depend only
// on the input's shape, never on its data.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace shape_any_ref {

namespace su = helpers::shape_util;

namespace {

class Shape final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Input", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    // A 0-D input would give a zero-size output.
    if (x->rank() == 0) return Status::Unsupported(op + ": the shape of a 0-D tensor is empty");
    for (int64_t d : x->dims()) {
      if (d > INT32_MAX) return Status::Invalid(op + ": dim " + std::to_string(d) + " does not fit int32");
    }
    out->set_shape(DType::kI32, Dims{x->rank()});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("Input", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
    int32_t* o = out->mutable_data<int32_t>();
    for (int i = 0; i < x->rank(); ++i) o[i] = static_cast<int32_t>(x->dim(i));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Shape>("shape.any.ref", out);
}

}  // namespace shape_any_ref
}  // namespace kernels
}  // namespace tailor
