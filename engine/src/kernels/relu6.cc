// relu6.f32.ref — the relu6 op: Out = relu6(X), computed by its epilogue unit.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace relu6_f32_ref {
namespace {

// Activation ops carry Paddle's plain attribute names (the fused forms use prefixed ones).
void set_params(const OpDesc& op, Activation* act) {
  act->alpha = static_cast<float>(op.get_float("threshold", 6.0));
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::unary_ref::create_activation_op(init, "relu6", &set_params, out);
}

}  // namespace relu6_f32_ref
}  // namespace kernels
}  // namespace tailor
