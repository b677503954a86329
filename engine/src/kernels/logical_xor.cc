// logical_xor: Out = X xor Y on bool tensors (same shape, or broadcast by Paddle's `axis` rules);
// Out is bool.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace logical_xor_any_ref {

namespace {

struct Xor {
  bool operator()(bool a, bool b) const { return a != b; }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::logic_util::create_logical<Xor>("logical_xor.any.ref", out);
}

}  // namespace logical_xor_any_ref
}  // namespace kernels
}  // namespace tailor
