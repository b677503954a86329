// sigmoid.f32.epilogue — the sigmoid activation, applied in place:
//   1 / (1 + exp(-x))
// The one place this math lives: the sigmoid op kernel and every fused form call it.
#include <cmath>
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace sigmoid_f32_epilogue {

void apply(float* data, int64_t n, const Activation& /*act*/) {
  for (int64_t i = 0; i < n; ++i) data[i] = 1.f / (1.f + std::exp(-data[i]));
}

}  // namespace sigmoid_f32_epilogue
}  // namespace kernels
}  // namespace tailor
