// f32-gemm.neon: 4x8 NEON micro-kernel + the shared blocked driver.
// armv8 has 32 q registers and fused lane FMAs; armv7 has 16 and only vmla by a d-register
// lane, so the tile is sized for armv7 (8 accumulators + 3 operands) and the lane
// multiply-add is chosen per architecture.
#include <arm_neon.h>

#include "helpers/f32-gemm/neon.h"

namespace tailor {
namespace helpers {
namespace f32_gemm_neon {

constexpr int64_t kMR = 4;
constexpr int64_t kNR = 8;
constexpr int64_t kMC = 96;
constexpr int64_t kKC = 256;
constexpr int64_t kNC = 256;

namespace {

#if defined(__aarch64__)
#define TAILOR_FMA_LANE(acc, b, a, lane) vfmaq_laneq_f32(acc, b, a, lane)
#else
#define TAILOR_FMA_LANE(acc, b, a, lane) \
  vmlaq_lane_f32(acc, b, (lane) < 2 ? vget_low_f32(a) : vget_high_f32(a), (lane) & 1)
#endif

void ukernel(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate,
             const float* row_init, const float* col_init) {
  float* c0 = c;
  float* c1 = c0 + ldc;
  float* c2 = c1 + ldc;
  float* c3 = c2 + ldc;
  float32x4_t acc0l, acc0h, acc1l, acc1h, acc2l, acc2h, acc3l, acc3h;
  if (accumulate) {
    acc0l = vld1q_f32(c0); acc0h = vld1q_f32(c0 + 4);
    acc1l = vld1q_f32(c1); acc1h = vld1q_f32(c1 + 4);
    acc2l = vld1q_f32(c2); acc2h = vld1q_f32(c2 + 4);
    acc3l = vld1q_f32(c3); acc3h = vld1q_f32(c3 + 4);
  } else {
    float32x4_t init_l = vdupq_n_f32(0.f), init_h = vdupq_n_f32(0.f);
    if (col_init) {
      init_l = vld1q_f32(col_init);
      init_h = vld1q_f32(col_init + 4);
    }
    acc0l = acc1l = acc2l = acc3l = init_l;
    acc0h = acc1h = acc2h = acc3h = init_h;
    if (row_init) {
      float32x4_t r0 = vdupq_n_f32(row_init[0]), r1 = vdupq_n_f32(row_init[1]);
      float32x4_t r2 = vdupq_n_f32(row_init[2]), r3 = vdupq_n_f32(row_init[3]);
      acc0l = vaddq_f32(acc0l, r0); acc0h = vaddq_f32(acc0h, r0);
      acc1l = vaddq_f32(acc1l, r1); acc1h = vaddq_f32(acc1h, r1);
      acc2l = vaddq_f32(acc2l, r2); acc2h = vaddq_f32(acc2h, r2);
      acc3l = vaddq_f32(acc3l, r3); acc3h = vaddq_f32(acc3h, r3);
    }
  }
  for (int64_t k = 0; k < kc; ++k) {
    const float32x4_t va = vld1q_f32(a);
    const float32x4_t vb0 = vld1q_f32(b);
    const float32x4_t vb1 = vld1q_f32(b + 4);
    acc0l = TAILOR_FMA_LANE(acc0l, vb0, va, 0); acc0h = TAILOR_FMA_LANE(acc0h, vb1, va, 0);
    acc1l = TAILOR_FMA_LANE(acc1l, vb0, va, 1); acc1h = TAILOR_FMA_LANE(acc1h, vb1, va, 1);
    acc2l = TAILOR_FMA_LANE(acc2l, vb0, va, 2); acc2h = TAILOR_FMA_LANE(acc2h, vb1, va, 2);
    acc3l = TAILOR_FMA_LANE(acc3l, vb0, va, 3); acc3h = TAILOR_FMA_LANE(acc3h, vb1, va, 3);
    a += kMR;
    b += kNR;
  }
  vst1q_f32(c0, acc0l); vst1q_f32(c0 + 4, acc0h);
  vst1q_f32(c1, acc1l); vst1q_f32(c1 + 4, acc1h);
  vst1q_f32(c2, acc2l); vst1q_f32(c2 + 4, acc2h);
  vst1q_f32(c3, acc3l); vst1q_f32(c3 + 4, acc3h);
}

#undef TAILOR_FMA_LANE

}  // namespace

#include "helpers/f32-gemm/blocked.inl"

}  // namespace f32_gemm_neon
}  // namespace helpers
}  // namespace tailor
