// unbind (any dtype): splits X along `axis` into X.dims[axis] outputs Out,
// each X without that dim.
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace unbind_any_ref {

namespace mu = helpers::movement_util;

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::shape_util::make_kernel<mu::UnstackKernel>("unbind.any.ref", out, "Out");
}

}  // namespace unbind_any_ref
}  // namespace kernels
}  // namespace tailor
