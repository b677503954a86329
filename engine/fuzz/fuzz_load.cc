// libFuzzer target: load a model from the fuzzed bytes, create a predictor,
// and, when the model loads and its plan is small, run it once on a fixed
// input. Any crash, sanitizer report, leak or out-of-memory is a finding.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tailor/tailor.h"

namespace {

constexpr size_t kMaxRunFileBytes = 256 * 1024;        // run only small models: keeps executions fast
constexpr size_t kMaxRunArenaBytes = 16 * 1024 * 1024;
constexpr size_t kMaxInputElements = 1 << 20;

void run_once(tailor_predictor* p) {
  if (tailor_arena_bytes(p) > kMaxRunArenaBytes) return;
  for (size_t i = 0; i < tailor_input_count(p); ++i) {
    int64_t dims[16];
    size_t rank = 0;
    if (tailor_input_shape(p, i, dims, 16, &rank) != TAILOR_OK) return;
    size_t n = 1;
    for (size_t k = 0; k < rank; ++k) {
      if (dims[k] <= 0 || n > kMaxInputElements / static_cast<size_t>(dims[k])) return;
      n *= static_cast<size_t>(dims[k]);
    }
    std::vector<float> data(n);
    for (size_t k = 0; k < n; ++k) data[k] = static_cast<float>(static_cast<int>(k % 17) - 8) / 8.0f;
    if (tailor_set_input(p, i, data.data(), dims, rank) != TAILOR_OK) return;
  }
  if (tailor_run(p) != TAILOR_OK) return;
  for (size_t i = 0; i < tailor_output_count(p); ++i) {
    size_t count = 0;
    tailor_get_output(p, i, nullptr, 0, &count);
    if (count > kMaxInputElements * 16) continue;
    std::vector<float> out(count);
    tailor_get_output(p, i, out.data(), out.size(), &count);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tailor_predictor* p = nullptr;
  if (tailor_predictor_create_from_buffer(data, size, &p) != TAILOR_OK) return 0;
  // Diagnostics must be safe on every loaded model.
  for (size_t i = 0; i < tailor_op_count(p); ++i) {
    (void)tailor_op_type(p, i);
    (void)tailor_op_unit(p, i);
    (void)tailor_op_key(p, i);
  }
  if (size <= kMaxRunFileBytes) run_once(p);
  tailor_predictor_destroy(p);
  return 0;
}
