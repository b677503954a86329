// softplus.f32.ref — the softplus op: Out = X where beta * X > threshold, else
// log(1 + exp(beta * X)) / beta (paddle 2.6 and Lite's host kernel).
#include <cmath>
#include <string>

#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace softplus_f32_ref {
namespace {

void apply(float* data, int64_t n, const Activation& act) {
  const float beta = act.alpha, threshold = act.beta;
  for (int64_t i = 0; i < n; ++i) {
    const float xb = data[i] * beta;
    if (!(xb > threshold)) data[i] = std::log1p(std::exp(xb)) / beta;
  }
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Activation f;
  f.fn = &apply;
  f.alpha = static_cast<float>(op.get_float("beta", 1.0));
  f.beta = static_cast<float>(op.get_float("threshold", 20.0));
  if (!std::isfinite(f.alpha) || f.alpha == 0.f)
    return Status::BadModel(op.type + ": beta must be finite and nonzero, got " + std::to_string(f.alpha));
  if (std::isnan(f.beta)) return Status::BadModel(op.type + ": threshold is NaN");
  return helpers::unary_ref::create(f, out);
}

}  // namespace softplus_f32_ref
}  // namespace kernels
}  // namespace tailor
