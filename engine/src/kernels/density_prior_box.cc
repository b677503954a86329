// density_prior_box: prior boxes of fixed sizes and ratios, each repeated on a density x density grid of
// shifted centres inside its cell: Boxes and Variances [H, W, P, 4] (or [H*W*P, 4] with flatten_to_2d),
// P = sum over sizes of ratios * density^2. Corners are always clamped to [0, 1] per side (Paddle and
// Lite), clip clamps again. The centre shift uses integer steps like Lite: step_average =
// int((step_w + step_h) / 2), shift = step_average / density.
#include <algorithm>
#include <cmath>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace density_prior_box_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

class DensityPriorBox final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const OpDesc& d = ctx.op();
    const Tensor *in = nullptr, *image = nullptr;
    Tensor *boxes = nullptr, *vars = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Input", 0, &in));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Image", 0, &image));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Boxes", 0, &boxes));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Variances", 0, &vars));
    if (in->rank() != 4 || image->rank() != 4) return Status::Invalid(op + ": Input and Image must be 4-D (NCHW)");
    sizes_ = du::float_list(d, "fixed_sizes");
    ratios_ = du::float_list(d, "fixed_ratios");
    variances_ = du::float_list(d, "variances");
    const std::vector<int64_t> densities = d.get_ints("densities");
    // Without fixed sizes and ratios Lite's kernel has no density boxes to make.
    if (sizes_.empty() || ratios_.empty()) return Status::Unsupported(op + ": needs fixed_sizes and fixed_ratios");
    if (sizes_.size() > 256 || ratios_.size() > 256) return Status::Invalid(op + ": too many fixed sizes or ratios");
    if (densities.size() != sizes_.size()) return Status::Invalid(op + ": densities must be as long as fixed_sizes");
    if (variances_.size() != 4) return Status::Invalid(op + ": variances must hold 4 values");
    for (float s : sizes_) {
      if (!(s > 0.f && s <= 1e7f)) return Status::Invalid(op + ": fixed_sizes must be in (0, 1e7]");
    }
    for (float r : ratios_) {
      if (!(r > 0.f && r < 1e7f)) return Status::Invalid(op + ": fixed_ratios must be positive and finite");
    }
    int64_t priors = 0;
    densities_.clear();
    for (int64_t den : densities) {
      if (den < 1 || den > 1024) return Status::Invalid(op + ": densities must be in [1, 1024]");
      densities_.push_back(static_cast<int>(den));
      priors += static_cast<int64_t>(ratios_.size()) * den * den;
    }
    step_w_ = static_cast<float>(d.get_float("step_w", 0.0));
    step_h_ = static_cast<float>(d.get_float("step_h", 0.0));
    offset_ = static_cast<float>(d.get_float("offset", 0.5));
    TAILOR_RETURN_IF_ERROR(du::check_finite(op, "step_w, step_h, offset", {step_w_, step_h_, offset_}));
    TAILOR_RETURN_IF_ERROR(du::check_finite(op, "variances", variances_));
    clip_ = d.get_bool("clip", false);
    img_w_ = image->dim(3);
    img_h_ = image->dim(2);
    float sw = step_w_, sh = step_h_;
    if (sw == 0 || sh == 0) {
      sw = static_cast<float>(img_w_) / static_cast<float>(in->dim(3));
      sh = static_cast<float>(img_h_) / static_cast<float>(in->dim(2));
    }
    if (!(std::fabs(sw) < 1e9f && std::fabs(sh) < 1e9f)) return Status::Invalid(op + ": steps out of range");
    const Dims out{in->dim(2), in->dim(3), priors, 4};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Boxes", out));
    const Dims flat{in->dim(2) * in->dim(3) * priors, 4};
    const bool to_2d = d.get_bool("flatten_to_2d", false);
    boxes->set_shape(DType::kF32, to_2d ? flat : out);
    vars->set_shape(DType::kF32, to_2d ? flat : out);
    h_ = in->dim(2);
    w_ = in->dim(3);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* boxes = ctx.output("Boxes", 0);
    Tensor* vars = ctx.output("Variances", 0);
    if (!boxes || !vars || !boxes->raw_mut() || !vars->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    float step_w = step_w_, step_h = step_h_;
    if (step_w == 0 || step_h == 0) {
      step_w = static_cast<float>(img_w_) / static_cast<float>(w_);
      step_h = static_cast<float>(img_h_) / static_cast<float>(h_);
    }
    const float iw = static_cast<float>(img_w_), ih = static_cast<float>(img_h_);
    const int step_average = static_cast<int>((step_w + step_h) * 0.5f);
    float* o = boxes->mutable_data<float>();
    for (int64_t y = 0; y < h_; ++y) {
      for (int64_t x = 0; x < w_; ++x) {
        const float cx = (static_cast<float>(x) + offset_) * step_w;
        const float cy = (static_cast<float>(y) + offset_) * step_h;
        for (size_t s = 0; s < sizes_.size(); ++s) {
          const int density = densities_[s];
          const int shift = step_average / density;
          for (float ar : ratios_) {
            const float bw = sizes_[s] * std::sqrt(ar), bh = sizes_[s] / std::sqrt(ar);
            for (int p = 0; p < density; ++p) {
              for (int c = 0; c < density; ++c) {
                const float tx = cx - step_average / 2.0f + shift / 2.f + static_cast<float>(int64_t{c} * shift);
                const float ty = cy - step_average / 2.0f + shift / 2.f + static_cast<float>(int64_t{p} * shift);
                *o++ = std::max((tx - bw / 2.f) / iw, 0.f);
                *o++ = std::max((ty - bh / 2.f) / ih, 0.f);
                *o++ = std::min((tx + bw / 2.f) / iw, 1.f);
                *o++ = std::min((ty + bh / 2.f) / ih, 1.f);
              }
            }
          }
        }
      }
    }
    float* b = boxes->mutable_data<float>();
    const int64_t n = boxes->numel();
    if (clip_) {
      for (int64_t k = 0; k < n; ++k) b[k] = std::min(std::max(b[k], 0.f), 1.f);
    }
    float* v = vars->mutable_data<float>();
    for (int64_t k = 0; k < n; ++k) v[k] = variances_[static_cast<size_t>(k % 4)];
    return Status::Ok();
  }

 private:
  std::vector<float> sizes_, ratios_, variances_;
  std::vector<int> densities_;
  float step_w_ = 0, step_h_ = 0, offset_ = 0.5f;
  int64_t img_w_ = 1, img_h_ = 1, h_ = 1, w_ = 1;
  bool clip_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<DensityPriorBox>("density_prior_box.f32.ref", out);
}

}  // namespace density_prior_box_f32_ref
}  // namespace kernels
}  // namespace tailor
