// f32-gemm.neon: blocked GEMM on a 4x8 NEON micro-kernel (armv7 and armv8).
#pragma once
#include "helpers/f32-gemm/simd.h"

namespace tailor {
namespace helpers {
namespace f32_gemm_neon {

// Packed panels of A (kMC x kKC) and B (kKC x kNC); see 4x8-neon.cc.
constexpr size_t kScratchBytes = (96 * 256 + 256 * 256) * sizeof(float);

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A,
          int64_t lda, const float* B, int64_t ldb, float* C, int64_t ldc, const float* bias,
          f32_gemm::BiasKind bias_kind, void* scratch);

constexpr f32_gemm::GemmBackend kBackend = {&gemm, kScratchBytes};

}  // namespace f32_gemm_neon
}  // namespace helpers
}  // namespace tailor
