#include "helpers/f32-gemm/ref.h"

namespace tailor {
namespace helpers {
namespace f32_gemm_ref {

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
          const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
          int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    float* c = C + i * ldc;
    if (beta == 0.f) {
      for (int64_t j = 0; j < N; ++j) c[j] = 0.f;
    } else if (beta != 1.f) {
      for (int64_t j = 0; j < N; ++j) c[j] *= beta;
    }
    if (!trans_b) {
      // Row i of C accumulates rows of B: the inner loop is contiguous in B and C.
      for (int64_t p = 0; p < K; ++p) {
        const float a = alpha * (trans_a ? A[p * lda + i] : A[i * lda + p]);
        const float* b = B + p * ldb;
        for (int64_t j = 0; j < N; ++j) c[j] += a * b[j];
      }
    } else {
      // B^T: each C element is a dot product of two contiguous rows (when A is not transposed).
      for (int64_t j = 0; j < N; ++j) {
        const float* b = B + j * ldb;
        float acc = 0.f;
        if (!trans_a) {
          const float* a = A + i * lda;
          for (int64_t p = 0; p < K; ++p) acc += a[p] * b[p];
        } else {
          for (int64_t p = 0; p < K; ++p) acc += A[p * lda + i] * b[p];
        }
        c[j] += alpha * acc;
      }
    }
  }
}

}  // namespace f32_gemm_ref
}  // namespace helpers
}  // namespace tailor
