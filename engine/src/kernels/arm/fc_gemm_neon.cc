// fc.f32.gemm.neon — fc and mul: a flattened input times a 2-D weight (+ bias, activation).
// The driver (f32-matmul.flat) is ISA-neutral; the NEON part is the GEMM (f32-gemm.neon).
#include "helpers/f32-gemm/neon.h"
#include "helpers/f32-matmul/flat.h"

namespace tailor {
namespace kernels {
namespace fc_f32_gemm_neon {

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::f32_matmul_flat::create(init, helpers::f32_gemm_neon::kBackend, "fc.f32.gemm.neon", out);
}

}  // namespace fc_f32_gemm_neon
}  // namespace kernels
}  // namespace tailor
