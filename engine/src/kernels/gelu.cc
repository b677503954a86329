// gelu.f32.ref — the gelu op: Out = 0.5 x (1 + erf(x / sqrt 2)), or with `approximate`
// the tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
#include <cmath>

#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace gelu_f32_ref {
namespace {

void gelu_erf(float* data, int64_t n, const Activation& /*act*/) {
  for (int64_t i = 0; i < n; ++i) {
    const double x = data[i];
    data[i] = static_cast<float>(0.5 * x * (1.0 + std::erf(x * 0.70710678118654752440)));
  }
}

void gelu_tanh(float* data, int64_t n, const Activation& /*act*/) {
  for (int64_t i = 0; i < n; ++i) {
    const double x = data[i];
    const double inner = 0.79788456080286535588 * (x + 0.044715 * x * x * x);
    data[i] = static_cast<float>(0.5 * x * (1.0 + std::tanh(inner)));
  }
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  Activation f;
  f.fn = init.op().get_bool("approximate", false) ? &gelu_tanh : &gelu_erf;
  return helpers::unary_ref::create(f, out);
}

}  // namespace gelu_f32_ref
}  // namespace kernels
}  // namespace tailor
