// calib.i8.ref — Paddle Lite's `calib` op quantizing a float tensor for int8 kernels (kernel key precision
// kInt8, alias fp32_to_int8): out = to_int8(x * (1 / scale)) (helpers/int8-quant: -127..127, half away from
// zero), as lite/kernels/arm/calib_compute.cc with type_trans.cc. The other calib aliases (int8_to_fp32, ...)
// do not occur in the fixture models and are refused.
#include <cmath>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/int8-quant/quant.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace calib_i8_ref {
namespace {

namespace q8 = helpers::int8_quant;
namespace shp = helpers::tensor_checks;

class CalibFp32ToInt8 final : public Kernel {
 public:
  explicit CalibFp32ToInt8(float scale) : scale_(scale) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    Tensor* out = ctx.output("Out");
    if (!x) return Status::BadModel(op + ": missing input Input");
    if (!out) return Status::BadModel(op + ": missing output Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    out->set_shape(DType::kI8, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("Input");
    Tensor* out = ctx.output("Out");
    if (!x->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t n = x->numel();
    const float inv = 1.f / scale_;  // Lite multiplies by the reciprocal
    const float* in = x->data<float>();
    int8_t* o = out->mutable_data<int8_t>();
    for (int64_t i = 0; i < n; ++i) o[i] = q8::to_int8(in[i] * inv);
    return Status::Ok();
  }

 private:
  float scale_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  const std::string& alias = op.key.alias;
  if (alias != "fp32_to_int8")
    return Status::Unsupported(op.type + ": calib kernel '" + alias + "' (only fp32_to_int8 is supported)");
  const float scale = static_cast<float>(op.get_float("scale", 0.0));
  if (!std::isfinite(scale) || !(scale > 0.f))
    return Status::BadModel(op.type + ": scale must be finite and positive");
  out->reset(new CalibFp32ToInt8(scale));
  return Status::Ok();
}

}  // namespace calib_i8_ref
}  // namespace kernels
}  // namespace tailor
