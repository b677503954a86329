// unstack (any dtype): splits X along `axis` into X.dims[axis] outputs Y, each X
// without that dim. `num`, when set, must equal X.dims[axis].
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace unstack_any_ref {

namespace mu = helpers::movement_util;

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::shape_util::make_kernel<mu::UnstackKernel>("unstack.any.ref", out, "Y");
}

}  // namespace unstack_any_ref
}  // namespace kernels
}  // namespace tailor
