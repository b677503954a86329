// matmul.f32.gemm.neon — matmul / matmul_v2: batched GEMMs with broadcast batch dims,
// transposes and alpha. The driver (f32-matmul.batched) is ISA-neutral; the NEON part is the
// GEMM (f32-gemm.neon).
#include "helpers/f32-gemm/neon.h"
#include "helpers/f32-matmul/batched.h"

namespace tailor {
namespace kernels {
namespace matmul_f32_gemm_neon {

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::f32_matmul_batched::create(init, helpers::f32_gemm_neon::kBackend,
                                             "matmul.f32.gemm.neon", out);
}

}  // namespace matmul_f32_gemm_neon
}  // namespace kernels
}  // namespace tailor
