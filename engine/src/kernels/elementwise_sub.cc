// elementwise_sub.f32.ref — elementwise_sub and fusion_elementwise_sub_activation: Out = x - y
// with Paddle's `axis` broadcasting (broadcast.ref) and the fused activation.
#include "core/kernel.h"
#include "helpers/broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_sub_f32_ref {
namespace {

void run(const float* x, int64_t xs, const float* y, int64_t ys, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = x[i * xs] - y[i * ys];
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::broadcast_ref::create_binary_kernel(init, &run, out);
}

}  // namespace elementwise_sub_f32_ref
}  // namespace kernels
}  // namespace tailor
