// round.f32.ref — the round op: Out = round(X), halfway cases away from zero (paddle, Lite: std::round).
#include <cmath>

#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace round_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& /*act*/) {
  for (int64_t i = 0; i < n; ++i) data[i] = std::round(data[i]);
}

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  Activation f;
  f.fn = &apply;
  return helpers::unary_ref::create(f, out);
}

}  // namespace round_f32_ref
}  // namespace kernels
}  // namespace tailor
