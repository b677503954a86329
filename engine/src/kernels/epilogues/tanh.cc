// tanh.f32.epilogue — the tanh activation, applied in place:
//   tanh(x)
// The one place this math lives: the tanh op kernel and every fused form call it.
#include <cmath>
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace tanh_f32_epilogue {

void apply(float* data, int64_t n, const Activation& /*act*/) {
  for (int64_t i = 0; i < n; ++i) data[i] = std::tanh(data[i]);
}

}  // namespace tanh_f32_epilogue
}  // namespace kernels
}  // namespace tailor
