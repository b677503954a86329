// swish.f32.epilogue — the swish activation, applied in place:
//   x * sigmoid(beta * x)
//   (alpha = beta)
// The one place this math lives: the swish op kernel and every fused form call it.
#include <cmath>
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace swish_f32_epilogue {

void apply(float* data, int64_t n, const Activation& act) {
  const float beta = act.alpha;
  for (int64_t i = 0; i < n; ++i) data[i] = data[i] / (1.f + std::exp(-beta * data[i]));
}

}  // namespace swish_f32_epilogue
}  // namespace kernels
}  // namespace tailor
