// top_k_v2.f32.ref — top_k_v2: the k largest (or smallest: largest false) along `axis`, with their
// int64 indices; ties keep index order (helpers/sort).
#include <memory>

#include "core/kernel.h"
#include "helpers/sort/sort.h"

namespace tailor {
namespace kernels {
namespace top_k_v2_f32_ref {

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return helpers::sort_ref::create_topk(true, out);
}

}  // namespace top_k_v2_f32_ref
}  // namespace kernels
}  // namespace tailor
