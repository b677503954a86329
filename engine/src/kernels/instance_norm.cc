// instance_norm.f32.ref — normalizes each (sample, channel) plane of NC... input over its
// spatial elements: Y = (X - mean) / sqrt(var + epsilon) * Scale[c] + Bias[c] (Scale/Bias
// optional). SavedMean / SavedVariance are left unset (training only).
#include <cmath>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace instance_norm_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class InstanceNormRef final : public Kernel {
 public:
  explicit InstanceNormRef(float eps) : eps_(eps) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Y");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Y");
    if (x->rank() < 2 || x->rank() > 5)
      return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must have rank 2..5");
    channels_ = x->dim(1);
    planes_ = x->dim(0) * channels_;
    plane_ = 1;
    for (int i = 2; i < x->rank(); ++i) plane_ *= x->dim(i);
    for (const char* slot : {"Scale", "Bias"}) {
      if (const Tensor* t = ctx.input(slot)) {
        TAILOR_RETURN_IF_ERROR(shp::require_f32(op, t, slot));
        if (t->numel() != channels_)
          return Status::BadModel(op + ": " + slot + " " + shp::str(t->dims()) + " must have " +
                                  std::to_string(channels_) + " elements");
      }
    }
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    const Tensor* s_t = ctx.input("Scale");
    const Tensor* b_t = ctx.input("Bias");
    const float* scale = s_t ? s_t->data<float>() : nullptr;
    const float* bias = b_t ? b_t->data<float>() : nullptr;
    float* y = ctx.output("Y")->mutable_data<float>();
    if (!x || !y || (s_t && !scale) || (b_t && !bias))
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    for (int64_t p = 0; p < planes_; ++p) {
      const float* in = x + p * plane_;
      float* out = y + p * plane_;
      const int64_t c = p % channels_;
      double sum = 0, sq = 0;
      for (int64_t i = 0; i < plane_; ++i) sum += in[i];
      const double mean = plane_ ? sum / static_cast<double>(plane_) : 0.0;
      for (int64_t i = 0; i < plane_; ++i) sq += (in[i] - mean) * (in[i] - mean);
      const double inv = 1.0 / std::sqrt((plane_ ? sq / static_cast<double>(plane_) : 0.0) + eps_);
      const float a = static_cast<float>(inv) * (scale ? scale[c] : 1.f);
      const float b = bias ? bias[c] : 0.f;
      for (int64_t i = 0; i < plane_; ++i) out[i] = static_cast<float>(in[i] - mean) * a + b;
    }
    return Status::Ok();
  }

 private:
  float eps_;
  int64_t channels_ = 0, planes_ = 0, plane_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const float eps = static_cast<float>(init.op().get_float("epsilon", 1e-5));
  if (!(eps >= 0.f)) return Status::BadModel("instance_norm: negative epsilon");
  out->reset(new InstanceNormRef(eps));
  return Status::Ok();
}

}  // namespace instance_norm_f32_ref
}  // namespace kernels
}  // namespace tailor
