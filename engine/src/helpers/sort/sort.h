// sort.ref: the ordering shared by top_k, top_k_v2 and argsort — each slice of X along one axis sorted
// stably (ties keep index order), NaN ordered above every number as in Paddle's comparators.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/kernel.h"

namespace tailor {
namespace helpers {
namespace sort_ref {

// X seen as [outer, n, inner]; for each (outer, inner) slice of n values writes the first k of the
// sorted slice (largest first when `descending`) to vals/idx seen as [outer, k, inner]. `order` is
// the caller's scratch (resized to n). Needs 1 <= k <= n.
void sorted_slices(const float* x, int64_t outer, int64_t n, int64_t inner, int64_t k, bool descending,
                   float* vals, int64_t* idx, std::vector<int64_t>* order);

// The kernel of top_k (v2 = false: the last axis, always largest first) and top_k_v2 (attributes
// axis, largest; `sorted` is honoured by always sorting). k is the `k` attribute or the constant
// one-element K input; Out (X's dtype float32) and Indices (int64) are X's dims with the axis k long.
Status create_topk(bool v2, std::unique_ptr<Kernel>* out);

}  // namespace sort_ref
}  // namespace helpers
}  // namespace tailor
