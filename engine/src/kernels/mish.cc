// mish.f32.ref — the mish op: Out = X * tanh(softplus(X)), softplus(X) = X above `threshold`
// (paddle 2.6's rule; Lite 2.13 also uses exp(X) below -threshold, which only matters for small
// thresholds), else log(1 + exp(X)).
#include <cmath>
#include <string>

#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace mish_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& act) {
  const float threshold = act.alpha;
  for (int64_t i = 0; i < n; ++i) {
    const float x = data[i];
    const float sp = x > threshold ? x : std::log1p(std::exp(x));
    data[i] = x * std::tanh(sp);
  }
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  Activation f;
  f.fn = &apply;
  f.alpha = static_cast<float>(init.op().get_float("threshold", 20.0));
  if (std::isnan(f.alpha)) return Status::BadModel(init.op().type + ": threshold is NaN");
  return helpers::unary_ref::create(f, out);
}

}  // namespace mish_f32_ref
}  // namespace kernels
}  // namespace tailor
