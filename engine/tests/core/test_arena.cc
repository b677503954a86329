#include <algorithm>
#include <cstdint>
#include <random>

#include "core/arena.h"
#include "test_harness.h"

using namespace tailor;

namespace {

// No two tensors whose lifetimes overlap may share a byte; all offsets aligned.
bool valid_plan(const std::vector<ArenaRequest>& r, const std::vector<size_t>& off, size_t peak, size_t align) {
  for (size_t i = 0; i < r.size(); ++i) {
    if (off[i] % align != 0 || off[i] + r[i].size > peak) return false;
    for (size_t j = i + 1; j < r.size(); ++j) {
      bool live_together = !(r[i].last < r[j].first || r[j].last < r[i].first);
      bool bytes_overlap = off[i] < off[j] + r[j].size && off[j] < off[i] + r[i].size;
      if (live_together && bytes_overlap && r[i].size && r[j].size) return false;
    }
  }
  return true;
}

}  // namespace

TEST(arena_chain_reuses_memory) {
  // a -> b -> c -> d: each tensor only lives with its neighbour.
  std::vector<ArenaRequest> r = {{1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}, {1000, 3, 4}};
  std::vector<size_t> off;
  size_t peak = plan_arena(r, 64, &off);
  EXPECT(valid_plan(r, off, peak, 64));
  EXPECT(peak == 2 * 1024);  // two 1024-byte slots
}

TEST(arena_best_fit_gap) {
  // A big tensor and a small one alive early; later a small one fits in the gap the first small one left.
  std::vector<ArenaRequest> r = {{4096, 0, 10}, {128, 0, 2}, {128, 5, 10}, {2048, 0, 3}};
  std::vector<size_t> off;
  size_t peak = plan_arena(r, 64, &off);
  EXPECT(valid_plan(r, off, peak, 64));
  EXPECT(peak == 4096 + 2048 + 128);
}

TEST(arena_random_plans_are_valid) {
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<ArenaRequest> r;
    int n = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      int32_t first = static_cast<int32_t>(rng() % 30) - 1;
      int32_t last = first + static_cast<int32_t>(rng() % 8);
      r.push_back({rng() % 5000, first, last});
    }
    std::vector<size_t> off;
    size_t peak = plan_arena(r, 64, &off);
    EXPECT(valid_plan(r, off, peak, 64));
    // Never worse than giving every tensor its own slot.
    size_t sum = 0;
    for (const auto& q : r) sum += (q.size + 63) / 64 * 64;
    EXPECT(peak <= sum);
    // Never better than the largest set of tensors alive at one op.
    size_t best_live = 0;
    for (int t = -1; t < 40; ++t) {
      size_t live = 0;
      for (const auto& q : r) live += (q.first <= t && t <= q.last) ? (q.size + 63) / 64 * 64 : 0;
      best_live = std::max(best_live, live);
    }
    EXPECT(peak >= best_live);
  }
}

TEST(arena_overflow_is_reported) {
  std::vector<ArenaRequest> r = {{SIZE_MAX - 10, 0, 1}};
  std::vector<size_t> off;
  EXPECT(plan_arena(r, 64, &off) == SIZE_MAX);
  std::vector<ArenaRequest> two = {{SIZE_MAX / 2 + 64, 0, 1}, {SIZE_MAX / 2 + 64, 0, 1}};
  EXPECT(plan_arena(two, 64, &off) == SIZE_MAX);
}
