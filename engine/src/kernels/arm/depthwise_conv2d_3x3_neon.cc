// depthwise_conv2d.f32.dw3x3.neon — depthwise 3x3 convolution, stride 1 or 2, padding 0/1,
// dilation 1 (also conv2d whose groups equal the input channels). The driver
// (f32-dwconv3x3) pads each plane; the NEON plane kernels below compute 4 outputs per step.
#include <arm_neon.h>

#include "helpers/f32-dwconv3x3/dwconv3x3.h"

namespace tailor {
namespace kernels {
namespace depthwise_conv2d_f32_dw3x3_neon {

namespace {

#if defined(__aarch64__)
inline float32x4_t madd(float32x4_t acc, float32x4_t a, float32x4_t b) { return vfmaq_f32(acc, a, b); }
#else
inline float32x4_t madd(float32x4_t acc, float32x4_t a, float32x4_t b) { return vmlaq_f32(acc, a, b); }
#endif

// The remaining columns of one output row, one at a time.
inline void row_tail(const float* r0, const float* r1, const float* r2, const float* w, float bias,
                     int64_t stride, float* out, int64_t ow, int64_t out_w) {
  for (; ow < out_w; ++ow) {
    const int64_t x = ow * stride;
    float acc = bias;
    acc += w[0] * r0[x] + w[1] * r0[x + 1] + w[2] * r0[x + 2];
    acc += w[3] * r1[x] + w[4] * r1[x + 1] + w[5] * r1[x + 2];
    acc += w[6] * r2[x] + w[7] * r2[x + 1] + w[8] * r2[x + 2];
    out[ow] = acc;
  }
}

struct Weights {
  float32x4_t k[9];
  explicit Weights(const float* w) {
    for (int i = 0; i < 9; ++i) k[i] = vdupq_n_f32(w[i]);
  }
};

void plane_stride1(const float* in, int64_t in_stride, const float* w, float bias, float* out,
                   int64_t out_h, int64_t out_w) {
  const Weights k(w);
  const float32x4_t vbias = vdupq_n_f32(bias);
  for (int64_t oh = 0; oh < out_h; ++oh) {
    const float* r0 = in + oh * in_stride;
    const float* r1 = r0 + in_stride;
    const float* r2 = r1 + in_stride;
    float* o = out + oh * out_w;
    int64_t ow = 0;
    for (; ow + 4 <= out_w; ow += 4) {
      float32x4_t acc = vbias;
      acc = madd(acc, vld1q_f32(r0 + ow), k.k[0]);
      acc = madd(acc, vld1q_f32(r0 + ow + 1), k.k[1]);
      acc = madd(acc, vld1q_f32(r0 + ow + 2), k.k[2]);
      acc = madd(acc, vld1q_f32(r1 + ow), k.k[3]);
      acc = madd(acc, vld1q_f32(r1 + ow + 1), k.k[4]);
      acc = madd(acc, vld1q_f32(r1 + ow + 2), k.k[5]);
      acc = madd(acc, vld1q_f32(r2 + ow), k.k[6]);
      acc = madd(acc, vld1q_f32(r2 + ow + 1), k.k[7]);
      acc = madd(acc, vld1q_f32(r2 + ow + 2), k.k[8]);
      vst1q_f32(o + ow, acc);
    }
    row_tail(r0, r1, r2, w, bias, 1, o, ow, out_w);
  }
}

// Stride 2: vld2q splits 8 inputs into even and odd columns, i.e. taps 0 and 1 of four
// consecutive outputs; tap 2 is the even half of the load two columns further on. That
// load reads one float past the last input the block needs (the plane has slack for it).
void plane_stride2(const float* in, int64_t in_stride, const float* w, float bias, float* out,
                   int64_t out_h, int64_t out_w) {
  const Weights k(w);
  const float32x4_t vbias = vdupq_n_f32(bias);
  for (int64_t oh = 0; oh < out_h; ++oh) {
    const float* r0 = in + 2 * oh * in_stride;
    const float* r1 = r0 + in_stride;
    const float* r2 = r1 + in_stride;
    float* o = out + oh * out_w;
    int64_t ow = 0;
    for (; ow + 4 <= out_w; ow += 4) {
      const int64_t x = 2 * ow;
      float32x4_t acc = vbias;
      float32x4x2_t a = vld2q_f32(r0 + x), b = vld2q_f32(r0 + x + 2);
      acc = madd(acc, a.val[0], k.k[0]);
      acc = madd(acc, a.val[1], k.k[1]);
      acc = madd(acc, b.val[0], k.k[2]);
      a = vld2q_f32(r1 + x);
      b = vld2q_f32(r1 + x + 2);
      acc = madd(acc, a.val[0], k.k[3]);
      acc = madd(acc, a.val[1], k.k[4]);
      acc = madd(acc, b.val[0], k.k[5]);
      a = vld2q_f32(r2 + x);
      b = vld2q_f32(r2 + x + 2);
      acc = madd(acc, a.val[0], k.k[6]);
      acc = madd(acc, a.val[1], k.k[7]);
      acc = madd(acc, b.val[0], k.k[8]);
      vst1q_f32(o + ow, acc);
    }
    row_tail(r0, r1, r2, w, bias, 2, o, ow, out_w);
  }
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  static constexpr helpers::f32_dwconv3x3::PlaneKernels kKernels = {&plane_stride1, &plane_stride2};
  return helpers::f32_dwconv3x3::create(init, kKernels, "depthwise_conv2d.f32.dw3x3.neon", out);
}

}  // namespace depthwise_conv2d_f32_dw3x3_neon
}  // namespace kernels
}  // namespace tailor
