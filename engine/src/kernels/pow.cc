// pow.f32.ref — the pow op: Out = X ^ factor (the `factor` attribute; a FactorTensor input
// is not supported).
#include <cmath>

#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace pow_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& act) {
  const float factor = act.alpha;
  for (int64_t i = 0; i < n; ++i) data[i] = std::pow(data[i], factor);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Activation f;
  f.fn = &apply;
  if (op.input("FactorTensor") && !op.input("FactorTensor")->args.empty())
    return Status::Unsupported("pow: FactorTensor input is not supported");
  f.alpha = static_cast<float>(op.get_float("factor", 1.0));
  return helpers::unary_ref::create(f, out);
}

}  // namespace pow_f32_ref
}  // namespace kernels
}  // namespace tailor
