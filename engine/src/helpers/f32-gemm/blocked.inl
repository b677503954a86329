// Cache-blocked GEMM driver shared by the SIMD GEMM units (GotoBLAS loop order).
//
// Textually included inside each unit's namespace (f32_gemm_neon, f32_gemm_avx2), so its
// code is compiled with that unit's ISA flags and its symbols carry that unit's name.
// The including file defines, before the #include:
//   constexpr int64_t kMR, kNR;       // micro-tile rows / columns
//   constexpr int64_t kMC, kKC, kNC;  // block sizes; kMC % kMR == 0, kNC % kNR == 0
//   void ukernel(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
//                bool accumulate, const float* row_init, const float* col_init);
// The micro-kernel computes a full kMR x kNR tile of C from packed panels: C = init + a*b,
// where init is C itself when `accumulate` (a later K block), else the sum of the
// optional per-row (kMR values) and per-column (kNR values) init vectors.

namespace {

// A block [mc, kc] into kMR-row panels, each stored k-major (kMR values per k).
// Rows past mc are zero so that edge tiles compute harmless zeros.
void pack_a(bool trans_a, const float* A, int64_t lda, int64_t m0, int64_t mc, int64_t k0,
            int64_t kc, float* dst) {
  for (int64_t p = 0; p < mc; p += kMR) {
    const int64_t rows = mc - p < kMR ? mc - p : kMR;
    if (trans_a) {
      // A is [K, M]: the kMR values of one k are contiguous.
      for (int64_t k = 0; k < kc; ++k) {
        const float* src = A + (k0 + k) * lda + m0 + p;
        for (int64_t i = 0; i < rows; ++i) dst[k * kMR + i] = src[i];
        for (int64_t i = rows; i < kMR; ++i) dst[k * kMR + i] = 0.f;
      }
    } else {
      for (int64_t i = 0; i < kMR; ++i) {
        if (i < rows) {
          const float* src = A + (m0 + p + i) * lda + k0;
          for (int64_t k = 0; k < kc; ++k) dst[k * kMR + i] = src[k];
        } else {
          for (int64_t k = 0; k < kc; ++k) dst[k * kMR + i] = 0.f;
        }
      }
    }
    dst += kMR * kc;
  }
}

// B block [kc, nc] into kNR-column panels, each stored k-major (kNR values per k).
void pack_b(bool trans_b, const float* B, int64_t ldb, int64_t k0, int64_t kc, int64_t n0,
            int64_t nc, float* dst) {
  for (int64_t p = 0; p < nc; p += kNR) {
    const int64_t cols = nc - p < kNR ? nc - p : kNR;
    if (trans_b) {
      // B is [N, K]: walk each column's contiguous K run.
      for (int64_t j = 0; j < kNR; ++j) {
        if (j < cols) {
          const float* src = B + (n0 + p + j) * ldb + k0;
          for (int64_t k = 0; k < kc; ++k) dst[k * kNR + j] = src[k];
        } else {
          for (int64_t k = 0; k < kc; ++k) dst[k * kNR + j] = 0.f;
        }
      }
    } else {
      for (int64_t k = 0; k < kc; ++k) {
        const float* src = B + (k0 + k) * ldb + n0 + p;
        float* d = dst + k * kNR;
        for (int64_t j = 0; j < cols; ++j) d[j] = src[j];
        for (int64_t j = cols; j < kNR; ++j) d[j] = 0.f;
      }
    }
    dst += kNR * kc;
  }
}

// A partial tile (at the right or bottom edge of C) goes through a full-size local tile.
void edge_tile(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, int64_t mr,
               int64_t nr, bool accumulate, const float* row_init, const float* col_init) {
  alignas(64) float tile[kMR * kNR];
  alignas(64) float rows[kMR];
  alignas(64) float cols[kNR];
  if (accumulate) {
    for (int64_t i = 0; i < kMR; ++i)
      for (int64_t j = 0; j < kNR; ++j) tile[i * kNR + j] = (i < mr && j < nr) ? c[i * ldc + j] : 0.f;
  }
  if (row_init) {
    for (int64_t i = 0; i < kMR; ++i) rows[i] = i < mr ? row_init[i] : 0.f;
    row_init = rows;
  }
  if (col_init) {
    for (int64_t j = 0; j < kNR; ++j) cols[j] = j < nr ? col_init[j] : 0.f;
    col_init = cols;
  }
  ukernel(kc, a, b, tile, kNR, accumulate, row_init, col_init);
  for (int64_t i = 0; i < mr; ++i)
    for (int64_t j = 0; j < nr; ++j) c[i * ldc + j] = tile[i * kNR + j];
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A,
          int64_t lda, const float* B, int64_t ldb, float* C, int64_t ldc, const float* bias,
          f32_gemm::BiasKind bias_kind, void* scratch) {
  static_assert(kMC % kMR == 0 && kNC % kNR == 0, "blocks must hold whole micro-tiles");
  static_assert((kMC * kKC + kKC * kNC) * sizeof(float) == kScratchBytes, "scratch size");
  if (M <= 0 || N <= 0) return;
  if (bias_kind == f32_gemm::BiasKind::kNone) bias = nullptr;
  float* packed_a = static_cast<float*>(scratch);
  float* packed_b = packed_a + kMC * kKC;
  for (int64_t jc = 0; jc < N; jc += kNC) {
    const int64_t nc = N - jc < kNC ? N - jc : kNC;
    // K == 0 still runs one (empty) block so that C receives the bias.
    for (int64_t pc = 0; pc == 0 || pc < K; pc += kKC) {
      const int64_t kc = K - pc < kKC ? K - pc : kKC;
      const bool accumulate = pc > 0;
      pack_b(trans_b, B, ldb, pc, kc, jc, nc, packed_b);
      for (int64_t ic = 0; ic < M; ic += kMC) {
        const int64_t mc = M - ic < kMC ? M - ic : kMC;
        pack_a(trans_a, A, lda, ic, mc, pc, kc, packed_a);
        for (int64_t jr = 0; jr < nc; jr += kNR) {
          const int64_t nr = nc - jr < kNR ? nc - jr : kNR;
          const float* col_init = nullptr;
          if (!accumulate && bias && bias_kind == f32_gemm::BiasKind::kPerColumn)
            col_init = bias + jc + jr;
          for (int64_t ir = 0; ir < mc; ir += kMR) {
            const int64_t mr = mc - ir < kMR ? mc - ir : kMR;
            const float* row_init = nullptr;
            if (!accumulate && bias && bias_kind == f32_gemm::BiasKind::kPerRow)
              row_init = bias + ic + ir;
            const float* a = packed_a + ir * kc;
            const float* b = packed_b + jr * kc;
            float* c = C + (ic + ir) * ldc + jc + jr;
            if (mr == kMR && nr == kNR) {
              ukernel(kc, a, b, c, ldc, accumulate, row_init, col_init);
            } else {
              edge_tile(kc, a, b, c, ldc, mr, nr, accumulate, row_init, col_init);
            }
          }
        }
      }
    }
  }
}
