// logical_xor: Out = X xor Y on bool tensors (same shape, or broadcast by Paddle's `axis` rules);
// Out is bool.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace logical_xor_any_ref {

namespace lu = helpers::logic_util;

namespace {

void run(const void* x, int64_t xo, int64_t xs, const void* y, int64_t yo, int64_t ys, void* out, int64_t oo,
         int64_t n) {
  bool* o = static_cast<bool*>(out) + oo;
  for (int64_t i = 0; i < n; ++i) {
    const bool a = lu::load_bool(x, xo + i * xs), b = lu::load_bool(y, yo + i * ys);
    o[i] = a != b;
  }
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  lu::ByDType<lu::BinaryFn> fns;
  fns.boolean = &run;
  return lu::create_binary("logical_xor.any.ref", fns, true, out);
}

}  // namespace logical_xor_any_ref
}  // namespace kernels
}  // namespace tailor
