// fusion_elementwise_min_activation.f32.ref — Out = act(min(x, y)) with Paddle's `axis` broadcasting
// (broadcast.ref applies the `act_type` activation). opt 2.13 never fuses elementwise_min + act
// itself; Lite has the kernel for models that carry the fused op.
#include <algorithm>

#include "core/kernel.h"
#include "helpers/broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace fusion_elementwise_min_activation_f32_ref {
namespace {

void run(const float* x, int64_t xs, const float* y, int64_t ys, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::min(x[i * xs], y[i * ys]);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::broadcast_ref::create_binary_kernel(init, &run, out);
}

}  // namespace fusion_elementwise_min_activation_f32_ref
}  // namespace kernels
}  // namespace tailor
