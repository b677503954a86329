// The interface every SIMD GEMM unit (f32-gemm.neon, f32-gemm.avx2) implements, so that
// the GEMM-based operator drivers (f32-conv2d-gemm, f32-matmul) run on any of them.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tailor {
namespace helpers {
namespace f32_gemm {

enum class BiasKind : uint8_t {
  kNone = 0,
  kPerRow = 1,     // bias[m] added to row m (conv: one bias per output channel)
  kPerColumn = 2,  // bias[n] added to column n (fc: one bias per output feature)
};

// C[M,N] = op(A)[M,K] * op(B)[K,N] + bias, row-major; C is overwritten, never read.
// op(A) is A ([M,K], leading dim lda) or, with trans_a, A^T (A stored [K,M]); likewise B.
// `scratch` holds GemmBackend::scratch_bytes bytes, 64-byte aligned; its size does not
// depend on the problem, so callers can request it in infer() without knowing M, N, K.
using GemmFn = void (*)(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                        const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
                        int64_t ldc, const float* bias, BiasKind bias_kind, void* scratch);

struct GemmBackend {
  GemmFn gemm;
  size_t scratch_bytes;
};

}  // namespace f32_gemm
}  // namespace helpers
}  // namespace tailor
