// anchor_generator: Faster R-CNN anchors for each cell of Input [N, C, H, W]: Anchors and Variances
// [H, W, R*S, 4] in pixel corners, ratio-major (for each aspect ratio, each anchor size). Like Paddle
// and Lite, the base shape is rounded on the stride grid (base_w = round(sqrt(stride area / ratio)),
// base_h = round(base_w * ratio)) and corners are centre -/+ (size - 1) / 2.
#include <cmath>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace anchor_generator_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

class AnchorGenerator final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const OpDesc& d = ctx.op();
    const Tensor* in = nullptr;
    Tensor *anchors = nullptr, *vars = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Input", 0, &in));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Anchors", 0, &anchors));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Variances", 0, &vars));
    if (in->rank() != 4) return Status::Invalid(op + ": Input must be 4-D (NCHW)");
    sizes_ = du::float_list(d, "anchor_sizes");
    ratios_ = du::float_list(d, "aspect_ratios");
    variances_ = du::float_list(d, "variances");
    stride_ = du::float_list(d, "stride");
    offset_ = static_cast<float>(d.get_float("offset", 0.5));
    if (sizes_.empty() || ratios_.empty() || sizes_.size() > 256 || ratios_.size() > 256)
      return Status::Invalid(op + ": anchor_sizes and aspect_ratios must hold 1 to 256 values");
    if (variances_.size() != 4) return Status::Invalid(op + ": variances must hold 4 values");
    if (stride_.size() != 2) return Status::Invalid(op + ": stride must hold 2 values");
    for (const std::vector<float>* v : {&sizes_, &ratios_, &stride_}) {
      for (float f : *v) {
        if (!(f > 0.f && f <= 1e7f))
          return Status::Invalid(op + ": anchor_sizes, aspect_ratios and stride must be in (0, 1e7]");
      }
    }
    TAILOR_RETURN_IF_ERROR(du::check_finite(op, "variances", variances_));
    TAILOR_RETURN_IF_ERROR(du::check_finite(op, "offset", {offset_}));
    const Dims out{in->dim(2), in->dim(3), static_cast<int64_t>(sizes_.size() * ratios_.size()), 4};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Anchors", out));
    anchors->set_shape(DType::kF32, out);
    vars->set_shape(DType::kF32, out);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* anchors = ctx.output("Anchors", 0);
    Tensor* vars = ctx.output("Variances", 0);
    if (!anchors || !vars || !anchors->raw_mut() || !vars->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t h = anchors->dim(0), w = anchors->dim(1);
    const float sw = stride_[0], sh = stride_[1];
    float* o = anchors->mutable_data<float>();
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        const float cx = static_cast<float>(x) * sw + offset_ * (sw - 1);
        const float cy = static_cast<float>(y) * sh + offset_ * (sh - 1);
        for (float ar : ratios_) {
          for (float size : sizes_) {
            const float base_w = std::round(std::sqrt(sw * sh / ar));
            const float base_h = std::round(base_w * ar);
            const float aw = size / sw * base_w, ah = size / sh * base_h;
            // Lite mixes in the double 0.5: keep its precision.
            *o++ = static_cast<float>(cx - 0.5 * (aw - 1));
            *o++ = static_cast<float>(cy - 0.5 * (ah - 1));
            *o++ = static_cast<float>(cx + 0.5 * (aw - 1));
            *o++ = static_cast<float>(cy + 0.5 * (ah - 1));
          }
        }
      }
    }
    float* v = vars->mutable_data<float>();
    for (int64_t k = 0; k < vars->numel(); ++k) v[k] = variances_[static_cast<size_t>(k % 4)];
    return Status::Ok();
  }

 private:
  std::vector<float> sizes_, ratios_, variances_, stride_;
  float offset_ = 0.5f;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<AnchorGenerator>("anchor_generator.f32.ref", out);
}

}  // namespace anchor_generator_f32_ref
}  // namespace kernels
}  // namespace tailor
