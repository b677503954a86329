// elementwise_add.f32.neon — elementwise_add and fusion_elementwise_add_activation
// on float32 with any Paddle broadcast. broadcast.ref plans the broadcast, checks shapes and
// applies the fused activation; the NEON part is the innermost run (elementwise_neon.inl).
#include <arm_neon.h>

#include "helpers/broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_add_f32_neon {

#include "kernels/arm/elementwise_neon.inl"

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  static constexpr helpers::broadcast_ref::BinaryRunFn kRun = &run<Add>;
  return helpers::broadcast_ref::create_binary_kernel(init, kRun, out);
}

}  // namespace elementwise_add_f32_neon
}  // namespace kernels
}  // namespace tailor
