// calib.i8.ref — Paddle Lite's `calib` op between float and int8 tensors (kernel key precision kInt8):
// alias fp32_to_int8: out = to_int8(x * (1 / scale)) (helpers/int8-quant: -127..127, half away from zero);
// alias int8_to_fp32: out = float(x) * scale. As lite/kernels/arm/calib_compute.cc with type_trans.cc.
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

class CalibInt8 final : public Kernel {
 public:
  CalibInt8(bool to_int8, float scale) : to_int8_(to_int8), scale_(scale) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    Tensor* out = ctx.output("Out");
    if (!x) return Status::BadModel(op + ": missing input Input");
    if (!out) return Status::BadModel(op + ": missing output Out");
    const DType want = to_int8_ ? DType::kF32 : DType::kI8;
    if (x->dtype() != want)
      return Status::Unsupported(op + ": " + ctx.op().key.alias + " input has dtype " + dtype_name(x->dtype()));
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, x->dims()));
    out->set_shape(to_int8_ ? DType::kI8 : DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("Input");
    Tensor* out = ctx.output("Out");
    if (!x->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t n = x->numel();
    if (to_int8_) {
      const float inv = 1.f / scale_;
      const float* in = x->data<float>();
      int8_t* o = out->mutable_data<int8_t>();
      for (int64_t i = 0; i < n; ++i) o[i] = q8::to_int8(in[i] * inv);
    } else {
      const int8_t* in = x->data<int8_t>();
      float* o = out->mutable_data<float>();
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<float>(in[i]) * scale_;
    }
    return Status::Ok();
  }

 private:
  bool to_int8_;
  float scale_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  const std::string& alias = op.key.alias;
  if (alias != "fp32_to_int8" && alias != "int8_to_fp32")
    return Status::Unsupported(op.type + ": calib kernel '" + alias + "' (only fp32_to_int8, int8_to_fp32)");
  const float scale = static_cast<float>(op.get_float("scale", 0.0));
  if (!std::isfinite(scale) || !(scale > 0.f))
    return Status::BadModel(op.type + ": scale must be finite and positive");
  out->reset(new CalibInt8(alias == "fp32_to_int8", scale));
  return Status::Ok();
}

}  // namespace calib_i8_ref
}  // namespace kernels
}  // namespace tailor
