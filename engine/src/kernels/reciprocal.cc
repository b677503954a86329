// reciprocal.f32.ref — the reciprocal op: Out = 1 / X.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace reciprocal_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& /*act*/) {
  for (int64_t i = 0; i < n; ++i) data[i] = 1.f / data[i];
}

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  Activation f;
  f.fn = &apply;
  return helpers::unary_ref::create(f, out);
}

}  // namespace reciprocal_f32_ref
}  // namespace kernels
}  // namespace tailor
