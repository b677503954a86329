// hard_swish.f32.epilogue — the hard_swish activation, applied in place:
//   x * min(max(x + offset, 0), threshold) / scale
//   (alpha = threshold, beta = scale, gamma = offset)
// The one place this math lives: the hard_swish op kernel and every fused form call it.
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace hard_swish_f32_epilogue {

void apply(float* data, int64_t n, const Activation& act) {
  const float threshold = act.alpha, scale = act.beta, offset = act.gamma;
  for (int64_t i = 0; i < n; ++i) {
    float r = data[i] + offset;
    r = r > 0.f ? r : 0.f;
    r = r < threshold ? r : threshold;
    data[i] = data[i] * r / scale;
  }
}

}  // namespace hard_swish_f32_epilogue
}  // namespace kernels
}  // namespace tailor
