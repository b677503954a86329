// instance_norm.f32.ref — normalizes each (sample, channel) plane of NC... input over its
// spatial elements: Y = (X - mean) / sqrt(var + epsilon) * Scale[c] + Bias[c] (Scale/Bias
// optional). SavedMean / SavedVariance are left unset (training only).
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/norm/norm.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace instance_norm_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;
namespace nrm = helpers::norm;

class InstanceNormRef final : public Kernel {
 public:
  explicit InstanceNormRef(float eps) : eps_(eps) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x;
    Tensor* y;
    TAILOR_RETURN_IF_ERROR(nrm::input_output(ctx, &x, &y));
    if (x->rank() < 2 || x->rank() > 5)
      return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must have rank 2..5");
    channels_ = x->dim(1);
    planes_ = x->dim(0) * channels_;
    plane_ = 1;
    for (int i = 2; i < x->rank(); ++i) plane_ *= x->dim(i);
    TAILOR_RETURN_IF_ERROR(nrm::check_scale_bias(ctx, op, channels_));
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    nrm::Data d;
    TAILOR_RETURN_IF_ERROR(nrm::bind(ctx, &d));
    const float *x = d.x, *scale = d.scale, *bias = d.bias;
    float* y = d.y;
    for (int64_t p = 0; p < planes_; ++p) {
      const float* in = x + p * plane_;
      float* out = y + p * plane_;
      const int64_t c = p % channels_;
      double mean, inv;
      nrm::mean_inv_std(in, plane_, eps_, &mean, &inv);
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
  float eps;
  TAILOR_RETURN_IF_ERROR(nrm::epsilon(init, "instance_norm", &eps));
  out->reset(new InstanceNormRef(eps));
  return Status::Ok();
}

}  // namespace instance_norm_f32_ref
}  // namespace kernels
}  // namespace tailor
