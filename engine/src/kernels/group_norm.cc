// group_norm.f32.ref — splits the C channels of NC... input into `groups` groups and normalizes each
// (sample, group) block over its channels and spatial elements:
// Y = (X - mean) / sqrt(var + epsilon) * Scale[c] + Bias[c] (Scale/Bias optional). The optional Mean /
// Variance outputs ([N, groups]) get each block's mean and (biased) variance, as Paddle writes them.
#include <cstdint>
#include <memory>
#include <new>
#include <string>

#include "core/kernel.h"
#include "helpers/norm/norm.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace group_norm_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;
namespace nrm = helpers::norm;

class GroupNormRef final : public Kernel {
 public:
  explicit GroupNormRef(float eps) : eps_(eps) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x;
    Tensor* y;
    TAILOR_RETURN_IF_ERROR(nrm::input_output(ctx, &x, &y));
    const std::string layout = ctx.op().get_string("data_layout", "NCHW");
    if (layout != "NCHW" && layout != "AnyLayout")
      return Status::Unsupported(op + ": data_layout '" + layout + "' (only NCHW)");
    if (x->rank() < 2 || x->rank() > 5)
      return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must have rank 2..5");
    batch_ = x->dim(0);
    channels_ = x->dim(1);
    const int64_t groups = ctx.op().get_int("groups", 1);
    if (groups < 1 || groups > channels_ || channels_ % groups != 0)
      return Status::BadModel(op + ": groups " + std::to_string(groups) + " must divide the " +
                              std::to_string(channels_) + " channels of X " + shp::str(x->dims()));
    groups_ = groups;
    plane_ = 1;
    for (int i = 2; i < x->rank(); ++i) plane_ *= x->dim(i);
    TAILOR_RETURN_IF_ERROR(nrm::check_scale_bias(ctx, op, channels_));
    y->set_shape(DType::kF32, x->dims());
    for (const char* slot : {"Mean", "Variance"})
      if (Tensor* t = ctx.output(slot)) t->set_shape(DType::kF32, {batch_, groups_});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    nrm::Data d;
    TAILOR_RETURN_IF_ERROR(nrm::bind(ctx, &d));
    Tensor* mean_t = ctx.output("Mean");
    Tensor* var_t = ctx.output("Variance");
    float* mean_out = mean_t ? mean_t->mutable_data<float>() : nullptr;
    float* var_out = var_t ? var_t->mutable_data<float>() : nullptr;
    const int64_t group_channels = channels_ / groups_;
    const int64_t block = group_channels * plane_;
    for (int64_t b = 0; b < batch_ * groups_; ++b) {
      const float* in = d.x + b * block;
      float* out = d.y + b * block;
      double mean, inv;
      nrm::mean_inv_std(in, block, eps_, &mean, &inv);
      if (mean_out) mean_out[b] = static_cast<float>(mean);
      if (var_out) var_out[b] = static_cast<float>(1.0 / (inv * inv) - eps_);
      for (int64_t gc = 0; gc < group_channels; ++gc) {
        const int64_t c = (b % groups_) * group_channels + gc;
        const float a = static_cast<float>(inv) * (d.scale ? d.scale[c] : 1.f);
        const float bias = d.bias ? d.bias[c] : 0.f;
        const float* pin = in + gc * plane_;
        float* pout = out + gc * plane_;
        for (int64_t i = 0; i < plane_; ++i) pout[i] = static_cast<float>(pin[i] - mean) * a + bias;
      }
    }
    return Status::Ok();
  }

 private:
  float eps_;
  int64_t batch_ = 0, channels_ = 0, groups_ = 1, plane_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  float eps;
  TAILOR_RETURN_IF_ERROR(nrm::epsilon(init, "group_norm", &eps));
  out->reset(new (std::nothrow) GroupNormRef(eps));
  return *out ? Status::Ok() : Status::NoMemory("group_norm.f32.ref: out of memory creating kernel");
}

}  // namespace group_norm_f32_ref
}  // namespace kernels
}  // namespace tailor
