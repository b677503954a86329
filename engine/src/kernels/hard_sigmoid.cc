// hard_sigmoid.f32.ref — the hard_sigmoid op: Out = hard_sigmoid(X), computed by its
// epilogue unit.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace hard_sigmoid_f32_ref {
namespace {

// Activation ops carry Paddle's plain attribute names (the fused forms use prefixed ones).
void set_params(const OpDesc& op, Activation* act) {
  act->beta = static_cast<float>(op.get_float("slope", 0.2));
  act->gamma = static_cast<float>(op.get_float("offset", 0.5));
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::unary_ref::create_activation_op(init, "hard_sigmoid", &set_params, out);
}

}  // namespace hard_sigmoid_f32_ref
}  // namespace kernels
}  // namespace tailor
