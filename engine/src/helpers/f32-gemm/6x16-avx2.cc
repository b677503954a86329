// f32-gemm.avx2: 6x16 AVX2+FMA micro-kernel + the shared blocked driver.
// 12 ymm accumulators + 2 B vectors + 1 broadcast A value fill 15 of the 16 registers.
#include <immintrin.h>

#include "helpers/f32-gemm/avx2.h"

namespace tailor {
namespace helpers {
namespace f32_gemm_avx2 {

constexpr int64_t kMR = 6;
constexpr int64_t kNR = 16;
constexpr int64_t kMC = 144;
constexpr int64_t kKC = 256;
constexpr int64_t kNC = 512;

namespace {

void ukernel(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate,
             const float* row_init, const float* col_init) {
  float* c0 = c;
  float* c1 = c0 + ldc;
  float* c2 = c1 + ldc;
  float* c3 = c2 + ldc;
  float* c4 = c3 + ldc;
  float* c5 = c4 + ldc;
  __m256 acc0l, acc0h, acc1l, acc1h, acc2l, acc2h, acc3l, acc3h, acc4l, acc4h, acc5l, acc5h;
  if (accumulate) {
    acc0l = _mm256_loadu_ps(c0); acc0h = _mm256_loadu_ps(c0 + 8);
    acc1l = _mm256_loadu_ps(c1); acc1h = _mm256_loadu_ps(c1 + 8);
    acc2l = _mm256_loadu_ps(c2); acc2h = _mm256_loadu_ps(c2 + 8);
    acc3l = _mm256_loadu_ps(c3); acc3h = _mm256_loadu_ps(c3 + 8);
    acc4l = _mm256_loadu_ps(c4); acc4h = _mm256_loadu_ps(c4 + 8);
    acc5l = _mm256_loadu_ps(c5); acc5h = _mm256_loadu_ps(c5 + 8);
  } else {
    __m256 init_l = _mm256_setzero_ps(), init_h = _mm256_setzero_ps();
    if (col_init) {
      init_l = _mm256_loadu_ps(col_init);
      init_h = _mm256_loadu_ps(col_init + 8);
    }
    acc0l = acc1l = acc2l = acc3l = acc4l = acc5l = init_l;
    acc0h = acc1h = acc2h = acc3h = acc4h = acc5h = init_h;
    if (row_init) {
      __m256 r;
      r = _mm256_set1_ps(row_init[0]); acc0l = _mm256_add_ps(acc0l, r); acc0h = _mm256_add_ps(acc0h, r);
      r = _mm256_set1_ps(row_init[1]); acc1l = _mm256_add_ps(acc1l, r); acc1h = _mm256_add_ps(acc1h, r);
      r = _mm256_set1_ps(row_init[2]); acc2l = _mm256_add_ps(acc2l, r); acc2h = _mm256_add_ps(acc2h, r);
      r = _mm256_set1_ps(row_init[3]); acc3l = _mm256_add_ps(acc3l, r); acc3h = _mm256_add_ps(acc3h, r);
      r = _mm256_set1_ps(row_init[4]); acc4l = _mm256_add_ps(acc4l, r); acc4h = _mm256_add_ps(acc4h, r);
      r = _mm256_set1_ps(row_init[5]); acc5l = _mm256_add_ps(acc5l, r); acc5h = _mm256_add_ps(acc5h, r);
    }
  }
  for (int64_t k = 0; k < kc; ++k) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
    __m256 va;
    va = _mm256_broadcast_ss(a + 0); acc0l = _mm256_fmadd_ps(va, b0, acc0l); acc0h = _mm256_fmadd_ps(va, b1, acc0h);
    va = _mm256_broadcast_ss(a + 1); acc1l = _mm256_fmadd_ps(va, b0, acc1l); acc1h = _mm256_fmadd_ps(va, b1, acc1h);
    va = _mm256_broadcast_ss(a + 2); acc2l = _mm256_fmadd_ps(va, b0, acc2l); acc2h = _mm256_fmadd_ps(va, b1, acc2h);
    va = _mm256_broadcast_ss(a + 3); acc3l = _mm256_fmadd_ps(va, b0, acc3l); acc3h = _mm256_fmadd_ps(va, b1, acc3h);
    va = _mm256_broadcast_ss(a + 4); acc4l = _mm256_fmadd_ps(va, b0, acc4l); acc4h = _mm256_fmadd_ps(va, b1, acc4h);
    va = _mm256_broadcast_ss(a + 5); acc5l = _mm256_fmadd_ps(va, b0, acc5l); acc5h = _mm256_fmadd_ps(va, b1, acc5h);
    a += kMR;
    b += kNR;
  }
  _mm256_storeu_ps(c0, acc0l); _mm256_storeu_ps(c0 + 8, acc0h);
  _mm256_storeu_ps(c1, acc1l); _mm256_storeu_ps(c1 + 8, acc1h);
  _mm256_storeu_ps(c2, acc2l); _mm256_storeu_ps(c2 + 8, acc2h);
  _mm256_storeu_ps(c3, acc3l); _mm256_storeu_ps(c3 + 8, acc3h);
  _mm256_storeu_ps(c4, acc4l); _mm256_storeu_ps(c4 + 8, acc4h);
  _mm256_storeu_ps(c5, acc5l); _mm256_storeu_ps(c5 + 8, acc5h);
}

}  // namespace

#include "helpers/f32-gemm/blocked.inl"

}  // namespace f32_gemm_avx2
}  // namespace helpers
}  // namespace tailor
