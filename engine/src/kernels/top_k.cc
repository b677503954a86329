// top_k.f32.ref — legacy top_k: the k largest along the last axis, with their int64 indices;
// ties keep index order (helpers/sort).
#include <memory>

#include "core/kernel.h"
#include "helpers/sort/sort.h"

namespace tailor {
namespace kernels {
namespace top_k_f32_ref {

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return helpers::sort_ref::create_topk(false, out);
}

}  // namespace top_k_f32_ref
}  // namespace kernels
}  // namespace tailor
