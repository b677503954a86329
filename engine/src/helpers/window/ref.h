// window.ref: the 2-D sliding-window geometry shared by conv2d, conv2d_transpose
// and pool2d — attribute decoding, Paddle's padding forms and padding_algorithm.
#pragma once
#include <cstdint>

#include "core/op_desc.h"
#include "core/status.h"

namespace tailor {
namespace helpers {
namespace window_ref {

// Attribute values are bounded so that every product below fits comfortably in int64.
constexpr int64_t kMaxWindowParam = 1 << 16;

struct Window2d {
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
};

// Reads a 2-element int list attribute (`strides`, `dilations`, `ksize`), each value in
// [min_value, kMaxWindowParam]. A missing attribute gives `def`.
Status read_pair(const OpDesc& op, const char* name, int64_t def, int64_t min_value,
                 int64_t* first, int64_t* second);

// Reads `paddings` in Paddle's 2-form [h, w] or 4-form [top, bottom, left, right] (missing: 0).
Status read_paddings(const OpDesc& op, Window2d* w);

// Applies `padding_algorithm` (absent/"EXPLICIT": keep, "VALID": zero, "SAME": derive from the
// input size; `same_resets_dilation` as conv does). `in_h/in_w` are the input's spatial dims.
Status apply_padding_algorithm(const OpDesc& op, int64_t in_h, int64_t in_w,
                               bool same_resets_dilation, Window2d* w);

// pool2d's geometry (Paddle Lite's PoolOpLite::InferShapeImpl): ksize/strides/paddings,
// padding_algorithm, global_pooling (window = whole plane, no padding), adaptive (output
// size = ksize, windows [floor(i*in/out), ceil((i+1)*in/out))), ceil_mode.
struct Pool2d {
  Window2d w;
  bool global = false, adaptive = false, ceil_mode = false, exclusive = true;
  int64_t out_h = 0, out_w = 0;
};
Status pool2d_geometry(const OpDesc& op, int64_t in_h, int64_t in_w, Pool2d* p);

// Checked arithmetic for output sizes and buffer sizes: false on overflow.
bool mul_ok(int64_t a, int64_t b, int64_t* out);

}  // namespace window_ref
}  // namespace helpers
}  // namespace tailor
