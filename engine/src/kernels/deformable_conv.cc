// deformable_conv.f32.ref — modulated deformable convolution (DCN v2, as PP-YOLO uses it): NCHW Input,
// OIHW Filter, Offset [N, 2 * dg * kh * kw, out_h, out_w] (dy, dx per tap), Mask [N, dg * kh * kw, out_h,
// out_w]; deformable group dg covers C / dg consecutive input channels. Tap (i, j) of output pixel (y, x)
// samples the input at (y * stride - pad + i * dilation + dy, x * stride - pad + j * dilation + dx)
// bilinearly (neighbours outside the image count as 0; points at or beyond -1 / size give 0) and scales it
// by the mask; the samples of one group then go through one GEMM with the filter. Optional Bias [C_out].
// deformable_conv_v1 (no Mask) is not served: paddle_lite_opt 2.13 has no kernel for it.
#include <cmath>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace deformable_conv_f32_ref {
namespace {

namespace gemm = helpers::f32_gemm_ref;
namespace win = helpers::window_ref;
namespace shp = helpers::tensor_checks;

// Scratch (the sampled-column buffer) is capped; a larger request means a broken model.
constexpr int64_t kMaxScratchBytes = int64_t(1) << 30;

// Bilinear sample of one plane at (h, w), with h in (-1, height) and w in (-1, width).
float sample(const float* img, int64_t height, int64_t width, float h, float w) {
  const float fh = std::floor(h), fw = std::floor(w);
  const int64_t h0 = static_cast<int64_t>(fh), w0 = static_cast<int64_t>(fw), h1 = h0 + 1, w1 = w0 + 1;
  const float lh = h - fh, lw = w - fw, hh = 1 - lh, hw = 1 - lw;
  const bool top = h0 >= 0, bottom = h1 < height, left = w0 >= 0, right = w1 < width;
  const float v1 = top && left ? img[h0 * width + w0] : 0.f;
  const float v2 = top && right ? img[h0 * width + w1] : 0.f;
  const float v3 = bottom && left ? img[h1 * width + w0] : 0.f;
  const float v4 = bottom && right ? img[h1 * width + w1] : 0.f;
  return hh * hw * v1 + hh * lw * v2 + lh * hw * v3 + lh * lw * v4;
}

class DeformableConvRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    const Tensor* offset = ctx.input("Offset");
    const Tensor* mask = ctx.input("Mask");
    const Tensor* filter = ctx.input("Filter");
    Tensor* y = ctx.output("Output");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, offset, "Offset"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, mask, "Mask"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, filter, "Filter"));
    if (!y) return Status::BadModel(op + ": missing output Output");
    if (x->rank() != 4 || filter->rank() != 4)
      return Status::Unsupported(op + ": Input " + shp::str(x->dims()) + " and Filter " +
                                 shp::str(filter->dims()) + " must both be 4-D (NCHW, OIHW)");
    batch_ = x->dim(0);
    in_c_ = x->dim(1);
    in_h_ = x->dim(2);
    in_w_ = x->dim(3);
    out_c_ = filter->dim(0);
    const int64_t groups = ctx.op().get_int("groups", 1);
    const int64_t dgroups = ctx.op().get_int("deformable_groups", 1);
    if (groups < 1 || groups > in_c_ || in_c_ % groups != 0 || out_c_ % groups != 0 ||
        filter->dim(1) * groups != in_c_)
      return Status::BadModel(op + ": groups=" + std::to_string(groups) + " does not fit Input " +
                              shp::str(x->dims()) + " and Filter " + shp::str(filter->dims()));
    if (dgroups < 1 || dgroups > in_c_ || in_c_ % dgroups != 0)
      return Status::BadModel(op + ": deformable_groups=" + std::to_string(dgroups) +
                              " does not divide the channels of Input " + shp::str(x->dims()));
    groups_ = groups;
    dgroups_ = dgroups;

    w_.kernel_h = filter->dim(2);
    w_.kernel_w = filter->dim(3);
    if (w_.kernel_h < 1 || w_.kernel_w < 1 || w_.kernel_h > win::kMaxWindowParam ||
        w_.kernel_w > win::kMaxWindowParam)
      return Status::BadModel(op + ": bad filter size " + shp::str(filter->dims()));
    TAILOR_RETURN_IF_ERROR(win::read_pair(ctx.op(), "strides", 1, 1, &w_.stride_h, &w_.stride_w));
    TAILOR_RETURN_IF_ERROR(win::read_pair(ctx.op(), "dilations", 1, 1, &w_.dilation_h, &w_.dilation_w));
    TAILOR_RETURN_IF_ERROR(win::read_paddings(ctx.op(), &w_));
    const int64_t span_h = in_h_ + w_.pad_top + w_.pad_bottom - (w_.dilation_h * (w_.kernel_h - 1) + 1);
    const int64_t span_w = in_w_ + w_.pad_left + w_.pad_right - (w_.dilation_w * (w_.kernel_w - 1) + 1);
    if (span_h < 0 || span_w < 0)
      return Status::Invalid(op + ": filter window larger than padded input " + shp::str(x->dims()));
    out_h_ = span_h / w_.stride_h + 1;
    out_w_ = span_w / w_.stride_w + 1;
    Dims out_dims = {batch_, out_c_, out_h_, out_w_};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out_dims));

    const int64_t taps = w_.kernel_h * w_.kernel_w;
    const Dims want_offset = {batch_, 2 * dgroups_ * taps, out_h_, out_w_};
    const Dims want_mask = {batch_, dgroups_ * taps, out_h_, out_w_};
    if (offset->dims() != want_offset)
      return Status::Invalid(op + ": Offset " + shp::str(offset->dims()) + " must be " + shp::str(want_offset));
    if (mask->dims() != want_mask)
      return Status::Invalid(op + ": Mask " + shp::str(mask->dims()) + " must be " + shp::str(want_mask));

    has_bias_ = false;
    if (const Tensor* bias = ctx.input("Bias")) {
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, bias, "Bias"));
      if (bias->numel() != out_c_)
        return Status::BadModel(op + ": Bias " + shp::str(bias->dims()) + " must have " +
                                std::to_string(out_c_) + " elements");
      has_bias_ = true;
    }

    int64_t col = 0;
    if (!win::mul_ok(in_c_ / groups_ * taps, out_h_ * out_w_, &col) ||
        !win::mul_ok(col, int64_t(sizeof(float)), &col) || col > kMaxScratchBytes)
      return Status::Invalid(op + ": sampling buffer too large for Input " + shp::str(x->dims()));
    ctx.request_scratch(static_cast<size_t>(col));
    y->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("Input")->data<float>();
    const float* offset = ctx.input("Offset")->data<float>();
    const float* mask = ctx.input("Mask")->data<float>();
    const float* filter = ctx.input("Filter")->data<float>();
    const Tensor* bias_t = ctx.input("Bias");
    const float* bias = has_bias_ && bias_t ? bias_t->data<float>() : nullptr;
    float* y = ctx.output("Output")->mutable_data<float>();
    float* col = static_cast<float*>(ctx.scratch());
    if (!x || !offset || !mask || !filter || !y || !col || (has_bias_ && !bias))
      return Status::Internal(ctx.op().type + ": unbound tensor data");

    const int64_t ic_g = in_c_ / groups_, oc_g = out_c_ / groups_, c_per_dg = in_c_ / dgroups_;
    const int64_t taps = w_.kernel_h * w_.kernel_w, k = ic_g * taps;
    const int64_t in_plane = in_h_ * in_w_, out_plane = out_h_ * out_w_;
    const float fh = static_cast<float>(in_h_), fw = static_cast<float>(in_w_);
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t g = 0; g < groups_; ++g) {
        // col[(c * taps + tap) * out_plane + p]: the masked sample of channel c of this group.
        for (int64_t c = 0; c < ic_g; ++c) {
          const int64_t ch = g * ic_g + c, dg = ch / c_per_dg;
          const float* img = x + (n * in_c_ + ch) * in_plane;
          const float* off = offset + (n * 2 * dgroups_ + 2 * dg) * taps * out_plane;
          const float* msk = mask + (n * dgroups_ + dg) * taps * out_plane;
          for (int64_t i = 0; i < w_.kernel_h; ++i) {
            for (int64_t j = 0; j < w_.kernel_w; ++j) {
              const int64_t tap = i * w_.kernel_w + j;
              const float* dy = off + 2 * tap * out_plane;
              const float* dx = dy + out_plane;
              const float* m = msk + tap * out_plane;
              float* dst = col + (c * taps + tap) * out_plane;
              for (int64_t oy = 0; oy < out_h_; ++oy) {
                const int64_t base_h = oy * w_.stride_h - w_.pad_top + i * w_.dilation_h;
                for (int64_t ox = 0; ox < out_w_; ++ox) {
                  const int64_t p = oy * out_w_ + ox;
                  const float h = static_cast<float>(base_h) + dy[p];
                  const float w =
                      static_cast<float>(ox * w_.stride_w - w_.pad_left + j * w_.dilation_w) + dx[p];
                  // Also false for NaN offsets, so floor() never sees a non-finite value.
                  const bool inside = h > -1.f && w > -1.f && h < fh && w < fw;
                  dst[p] = inside ? sample(img, in_h_, in_w_, h, w) * m[p] : 0.f;
                }
              }
            }
          }
        }
        float* out_g = y + (n * out_c_ + g * oc_g) * out_plane;
        gemm::gemm(false, false, oc_g, out_plane, k, 1.f, filter + g * oc_g * k, k, col, out_plane, 0.f, out_g,
                   out_plane);
      }
      if (bias) {
        float* out_n = y + n * out_c_ * out_plane;
        for (int64_t c = 0; c < out_c_; ++c)
          for (int64_t i = 0; i < out_plane; ++i) out_n[c * out_plane + i] += bias[c];
      }
    }
    return Status::Ok();
  }

 private:
  win::Window2d w_;
  int64_t batch_ = 0, in_c_ = 0, in_h_ = 0, in_w_ = 0, out_c_ = 0, out_h_ = 0, out_w_ = 0;
  int64_t groups_ = 1, dgroups_ = 1;
  bool has_bias_ = false;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new DeformableConvRef());
  return Status::Ok();
}

}  // namespace deformable_conv_f32_ref
}  // namespace kernels
}  // namespace tailor
