// leaky_relu.f32.epilogue — the leaky_relu activation, applied in place:
//   x >= 0 ? x : alpha * x
// The one place this math lives: the leaky_relu op kernel and every fused form call it.
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace leaky_relu_f32_epilogue {

void apply(float* data, int64_t n, const Activation& act) {
  const float a = act.alpha;
  for (int64_t i = 0; i < n; ++i) data[i] = data[i] >= 0.f ? data[i] : a * data[i];
}

}  // namespace leaky_relu_f32_epilogue
}  // namespace kernels
}  // namespace tailor
