#include "core/arena.h"

#include <algorithm>
#include <cstdint>

namespace tailor {

size_t plan_arena(const std::vector<ArenaRequest>& requests, size_t align, std::vector<size_t>* offsets) {
  const size_t n = requests.size();
  *offsets = std::vector<size_t>(n);
  std::vector<size_t> rounded(n), order(n), placed(n);
  for (size_t i = 0; i < n; ++i) {
    if (requests[i].size > SIZE_MAX - align) return SIZE_MAX;
    rounded[i] = (requests[i].size + align - 1) / align * align;
  }
  // Larger first; among equals, earlier definition first, so plans are stable.
  // An insertion sort (stable, and tiny next to std::stable_sort): the
  // placement below is quadratic in n anyway.
  for (size_t i = 0; i < n; ++i) {
    size_t k = i;
    for (; k > 0; --k) {
      size_t prev = order[k - 1];
      bool before = rounded[i] != rounded[prev] ? rounded[i] > rounded[prev] : requests[i].first < requests[prev].first;
      if (!before) break;
      order[k] = prev;
    }
    order[k] = i;
  }

  size_t num_placed = 0;  // placed[0 .. num_placed): indices, kept sorted by offset
  size_t peak = 0;
  for (size_t idx : order) {
    const ArenaRequest& r = requests[idx];
    const size_t size = rounded[idx];
    size_t best = SIZE_MAX, best_gap = SIZE_MAX, prev_end = 0;
    for (size_t k = 0; k < num_placed; ++k) {
      const size_t p = placed[k];
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
    // Insert after every entry with an offset <= best.
    size_t k = num_placed++;
    for (; k > 0 && (*offsets)[placed[k - 1]] > best; --k) placed[k] = placed[k - 1];
    placed[k] = idx;
  }
  return peak;
}

}  // namespace tailor
