// roi_align: average of bilinear samples over a pooled_height x pooled_width grid of bins per ROI:
// X [N, C, H, W], ROIs [R, 4] (x1, y1, x2, y2 in image pixels, times spatial_scale), RoisNum int32 [N]
// (ROIs per image, in order) -> Out [R, C, pooled_height, pooled_width]. Samples per bin:
// sampling_ratio^2, or ceil(roi size / pooled size) per axis when sampling_ratio <= 0. aligned shifts
// the ROI by half a pixel and allows ROIs smaller than one pixel. Samples outside [-1, H] x [-1, W]
// count as 0, like Paddle Lite's host kernel. ROIs without RoisNum need LoD, which the engine does not
// carry: refused.
#include <algorithm>
#include <cmath>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace roi_align_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

// Bound on the samples of one bin when the ROI decides their number, so a huge ROI cannot stall the run.
constexpr double kMaxSamplesPerAxis = 256;

class RoiAlign final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const OpDesc& d = ctx.op();
    const Tensor *x = nullptr, *rois = nullptr, *num = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(du::get_f32(ctx, op, "X", 4, &x));
    TAILOR_RETURN_IF_ERROR(du::get_f32(ctx, op, "ROIs", 2, &rois));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    if (!su::has_input(ctx, "RoisNum"))
      return Status::Unsupported(op + ": ROIs without RoisNum need LoD, which this engine does not support");
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "RoisNum", 0, &num));
    if (num->dtype() != DType::kI32 || num->numel() != x->dim(0))
      return Status::Invalid(op + ": RoisNum must be int32 with one count per image (" + std::to_string(x->dim(0)) +
                             "), got " + dtype_name(num->dtype()) + " " + su::dims_str(num->dims()));
    if (rois->dim(1) != 4) return Status::Invalid(op + ": ROIs must be [R, 4], got " + su::dims_str(rois->dims()));
    pooled_h_ = d.get_int("pooled_height", 1);
    pooled_w_ = d.get_int("pooled_width", 1);
    sampling_ = d.get_int("sampling_ratio", -1);
    scale_ = static_cast<float>(d.get_float("spatial_scale", 1.0));
    aligned_ = d.get_bool("aligned", false);
    if (pooled_h_ < 1 || pooled_w_ < 1 || pooled_h_ > 4096 || pooled_w_ > 4096)
      return Status::Invalid(op + ": pooled_height and pooled_width must be in [1, 4096]");
    if (sampling_ > static_cast<int64_t>(kMaxSamplesPerAxis))
      return Status::Invalid(op + ": sampling_ratio " + std::to_string(sampling_) + " exceeds 256");
    TAILOR_RETURN_IF_ERROR(du::check_finite(op, "spatial_scale", {scale_}));
    if (x->dim(2) > INT32_MAX / x->dim(3)) return Status::Invalid(op + ": X spatial size overflows int");
    const Dims od{rois->dim(0), x->dim(1), pooled_h_, pooled_w_};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Out", od));
    out->set_shape(DType::kF32, od);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X", 0);
    const Tensor* rois = ctx.input("ROIs", 0);
    const Tensor* num = ctx.input("RoisNum", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !rois || !num || !out || !x->raw() || !rois->raw() || !num->raw() || !out->raw_mut())
      return Status::Internal(op + ": tensors not bound at run");
    const int64_t n = x->dim(0), channels = x->dim(1), r_count = rois->dim(0);
    const int height = static_cast<int>(x->dim(2)), width = static_cast<int>(x->dim(3));
    const int32_t* counts = num->data<int32_t>();
    int64_t total = 0;
    for (int64_t b = 0; b < n; ++b) {
      if (counts[b] < 0) return Status::Invalid(op + ": RoisNum holds a negative count");
      total += counts[b];
    }
    if (total != r_count)
      return Status::Invalid(op + ": RoisNum adds up to " + std::to_string(total) + ", ROIs has " +
                             std::to_string(r_count));
    const float* roi = rois->data<float>();
    for (int64_t k = 0; k < r_count * 4; ++k) {
      if (!std::isfinite(roi[k] * scale_)) return Status::Invalid(op + ": ROI coordinates must be finite");
    }
    const float* xd = x->data<float>();
    float* o = out->mutable_data<float>();
    const int64_t plane = static_cast<int64_t>(height) * width, bins = pooled_h_ * pooled_w_;
    for (int64_t k = 0; k < out->numel(); ++k) o[k] = 0.f;
    const float shift = aligned_ ? 0.5f : 0.f;
    int64_t batch = 0, left = n ? counts[0] : 0;
    for (int64_t r = 0; r < r_count; ++r, roi += 4) {
      while (left == 0) left = counts[++batch];
      --left;
      const float xmin = roi[0] * scale_ - shift, ymin = roi[1] * scale_ - shift;
      float roi_w = roi[2] * scale_ - shift - xmin, roi_h = roi[3] * scale_ - shift - ymin;
      if (!aligned_) {
        roi_w = std::max(roi_w, 1.f);
        roi_h = std::max(roi_h, 1.f);
      }
      if (!std::isfinite(roi_w) || !std::isfinite(roi_h))
        return Status::Invalid(op + ": ROI " + std::to_string(r) + " is too large");
      const float bin_h = roi_h / static_cast<float>(pooled_h_), bin_w = roi_w / static_cast<float>(pooled_w_);
      double grid_h = static_cast<double>(sampling_), grid_w = grid_h;
      if (sampling_ <= 0) {
        grid_h = std::ceil(roi_h / static_cast<float>(pooled_h_));
        grid_w = std::ceil(roi_w / static_cast<float>(pooled_w_));
        if (std::fabs(grid_h) > kMaxSamplesPerAxis || std::fabs(grid_w) > kMaxSamplesPerAxis)
          return Status::Invalid(op + ": ROI " + std::to_string(r) + " needs more than 256 samples per bin axis");
      }
      const int gh = static_cast<int>(grid_h), gw = static_cast<int>(grid_w);
      // Lite divides by max(gh * gw, 1) even when a negative grid (inverted aligned ROI) takes no sample.
      const float count = static_cast<float>(std::max(gh * gw, 1));
      const float* xb = xd + batch * channels * plane;
      float* ob = o + r * channels * bins;
      for (int64_t ph = 0; ph < pooled_h_; ++ph) {
        for (int64_t pw = 0; pw < pooled_w_; ++pw) {
          for (int iy = 0; iy < gh; ++iy) {
            const float y0 =
                ymin + static_cast<float>(ph) * bin_h + static_cast<float>(iy + .5f) * bin_h / static_cast<float>(gh);
            for (int ix = 0; ix < gw; ++ix) {
              float y = y0;
              float xs =
                  xmin + static_cast<float>(pw) * bin_w + static_cast<float>(ix + .5f) * bin_w / static_cast<float>(gw);
              int64_t pos[4] = {0, 0, 0, 0};
              float wt[4] = {0.f, 0.f, 0.f, 0.f};
              // Lite's out-of-map test, written so that a NaN (from inf - inf on extreme ROIs) is outside too.
              if (y >= -1.0f && y <= static_cast<float>(height) && xs >= -1.0f && xs <= static_cast<float>(width)) {
                y = y <= 0 ? 0 : y;
                xs = xs <= 0 ? 0 : xs;
                int y_low = static_cast<int>(y), x_low = static_cast<int>(xs), y_high, x_high;
                if (y_low >= height - 1) {
                  y_high = y_low = height - 1;
                  y = static_cast<float>(y_low);
                } else {
                  y_high = y_low + 1;
                }
                if (x_low >= width - 1) {
                  x_high = x_low = width - 1;
                  xs = static_cast<float>(x_low);
                } else {
                  x_high = x_low + 1;
                }
                const float ly = y - static_cast<float>(y_low), lx = xs - static_cast<float>(x_low);
                const float hy = 1.f - ly, hx = 1.f - lx;
                pos[0] = int64_t{y_low} * width + x_low;
                pos[1] = int64_t{y_low} * width + x_high;
                pos[2] = int64_t{y_high} * width + x_low;
                pos[3] = int64_t{y_high} * width + x_high;
                wt[0] = hy * hx;
                wt[1] = hy * lx;
                wt[2] = ly * hx;
                wt[3] = ly * lx;
              }
              // Out-of-map samples add 0 * X[0] like Lite.
              for (int64_t c = 0; c < channels; ++c) {
                const float* xc = xb + c * plane;
                float& acc = ob[c * bins + ph * pooled_w_ + pw];
                for (int k = 0; k < 4; ++k) acc += wt[k] * xc[pos[k]];
              }
            }
          }
          for (int64_t c = 0; c < channels; ++c) ob[c * bins + ph * pooled_w_ + pw] /= count;
        }
      }
    }
    return Status::Ok();
  }

 private:
  int64_t pooled_h_ = 1, pooled_w_ = 1, sampling_ = -1;
  float scale_ = 1.f;
  bool aligned_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<RoiAlign>("roi_align.f32.ref", out);
}

}  // namespace roi_align_f32_ref
}  // namespace kernels
}  // namespace tailor
