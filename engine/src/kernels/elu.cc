// elu.f32.ref — the elu op: Out = X > 0 ? X : alpha * (exp(X) - 1).
#include <cmath>

#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace elu_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& act) {
  const float alpha = act.alpha;
  for (int64_t i = 0; i < n; ++i)
    data[i] = data[i] > 0.f ? data[i] : alpha * (std::exp(data[i]) - 1.f);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Activation f;
  f.fn = &apply;
  f.alpha = static_cast<float>(op.get_float("alpha", 1.0));
  return helpers::unary_ref::create(f, out);
}

}  // namespace elu_f32_ref
}  // namespace kernels
}  // namespace tailor
