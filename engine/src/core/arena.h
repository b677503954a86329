// Activation arena planning: one buffer for all intermediate tensors, offsets
// chosen from their lifetimes so that tensors never alive together share bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tailor {

struct ArenaRequest {
  size_t size;    // bytes
  int32_t first;  // index of the op that defines the tensor (may be -1: before all ops)
  int32_t last;   // index of the last op that reads it (inclusive)
};

// Greedy by size: tensors in decreasing size take the best-fitting (smallest
// sufficient) gap among already placed tensors whose lifetimes overlap, or go
// above them all. Offsets are multiples of `align`. Returns the peak (arena
// size) or SIZE_MAX when the sum of sizes overflows.
size_t plan_arena(const std::vector<ArenaRequest>& requests, size_t align, std::vector<size_t>* offsets);

}  // namespace tailor
