// dropout.f32.ref — dropout at inference: `downgrade_in_infer` (Paddle's default) scales by
// (1 - dropout_prob); `upscale_in_train` is the identity. The Mask output, if the program
// lists one, is left unset (nothing reads it at inference).
#include <string>

#include "core/kernel.h"
#include "helpers/unary/ref.h"

namespace tailor {
namespace kernels {
namespace dropout_f32_ref {
namespace {

void scale_by_keep(float* data, int64_t n, const Activation& act) {
  const float keep = act.alpha;
  for (int64_t i = 0; i < n; ++i) data[i] *= keep;
}

void identity(float* /*data*/, int64_t /*n*/, const Activation& /*act*/) {}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  const std::string impl = op.get_string("dropout_implementation", "downgrade_in_infer");
  const double p = op.get_float("dropout_prob", 0.5);
  if (!(p >= 0.0 && p <= 1.0))
    return Status::BadModel("dropout: dropout_prob " + std::to_string(p) + " not in [0, 1]");
  Activation f;
  if (impl == "downgrade_in_infer") {
    f.fn = &scale_by_keep;
    f.alpha = static_cast<float>(1.0 - p);
  } else if (impl == "upscale_in_train") {
    f.fn = &identity;
  } else {
    return Status::BadModel("dropout: unknown dropout_implementation '" + impl + "'");
  }
  return helpers::unary_ref::create(f, out);
}

}  // namespace dropout_f32_ref
}  // namespace kernels
}  // namespace tailor
