#include "helpers/pad/pad_util.h"

#include <string>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace helpers {
namespace pad_util {

bool parse_mode(std::string_view name, Mode* mode) {
  if (name == "constant") {
    *mode = Mode::kConstant;
  } else if (name == "reflect") {
    *mode = Mode::kReflect;
  } else if (name == "replicate" || name == "edge") {
    *mode = Mode::kReplicate;
  } else if (name == "circular") {
    *mode = Mode::kCircular;
  } else {
    return false;
  }
  return true;
}

Status make_plan(std::string_view op, Mode mode, int64_t outer, int64_t inner, const int64_t (&in)[kAxes],
                 const int64_t (&before)[kAxes], const int64_t (&after)[kAxes],
                 const char* const (&axis_names)[kAxes], Plan* plan) {
  constexpr int64_t kCap = shape_util::kMaxElements;
  const std::string prefix = std::string(op) + ": ";
  if (outer < 1 || inner < 1 || outer > kCap || inner > kCap) {
    return Status::Invalid(prefix + "invalid tensor geometry for padding");
  }
  Plan p;
  p.mode = mode;
  p.outer = outer;
  p.inner = inner;
  int64_t total = outer;
  if (total > kCap / inner) return Status::Invalid(prefix + "padded output too large");
  total *= inner;
  for (int a = 0; a < kAxes; ++a) {
    const int64_t size = in[a];
    if (size < 1 || size > kCap) {
      return Status::Invalid(prefix + axis_names[a] + " size " + std::to_string(size) + " is invalid");
    }
    // Reflection mirrors around the edge without repeating it: pad <= size - 1.
    const int64_t limit = mode == Mode::kReflect ? size - 1 : kCap;
    for (int64_t pad : {before[a], after[a]}) {
      if (pad < 0 || pad > limit) {
        return Status::Invalid(prefix + axis_names[a] + " padding " + std::to_string(pad) + " is invalid for size " +
                               std::to_string(size) +
                               (mode == Mode::kReflect ? " in reflect mode (needs 0 <= pad < size)"
                                                       : " (needs 0 <= pad)"));
      }
    }
    const int64_t out = size + before[a] + after[a];  // each term <= 2^31: no overflow
    if (out > kCap || total > kCap / out) {
      return Status::Invalid(prefix + "padded output has more than " + std::to_string(kCap) + " elements");
    }
    total *= out;
    p.in[a] = size;
    p.out[a] = out;
    p.before[a] = before[a];
  }
  *plan = p;
  return Status::Ok();
}

}  // namespace pad_util
}  // namespace helpers
}  // namespace tailor
