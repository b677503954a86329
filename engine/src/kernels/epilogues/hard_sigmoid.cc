// hard_sigmoid.f32.epilogue — the hard_sigmoid activation, applied in place:
//   max(0, min(1, slope * x + offset))
//   (beta = slope, gamma = offset)
// The one place this math lives: the hard_sigmoid op kernel and every fused form call it.
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace hard_sigmoid_f32_epilogue {

void apply(float* data, int64_t n, const Activation& act) {
  const float slope = act.beta, offset = act.gamma;
  for (int64_t i = 0; i < n; ++i) {
    float v = slope * data[i] + offset;
    v = v > 0.f ? v : 0.f;
    data[i] = v < 1.f ? v : 1.f;
  }
}

}  // namespace hard_sigmoid_f32_epilogue
}  // namespace kernels
}  // namespace tailor
