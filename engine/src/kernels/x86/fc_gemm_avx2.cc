// fc.f32.gemm.avx2 — fc and mul: a flattened input times a 2-D weight (+ bias, activation).
// The driver (f32-matmul.flat) is ISA-neutral; the AVX2+FMA part is the GEMM (f32-gemm.avx2).
#include "helpers/f32-gemm/avx2.h"
#include "helpers/f32-matmul/flat.h"

namespace tailor {
namespace kernels {
namespace fc_f32_gemm_avx2 {

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::f32_matmul_flat::create(init, helpers::f32_gemm_avx2::kBackend, "fc.f32.gemm.avx2", out);
}

}  // namespace fc_f32_gemm_avx2
}  // namespace kernels
}  // namespace tailor
