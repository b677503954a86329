// lookup_table (legacy, any dtype W): Out = W[Ids] row by row: Ids (int32/int64)
// of shape [..., 1] -> Ids.dims[:-1] + [W.dims[1]].
// An id equal to padding_idx gives zeros (padding_idx -1: none); any other id
// outside [0, W.dims[0]) fails the run.
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace lookup_table_any_ref {

namespace mu = helpers::movement_util;

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::shape_util::make_kernel<mu::LookupKernel>("lookup_table.any.ref", out, /*legacy=*/true);
}

}  // namespace lookup_table_any_ref
}  // namespace kernels
}  // namespace tailor
