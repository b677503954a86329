// elementwise_mul.f32.avx2 — elementwise_mul and fusion_elementwise_mul_activation
// on float32 with any Paddle broadcast. broadcast.ref plans the broadcast, checks shapes and
// applies the fused activation; the AVX2 part is the innermost run (elementwise_avx2.inl).
#include <immintrin.h>

#include "helpers/broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_mul_f32_avx2 {

#include "kernels/x86/elementwise_avx2.inl"

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  static constexpr helpers::broadcast_ref::BinaryRunFn kRun = &run<Mul>;
  return helpers::broadcast_ref::create_binary_kernel(init, kRun, out);
}

}  // namespace elementwise_mul_f32_avx2
}  // namespace kernels
}  // namespace tailor
