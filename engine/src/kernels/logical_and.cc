// logical_and: Out = X && Y on bool tensors (same shape, or broadcast by Paddle's `axis` rules); Out is bool.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace logical_and_any_ref {

namespace {

struct And {
  bool operator()(bool a, bool b) const { return a && b; }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::logic_util::create_logical<And>("logical_and.any.ref", out);
}

}  // namespace logical_and_any_ref
}  // namespace kernels
}  // namespace tailor
