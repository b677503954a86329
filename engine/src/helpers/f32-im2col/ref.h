// f32-im2col.ref: unfold (im2col) and fold (col2im) of one image for GEMM-based
// convolution and transposed convolution.
#pragma once
#include <cstdint>

#include "helpers/window/ref.h"

namespace tailor {
namespace helpers {
namespace f32_im2col_ref {

// image [channels, height, width] -> col [channels * kh * kw, out_h * out_w];
// positions in the padding read as 0.
void im2col(const float* image, int64_t channels, int64_t height, int64_t width,
            const window_ref::Window2d& w, int64_t out_h, int64_t out_w, float* col);

// The adjoint: adds col [channels * kh * kw, in_h * in_w] into image [channels, height, width]
// (the image is NOT cleared first); contributions landing in the padding are dropped.
void col2im_add(const float* col, int64_t channels, int64_t height, int64_t width,
                const window_ref::Window2d& w, int64_t in_h, int64_t in_w, float* image);

}  // namespace f32_im2col_ref
}  // namespace helpers
}  // namespace tailor
