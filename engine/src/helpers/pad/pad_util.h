// pad-util: the index arithmetic of the pad reference kernels (pad3d; pad2d's
// loop is the 2-D case of the same walk and can move here).
//
// A padded tensor is seen as [outer, D, H, W, inner]: channels-first layouts
// (NCDHW, NCHW) have outer = N*C and inner = 1, channels-last layouts (NDHWC,
// NHWC) outer = N and inner = C. Ops with fewer spatial axes use size 1 and no
// padding for the missing ones. Every output element is written (the constant
// fills the pad region), so the output needs no clearing.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace tailor {
namespace helpers {
namespace pad_util {

// constant: `value`; reflect: mirror without repeating the edge (pad <= size-1);
// replicate (pad2d calls it "edge"): repeat the edge; circular: wrap around.
enum class Mode { kConstant, kReflect, kReplicate, kCircular };

// Paddle's mode names: constant, reflect, replicate, edge (= replicate),
// circular. false for anything else; callers decide which names their op takes.
bool parse_mode(std::string_view name, Mode* mode);

constexpr int kAxes = 3;  // D, H, W

struct Plan {
  Mode mode = Mode::kConstant;
  int64_t outer = 1, inner = 1;
  int64_t in[kAxes] = {1, 1, 1};
  int64_t out[kAxes] = {1, 1, 1};
  int64_t before[kAxes] = {0, 0, 0};  // leading pad per axis (front, top, left)
};

// Validates the pads of every axis for `mode` and fills `plan`. `in` sizes are
// >= 1 and outer/inner >= 1 (the caller checked the input shape); pads must be
// >= 0, < size for reflect, and the output must stay within the engine's
// element cap (no int64 overflow on the way). `axis_names` name the axes in
// errors, e.g. {"depth", "height", "width"}. Errors start with "<op>: ".
Status make_plan(std::string_view op, Mode mode, int64_t outer, int64_t inner, const int64_t (&in)[kAxes],
                 const int64_t (&before)[kAxes], const int64_t (&after)[kAxes],
                 const char* const (&axis_names)[kAxes], Plan* plan);

// The input coordinate that output coordinate `o` reads along an axis of
// `size` with `before` leading pad; -1: the constant. Pads are validated.
inline int64_t source(int64_t o, int64_t before, int64_t size, Mode mode) {
  const int64_t i = o - before;
  if (i >= 0 && i < size) return i;
  switch (mode) {
    case Mode::kConstant: return -1;
    case Mode::kReplicate: return i < 0 ? 0 : size - 1;
    case Mode::kReflect: return i < 0 ? -i : 2 * (size - 1) - i;  // pad <= size-1 keeps this in range
    case Mode::kCircular: return ((i % size) + size) % size;
  }
  return -1;
}

// y = pad(x) for a plan; y is written densely in [outer, D, H, W, inner] order.
template <typename T>
void pad(const Plan& p, T value, const T* x, T* y) {
  const int64_t in_w = p.in[2] * p.inner;
  const int64_t in_hw = p.in[1] * in_w;
  const int64_t in_block = p.in[0] * in_hw;
  for (int64_t o = 0; o < p.outer; ++o) {
    const T* xo = x + o * in_block;
    for (int64_t od = 0; od < p.out[0]; ++od) {
      const int64_t sd = source(od, p.before[0], p.in[0], p.mode);
      for (int64_t oh = 0; oh < p.out[1]; ++oh) {
        const int64_t sh = source(oh, p.before[1], p.in[1], p.mode);
        const bool row_inside = sd >= 0 && sh >= 0;
        const T* row = row_inside ? xo + sd * in_hw + sh * in_w : nullptr;
        for (int64_t ow = 0; ow < p.out[2]; ++ow) {
          const int64_t sw = row_inside ? source(ow, p.before[2], p.in[2], p.mode) : -1;
          if (sw >= 0) {
            const T* src = row + sw * p.inner;
            for (int64_t c = 0; c < p.inner; ++c) *y++ = src[c];
          } else {
            for (int64_t c = 0; c < p.inner; ++c) *y++ = value;
          }
        }
      }
    }
  }
}

}  // namespace pad_util
}  // namespace helpers
}  // namespace tailor
