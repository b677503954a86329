// leaky_relu.f32.ref — the leaky_relu op: Out = leaky_relu(X), computed by its epilogue unit.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace leaky_relu_f32_ref {
namespace {

// Activation ops carry Paddle's plain attribute names (the fused forms use prefixed ones).
void set_params(const OpDesc& op, Activation* act) {
  act->alpha = static_cast<float>(op.get_float("alpha", 0.02));
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::unary_ref::create_activation_op(init, "leaky_relu", &set_params, out);
}

}  // namespace leaky_relu_f32_ref
}  // namespace kernels
}  // namespace tailor
