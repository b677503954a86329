// hard_swish.f32.ref — the hard_swish op: Out = hard_swish(X), computed by its epilogue unit.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace hard_swish_f32_ref {
namespace {

// Activation ops carry Paddle's plain attribute names (the fused forms use prefixed ones).
void set_params(const OpDesc& op, Activation* act) {
  act->alpha = static_cast<float>(op.get_float("threshold", 6.0));
  act->beta = static_cast<float>(op.get_float("scale", 6.0));
  act->gamma = static_cast<float>(op.get_float("offset", 3.0));
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::unary_ref::create_activation_op(init, "hard_swish", &set_params, out);
}

}  // namespace hard_swish_f32_ref
}  // namespace kernels
}  // namespace tailor
