// reduce_all (bool): true where every element is true over `dim`. Dims, keep_dim and reduce_all follow
// shape_util::plan_reduce (a full reduction gives [1]). Bytes other than 0 count as true.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_all_any_ref {

namespace su = helpers::shape_util;

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<su::BoolReduceKernel>("reduce_all.any.ref", out, /*all=*/true);
}

}  // namespace reduce_all_any_ref
}  // namespace kernels
}  // namespace tailor
