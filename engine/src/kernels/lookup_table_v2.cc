// lookup_table_v2 (any dtype W): Out = W[Ids] row by row: Ids (int32/int64,
// any shape) -> Ids.dims + [W.dims[1]].
// An id equal to padding_idx gives zeros (padding_idx -1: none); any other id
// outside [0, W.dims[0]) fails the run.
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace lookup_table_v2_any_ref {

namespace mu = helpers::movement_util;

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::shape_util::make_kernel<mu::LookupKernel>("lookup_table_v2.any.ref", out, /*legacy=*/false);
}

}  // namespace lookup_table_v2_any_ref
}  // namespace kernels
}  // namespace tailor
