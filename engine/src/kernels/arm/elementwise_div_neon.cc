// elementwise_div.f32.neon — elementwise_div and fusion_elementwise_div_activation
// on float32 with any Paddle broadcast. broadcast.ref plans the broadcast, checks shapes and
// applies the fused activation; the NEON part is the innermost run (elementwise_neon.inl).
#include <arm_neon.h>

#include "helpers/broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_div_f32_neon {

#include "kernels/arm/elementwise_neon.inl"

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
#if defined(__aarch64__)
  static constexpr helpers::broadcast_ref::BinaryRunFn kRun = &run<Div>;
#else
  static constexpr helpers::broadcast_ref::BinaryRunFn kRun = &run_div;
#endif
  return helpers::broadcast_ref::create_binary_kernel(init, kRun, out);
}

}  // namespace elementwise_div_f32_neon
}  // namespace kernels
}  // namespace tailor
