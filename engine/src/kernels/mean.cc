// mean.f32.ref — the mean op: Out[0] = the mean of every element of X, accumulated in double.
// Out is [1] (Paddle Lite; Paddle 2.x gives a 0-D tensor of the same single value).
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace mean_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class MeanRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    out->set_shape(DType::kF32, {1});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const float* in = x->data<float>();
    const int64_t n = x->numel();
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += in[i];
    out->mutable_data<float>()[0] = static_cast<float>(sum / static_cast<double>(n));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<MeanRef>("mean.f32.ref", out);
}

}  // namespace mean_f32_ref
}  // namespace kernels
}  // namespace tailor
