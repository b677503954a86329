#include "core/arena.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace tailor {

size_t plan_arena(const std::vector<ArenaRequest>& requests, size_t align, std::vector<size_t>* offsets) {
  const size_t n = requests.size();
  offsets->assign(n, 0);
  std::vector<size_t> rounded(n);
  for (size_t i = 0; i < n; ++i) {
    if (requests[i].size > SIZE_MAX - align) return SIZE_MAX;
    rounded[i] = (requests[i].size + align - 1) / align * align;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  // Larger first; among equals, earlier definition first, so plans are stable.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rounded[a] != rounded[b]) return rounded[a] > rounded[b];
    return requests[a].first < requests[b].first;
  });

  std::vector<size_t> placed;  // indices, kept sorted by offset
  placed.reserve(n);
  size_t peak = 0;
  for (size_t idx : order) {
    const ArenaRequest& r = requests[idx];
    const size_t size = rounded[idx];
    size_t best = SIZE_MAX, best_gap = SIZE_MAX, prev_end = 0;
    for (size_t p : placed) {
      const ArenaRequest& q = requests[p];
      if (q.last < r.first || r.last < q.first) continue;  // lifetimes disjoint
      size_t off = (*offsets)[p];
      if (off >= prev_end) {
        size_t gap = off - prev_end;
        if (gap >= size && gap < best_gap) {
          best = prev_end;
          best_gap = gap;
        }
      }
      prev_end = std::max(prev_end, off + rounded[p]);
    }
    if (best == SIZE_MAX) best = prev_end;
    if (best > SIZE_MAX - size) return SIZE_MAX;
    (*offsets)[idx] = best;
    peak = std::max(peak, best + size);
    auto pos = std::upper_bound(placed.begin(), placed.end(), best,
                                [&](size_t off, size_t p) { return off < (*offsets)[p]; });
    placed.insert(pos, idx);
  }
  return peak;
}

}  // namespace tailor
