// pool2d.f32.rows.avx2 — pool2d max / avg (global, adaptive, exclusive, ceil_mode). The
// driver (f32-pool2d) walks the windows; the AVX2 primitives below reduce rows and windows
// eight floats at a time.
#include <immintrin.h>

#include "helpers/f32-pool2d/pool2d.h"

namespace tailor {
namespace kernels {
namespace pool2d_f32_rows_avx2 {

namespace {

inline float horizontal_max(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
  return _mm_cvtss_f32(m);
}

inline float horizontal_sum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

void accumulate_row(float* acc, const float* row, int64_t n, bool is_max) {
  int64_t i = 0;
  if (is_max) {
    for (; i + 8 <= n; i += 8)
      _mm256_storeu_ps(acc + i, _mm256_max_ps(_mm256_loadu_ps(acc + i), _mm256_loadu_ps(row + i)));
    for (; i < n; ++i) acc[i] = acc[i] > row[i] ? acc[i] : row[i];
  } else {
    for (; i + 8 <= n; i += 8)
      _mm256_storeu_ps(acc + i, _mm256_add_ps(_mm256_loadu_ps(acc + i), _mm256_loadu_ps(row + i)));
    for (; i < n; ++i) acc[i] += row[i];
  }
}

float reduce(const float* p, int64_t n, bool is_max) {
  int64_t i = 0;
  float r;
  if (is_max) {
    r = p[0];
    if (n >= 8) {
      __m256 m = _mm256_loadu_ps(p);
      for (i = 8; i + 8 <= n; i += 8) m = _mm256_max_ps(m, _mm256_loadu_ps(p + i));
      r = horizontal_max(m);
    }
    for (; i < n; ++i) r = r > p[i] ? r : p[i];
  } else {
    __m256 s = _mm256_setzero_ps();
    for (; i + 8 <= n; i += 8) s = _mm256_add_ps(s, _mm256_loadu_ps(p + i));
    r = horizontal_sum(s);
    for (; i < n; ++i) r += p[i];
  }
  return r;
}

void windows_stride1(const float* buf, int64_t k, float* out, int64_t n, bool is_max) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 acc = _mm256_loadu_ps(buf + i);
    for (int64_t j = 1; j < k; ++j)
      acc = is_max ? _mm256_max_ps(acc, _mm256_loadu_ps(buf + i + j))
                   : _mm256_add_ps(acc, _mm256_loadu_ps(buf + i + j));
    _mm256_storeu_ps(out + i, acc);
  }
  for (; i < n; ++i) out[i] = reduce(buf + i, k, is_max);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  static constexpr helpers::f32_pool2d::PoolKernels kKernels = {&accumulate_row, &reduce,
                                                                &windows_stride1};
  return helpers::f32_pool2d::create(init, kKernels, "pool2d.f32.rows.avx2", out);
}

}  // namespace pool2d_f32_rows_avx2
}  // namespace kernels
}  // namespace tailor
