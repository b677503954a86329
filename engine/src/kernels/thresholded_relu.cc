// thresholded_relu.f32.ref — the thresholded_relu op: Out = X > threshold ? X : 0.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace thresholded_relu_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& act) {
  const float threshold = act.alpha;
  for (int64_t i = 0; i < n; ++i) data[i] = data[i] > threshold ? data[i] : 0.f;
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  Activation f;
  f.fn = &apply;
  f.alpha = static_cast<float>(init.op().get_float("threshold", 1.0));
  return helpers::unary_ref::create(f, out);
}

}  // namespace thresholded_relu_f32_ref
}  // namespace kernels
}  // namespace tailor
