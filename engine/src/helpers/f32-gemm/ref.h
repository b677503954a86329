// f32-gemm.ref: portable single-precision GEMM, the fallback every build can use.
#pragma once
#include <cstdint>

namespace tailor {
namespace helpers {
namespace f32_gemm_ref {

// C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C, row-major.
// op(A) = A ([M,K], leading dim lda) or A^T (A stored [K,M]); likewise B.
// beta == 0 overwrites C without reading it (C may hold garbage).
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
          const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
          int64_t ldc);

}  // namespace f32_gemm_ref
}  // namespace helpers
}  // namespace tailor
