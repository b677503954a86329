// relu6.f32.epilogue — the relu6 activation, applied in place:
//   min(max(x, 0), alpha)
//   (alpha = threshold (6 unless the model says otherwise))
// The one place this math lives: the relu6 op kernel and every fused form call it.
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace relu6_f32_epilogue {

void apply(float* data, int64_t n, const Activation& act) {
  const float t = act.alpha;
  for (int64_t i = 0; i < n; ++i) {
    const float v = data[i] > 0.f ? data[i] : 0.f;
    data[i] = v < t ? v : t;
  }
}

}  // namespace relu6_f32_epilogue
}  // namespace kernels
}  // namespace tailor
