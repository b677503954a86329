// logical_not: Out = !X on a bool tensor; Out is bool.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace logical_not_any_ref {

namespace lu = helpers::logic_util;

namespace {

void run(const void* x, void* out, int64_t n) {
  bool* o = static_cast<bool*>(out);
  for (int64_t i = 0; i < n; ++i) o[i] = !lu::load_bool(x, i);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  lu::ByDType<lu::UnaryFn> fns;
  fns.boolean = &run;
  return lu::create_unary("logical_not.any.ref", fns, true, out);
}

}  // namespace logical_not_any_ref
}  // namespace kernels
}  // namespace tailor
