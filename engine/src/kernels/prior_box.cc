// prior_box: SSD prior boxes for each cell of Input [N, C, H, W] over Image [N, C, IH, IW]: Boxes and
// Variances [H, W, P, 4], boxes as normalized corners. Per min size: the square min box, then (as Paddle
// Lite orders them) either the ratio boxes and the sqrt(min * max) box, or with
// min_max_aspect_ratios_order the max box before the ratio boxes. Ratios are 1, each aspect ratio and with
// flip its inverse, duplicates dropped. Like Lite's host kernel, min and max sizes are truncated to
// integers (Paddle keeps fractions).
#include <algorithm>
#include <cmath>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace prior_box_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

class PriorBox final : public Kernel {
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
    const std::vector<float> min_sizes = du::float_list(d, "min_sizes");
    const std::vector<float> max_sizes = du::float_list(d, "max_sizes");
    const std::vector<float> ratios = du::float_list(d, "aspect_ratios");
    variances_ = du::float_list(d, "variances");
    if (min_sizes.empty() || min_sizes.size() > 256)
      return Status::Invalid(op + ": min_sizes must hold 1 to 256 values");
    if (!max_sizes.empty() && max_sizes.size() != min_sizes.size())
      return Status::Invalid(op + ": max_sizes must be empty or as long as min_sizes");
    if (ratios.size() > 256) return Status::Invalid(op + ": too many aspect_ratios");
    if (variances_.size() != 4) return Status::Invalid(op + ": variances must hold 4 values");
    for (const std::vector<float>* v : {&min_sizes, &max_sizes}) {
      for (float s : *v) {
        if (!(s > 0.f && s <= 1e7f)) return Status::Invalid(op + ": min/max sizes must be in (0, 1e7]");
      }
    }
    for (float r : ratios) {
      if (!(r > 0.f && r < 1e7f)) return Status::Invalid(op + ": aspect_ratios must be positive and finite");
    }
    step_w_ = static_cast<float>(d.get_float("step_w", 0.0));
    step_h_ = static_cast<float>(d.get_float("step_h", 0.0));
    offset_ = static_cast<float>(d.get_float("offset", 0.5));
    TAILOR_RETURN_IF_ERROR(du::check_finite(op, "step_w, step_h, offset", {step_w_, step_h_, offset_}));
    TAILOR_RETURN_IF_ERROR(du::check_finite(op, "variances", variances_));
    clip_ = d.get_bool("clip", false);
    minmax_order_ = d.get_bool("min_max_aspect_ratios_order", false);
    // Lite truncates the sizes to int.
    min_sizes_.assign(min_sizes.begin(), min_sizes.end());
    max_sizes_.assign(max_sizes.begin(), max_sizes.end());
    // 1, then each new ratio (and its inverse with flip).
    const bool flip = d.get_bool("flip", false);
    ratios_.assign(1, 1.f);
    for (float r : ratios) {
      bool seen = false;
      for (float e : ratios_) seen |= std::fabs(r - e) < 1e-6f;
      if (seen) continue;
      ratios_.push_back(r);
      if (flip) ratios_.push_back(1.f / r);
    }
    const int64_t priors = static_cast<int64_t>(ratios_.size() * min_sizes_.size() + max_sizes_.size());
    const Dims out{in->dim(2), in->dim(3), priors, 4};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Boxes", out));
    const int64_t img_w = d.get_int("img_w", 0), img_h = d.get_int("img_h", 0);
    img_w_ = static_cast<float>(img_w == 0 || img_h == 0 ? image->dim(3) : img_w);
    img_h_ = static_cast<float>(img_w == 0 || img_h == 0 ? image->dim(2) : img_h);
    if (!(img_w_ > 0 && img_h_ > 0)) return Status::Invalid(op + ": image size must be positive");
    boxes->set_shape(DType::kF32, out);
    vars->set_shape(DType::kF32, out);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* boxes = ctx.output("Boxes", 0);
    Tensor* vars = ctx.output("Variances", 0);
    if (!boxes || !vars || !boxes->raw_mut() || !vars->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t h = boxes->dim(0), w = boxes->dim(1);
    float step_w = step_w_, step_h = step_h_;
    if (step_w == 0 || step_h == 0) {
      step_w = img_w_ / static_cast<float>(w);
      step_h = img_h_ / static_cast<float>(h);
    }
    float* o = boxes->mutable_data<float>();
    auto put = [&](float cx, float cy, float bw, float bh) {
      *o++ = (cx - bw / 2.f) / img_w_;
      *o++ = (cy - bh / 2.f) / img_h_;
      *o++ = (cx + bw / 2.f) / img_w_;
      *o++ = (cy + bh / 2.f) / img_h_;
    };
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        const float cx = (static_cast<float>(x) + offset_) * step_w;
        const float cy = (static_cast<float>(y) + offset_) * step_h;
        for (size_t s = 0; s < min_sizes_.size(); ++s) {
          const int64_t mn = min_sizes_[s];
          put(cx, cy, static_cast<float>(mn), static_cast<float>(mn));
          auto max_box = [&] {
            if (max_sizes_.empty()) return;
            const float side = std::sqrt(static_cast<float>(mn * max_sizes_[s]));
            put(cx, cy, side, side);
          };
          if (minmax_order_) max_box();
          for (float ar : ratios_) {
            if (std::fabs(ar - 1.f) < 1e-6f) continue;
            put(cx, cy, static_cast<float>(mn * std::sqrt(static_cast<double>(ar))),
                static_cast<float>(mn / std::sqrt(static_cast<double>(ar))));
          }
          if (!minmax_order_) max_box();
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
  std::vector<int64_t> min_sizes_, max_sizes_;
  std::vector<float> ratios_, variances_;
  float step_w_ = 0, step_h_ = 0, offset_ = 0.5f, img_w_ = 1, img_h_ = 1;
  bool clip_ = false, minmax_order_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<PriorBox>("prior_box.f32.ref", out);
}

}  // namespace prior_box_f32_ref
}  // namespace kernels
}  // namespace tailor
