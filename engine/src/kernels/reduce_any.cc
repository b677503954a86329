// reduce_any (bool): true where any element is true over `dim`. Dims, keep_dim and reduce_all follow
// shape_util::plan_reduce (a full reduction gives [1]). Bytes other than 0 count as true.
#include <cstdint>
#include <string>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_any_any_ref {

namespace su = helpers::shape_util;

namespace {

class Reduce final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (x->dtype() != DType::kBool)
      return Status::Unsupported(op + ": X has dtype " + dtype_name(x->dtype()) + ", expected bool");
    TAILOR_RETURN_IF_ERROR(su::plan_reduce(ctx, op, *x, &plan_));
    out->set_shape(DType::kBool, plan_.out_dims);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* xt = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!xt || !out || !xt->raw() || !out->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const uint8_t* x = xt->data<uint8_t>();
    uint8_t* acc = out->mutable_data<uint8_t>();
    const int64_t n = out->numel();
    for (int64_t i = 0; i < n; ++i) acc[i] = 0;
    su::for_each_reduced(plan_, [&](int64_t o, int64_t i) { acc[o] = acc[o] || x[i] != 0; });
    return Status::Ok();
  }

 private:
  su::ReducePlan plan_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Reduce>("reduce_any.any.ref", out);
}

}  // namespace reduce_any_any_ref
}  // namespace kernels
}  // namespace tailor
