// matmul.f32.gemm.avx2 — matmul / matmul_v2: batched GEMMs with broadcast batch dims,
// transposes and alpha. The driver (f32-matmul.batched) is ISA-neutral; the AVX2+FMA part is the
// GEMM (f32-gemm.avx2).
#include "helpers/f32-gemm/avx2.h"
#include "helpers/f32-matmul/batched.h"

namespace tailor {
namespace kernels {
namespace matmul_f32_gemm_avx2 {

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::f32_matmul_batched::create(init, helpers::f32_gemm_avx2::kBackend,
                                             "matmul.f32.gemm.avx2", out);
}

}  // namespace matmul_f32_gemm_avx2
}  // namespace kernels
}  // namespace tailor
