// relu.f32.epilogue — the relu activation, applied in place:
//   max(x, 0)
// The one place this math lives: the relu op kernel and every fused form call it.
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace relu_f32_epilogue {

void apply(float* data, int64_t n, const Activation& /*act*/) {
  for (int64_t i = 0; i < n; ++i) data[i] = data[i] > 0.f ? data[i] : 0.f;
}

}  // namespace relu_f32_epilogue
}  // namespace kernels
}  // namespace tailor
