// relu_clipped.f32.ref — Lite's relu_clipped op: Out = min(max(X, 0), Relu_clipped_coef).
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace relu_clipped_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& act) {
  const float coef = act.alpha;
  for (int64_t i = 0; i < n; ++i) {
    const float v = data[i] > 0.f ? data[i] : 0.f;
    data[i] = v < coef ? v : coef;
  }
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  Activation f;
  f.fn = &apply;
  f.alpha = static_cast<float>(init.op().get_float("Relu_clipped_coef", 6.0));
  return helpers::unary_ref::create(f, out);
}

}  // namespace relu_clipped_f32_ref
}  // namespace kernels
}  // namespace tailor
