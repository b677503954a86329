// swish.f32.ref — the swish op: Out = swish(X), computed by its epilogue unit.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace swish_f32_ref {
namespace {

// Activation ops carry Paddle's plain attribute names (the fused forms use prefixed ones).
void set_params(const OpDesc& op, Activation* act) {
  act->alpha = static_cast<float>(op.get_float("beta", 1.0));
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::unary_ref::create_activation_op(init, "swish", &set_params, out);
}

}  // namespace swish_f32_ref
}  // namespace kernels
}  // namespace tailor
