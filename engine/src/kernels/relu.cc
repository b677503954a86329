// relu.f32.ref — the relu op: Out = relu(X), computed by its epilogue unit.
#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace relu_f32_ref {

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  return helpers::unary_ref::create_activation_op(init, "relu", nullptr, out);
}

}  // namespace relu_f32_ref
}  // namespace kernels
}  // namespace tailor
