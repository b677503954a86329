// scale.f32.ref — Out = X * scale + bias (bias_after_scale) or (X + bias) * scale, then the
// activation Lite's fusion passes may attach (`activation_type` relu / relu6 / leaky_relu,
// with `alpha`) and, with `fuse_scaleact`, a second affine map (scale1, bias1).
// A ScaleTensor input, when present, overrides `scale` at run time.
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace scale_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

struct Affine {
  float scale = 1.f, bias = 0.f;
  bool bias_after_scale = true;
};

class ScaleRef final : public Kernel {
 public:
  ScaleRef(const Affine& a, const Activation& act, bool second, float scale1, float bias1)
      : a_(a), act_(act), second_(second), scale1_(scale1), bias1_(bias1) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Out");
    if (const Tensor* s = ctx.input("ScaleTensor")) {
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, s, "ScaleTensor"));
      if (s->numel() < 1) return Status::Invalid(op + ": ScaleTensor is empty");
    }
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X");
    const float* x = x_t->data<float>();
    float* y = ctx.output("Out")->mutable_data<float>();
    if (!x || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
    float scale = a_.scale;
    if (const Tensor* s = ctx.input("ScaleTensor")) {
      if (!s->raw()) return Status::Internal(ctx.op().type + ": unbound ScaleTensor");
      scale = s->data<float>()[0];
    }
    const int64_t n = x_t->numel();
    // Paddle folds the bias through the scale rather than adding before multiplying.
    const float bias = a_.bias_after_scale ? a_.bias : a_.bias * scale;
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] * scale + bias;
    act_.apply(y, n);
    if (second_)
      for (int64_t i = 0; i < n; ++i) y[i] = y[i] * scale1_ + bias1_;
    return Status::Ok();
  }

 private:
  Affine a_;
  Activation act_;
  bool second_;
  float scale1_, bias1_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Affine a;
  a.scale = static_cast<float>(op.get_float("scale", 1.0));
  a.bias = static_cast<float>(op.get_float("bias", 0.0));
  a.bias_after_scale = op.get_bool("bias_after_scale", true);
  Activation act;
  const std::string act_type = op.get_string("activation_type", "");
  bool second = false;
  float scale1 = 1.f, bias1 = 0.f;
  if (!act_type.empty()) {
    TAILOR_RETURN_IF_ERROR(init.activation(act_type, &act));
    // scale spells the relu6 threshold and the leaky_relu slope `alpha` (ScaleOp::AttachImpl).
    if (act_type == "relu6" || act_type == "leaky_relu")
      act.alpha = static_cast<float>(op.get_float("alpha", 6.0));
    if (op.get_bool("fuse_scaleact", false)) {
      second = true;
      scale1 = static_cast<float>(op.get_float("scale1", 1.0));
      bias1 = static_cast<float>(op.get_float("bias1", 0.0));
    }
  }
  out->reset(new ScaleRef(a, act, second, scale1, bias1));
  return Status::Ok();
}

}  // namespace scale_f32_ref
}  // namespace kernels
}  // namespace tailor
