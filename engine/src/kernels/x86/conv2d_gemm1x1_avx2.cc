// conv2d.f32.gemm1x1.avx2 — conv2d with a 1x1 filter, stride 1, no padding and
// groups 1: one GEMM over the channels per image.
// The driver (f32-conv2d-gemm) is ISA-neutral; the AVX2+FMA part is the GEMM (f32-gemm.avx2).
#include "helpers/f32-conv2d-gemm/conv2d_gemm.h"
#include "helpers/f32-gemm/avx2.h"

namespace tailor {
namespace kernels {
namespace conv2d_f32_gemm1x1_avx2 {

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::f32_conv2d_gemm::create(init, helpers::f32_gemm_avx2::kBackend,
                                          helpers::f32_conv2d_gemm::Variant::k1x1,
                                          "conv2d.f32.gemm1x1.avx2", out);
}

}  // namespace conv2d_f32_gemm1x1_avx2
}  // namespace kernels
}  // namespace tailor
