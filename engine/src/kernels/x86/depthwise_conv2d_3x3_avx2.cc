// depthwise_conv2d.f32.dw3x3.avx2 — depthwise 3x3 convolution, stride 1 or 2, padding 0/1,
// dilation 1 (also conv2d whose groups equal the input channels). The driver
// (f32-dwconv3x3) pads each plane; the AVX2+FMA plane kernels below compute 8 outputs per step.
#include <immintrin.h>

#include "helpers/f32-dwconv3x3/dwconv3x3.h"

namespace tailor {
namespace kernels {
namespace depthwise_conv2d_f32_dw3x3_avx2 {

namespace {

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
  __m256 k[9];
  explicit Weights(const float* w) {
    for (int i = 0; i < 9; ++i) k[i] = _mm256_set1_ps(w[i]);
  }
};

void plane_stride1(const float* in, int64_t in_stride, const float* w, float bias, float* out,
                   int64_t out_h, int64_t out_w) {
  const Weights k(w);
  const __m256 vbias = _mm256_set1_ps(bias);
  for (int64_t oh = 0; oh < out_h; ++oh) {
    const float* r0 = in + oh * in_stride;
    const float* r1 = r0 + in_stride;
    const float* r2 = r1 + in_stride;
    float* o = out + oh * out_w;
    int64_t ow = 0;
    for (; ow + 8 <= out_w; ow += 8) {
      __m256 acc = vbias;
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + ow), k.k[0], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + ow + 1), k.k[1], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + ow + 2), k.k[2], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + ow), k.k[3], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + ow + 1), k.k[4], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + ow + 2), k.k[5], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + ow), k.k[6], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + ow + 1), k.k[7], acc);
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + ow + 2), k.k[8], acc);
      _mm256_storeu_ps(o + ow, acc);
    }
    row_tail(r0, r1, r2, w, bias, 1, o, ow, out_w);
  }
}

// Splits p[0..15] into even columns p[0], p[2], .., p[14] and odd ones p[1], .., p[15].
inline void deinterleave(const float* p, __m256* even, __m256* odd) {
  const __m256 a = _mm256_loadu_ps(p), b = _mm256_loadu_ps(p + 8);
  // Within each 128-bit lane: [a0 a2 b0 b2 | a4 a6 b4 b6]; then restore the 64-bit order.
  const __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
  const __m256 o = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
  *even = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0)));
  *odd = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), _MM_SHUFFLE(3, 1, 2, 0)));
}

// Stride 2: even/odd columns of 16 inputs are taps 0 and 1 of eight consecutive outputs;
// tap 2 is the even half two columns further on. That reads one float past the last input
// the block needs (the plane has slack for it).
void plane_stride2(const float* in, int64_t in_stride, const float* w, float bias, float* out,
                   int64_t out_h, int64_t out_w) {
  const Weights k(w);
  const __m256 vbias = _mm256_set1_ps(bias);
  for (int64_t oh = 0; oh < out_h; ++oh) {
    const float* rows[3] = {in + 2 * oh * in_stride, in + (2 * oh + 1) * in_stride,
                            in + (2 * oh + 2) * in_stride};
    float* o = out + oh * out_w;
    int64_t ow = 0;
    for (; ow + 8 <= out_w; ow += 8) {
      const int64_t x = 2 * ow;
      __m256 acc = vbias;
      for (int r = 0; r < 3; ++r) {
        __m256 even, odd, even2, odd2;
        deinterleave(rows[r] + x, &even, &odd);
        deinterleave(rows[r] + x + 2, &even2, &odd2);
        acc = _mm256_fmadd_ps(even, k.k[3 * r], acc);
        acc = _mm256_fmadd_ps(odd, k.k[3 * r + 1], acc);
        acc = _mm256_fmadd_ps(even2, k.k[3 * r + 2], acc);
      }
      _mm256_storeu_ps(o + ow, acc);
    }
    row_tail(rows[0], rows[1], rows[2], w, bias, 2, o, ow, out_w);
  }
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  static constexpr helpers::f32_dwconv3x3::PlaneKernels kKernels = {&plane_stride1, &plane_stride2};
  return helpers::f32_dwconv3x3::create(init, kKernels, "depthwise_conv2d.f32.dw3x3.avx2", out);
}

}  // namespace depthwise_conv2d_f32_dw3x3_avx2
}  // namespace kernels
}  // namespace tailor
