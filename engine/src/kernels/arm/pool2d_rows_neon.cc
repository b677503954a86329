// pool2d.f32.rows.neon — pool2d max / avg (global, adaptive, exclusive, ceil_mode). The
// driver (f32-pool2d) walks the windows; the NEON primitives below reduce rows and windows
// four floats at a time.
#include <arm_neon.h>

#include "helpers/f32-pool2d/pool2d.h"

namespace tailor {
namespace kernels {
namespace pool2d_f32_rows_neon {

namespace {

inline float horizontal_max(float32x4_t v) {
#if defined(__aarch64__)
  return vmaxvq_f32(v);
#else
  float32x2_t m = vpmax_f32(vget_low_f32(v), vget_high_f32(v));
  return vget_lane_f32(vpmax_f32(m, m), 0);
#endif
}

inline float horizontal_sum(float32x4_t v) {
#if defined(__aarch64__)
  return vaddvq_f32(v);
#else
  float32x2_t s = vadd_f32(vget_low_f32(v), vget_high_f32(v));
  return vget_lane_f32(vpadd_f32(s, s), 0);
#endif
}

void accumulate_row(float* acc, const float* row, int64_t n, bool is_max) {
  int64_t i = 0;
  if (is_max) {
    for (; i + 4 <= n; i += 4) vst1q_f32(acc + i, vmaxq_f32(vld1q_f32(acc + i), vld1q_f32(row + i)));
    for (; i < n; ++i) acc[i] = acc[i] > row[i] ? acc[i] : row[i];
  } else {
    for (; i + 4 <= n; i += 4) vst1q_f32(acc + i, vaddq_f32(vld1q_f32(acc + i), vld1q_f32(row + i)));
    for (; i < n; ++i) acc[i] += row[i];
  }
}

float reduce(const float* p, int64_t n, bool is_max) {
  int64_t i = 0;
  float r;
  if (is_max) {
    r = p[0];
    if (n >= 4) {
      float32x4_t m = vld1q_f32(p);
      for (i = 4; i + 4 <= n; i += 4) m = vmaxq_f32(m, vld1q_f32(p + i));
      r = horizontal_max(m);
    }
    for (; i < n; ++i) r = r > p[i] ? r : p[i];
  } else {
    float32x4_t s = vdupq_n_f32(0.f);
    for (; i + 4 <= n; i += 4) s = vaddq_f32(s, vld1q_f32(p + i));
    r = horizontal_sum(s);
    for (; i < n; ++i) r += p[i];
  }
  return r;
}

void windows_stride1(const float* buf, int64_t k, float* out, int64_t n, bool is_max) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float32x4_t acc = vld1q_f32(buf + i);
    for (int64_t j = 1; j < k; ++j)
      acc = is_max ? vmaxq_f32(acc, vld1q_f32(buf + i + j)) : vaddq_f32(acc, vld1q_f32(buf + i + j));
    vst1q_f32(out + i, acc);
  }
  for (; i < n; ++i) out[i] = reduce(buf + i, k, is_max);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  static constexpr helpers::f32_pool2d::PoolKernels kKernels = {&accumulate_row, &reduce,
                                                                &windows_stride1};
  return helpers::f32_pool2d::create(init, kKernels, "pool2d.f32.rows.neon", out);
}

}  // namespace pool2d_f32_rows_neon
}  // namespace kernels
}  // namespace tailor
