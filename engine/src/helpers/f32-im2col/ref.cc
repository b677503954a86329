#include "helpers/f32-im2col/ref.h"

namespace tailor {
namespace helpers {
namespace f32_im2col_ref {

void im2col(const float* image, int64_t channels, int64_t height, int64_t width,
            const window_ref::Window2d& w, int64_t out_h, int64_t out_w, float* col) {
  for (int64_t c = 0; c < channels; ++c) {
    const float* plane = image + c * height * width;
    for (int64_t ky = 0; ky < w.kernel_h; ++ky) {
      for (int64_t kx = 0; kx < w.kernel_w; ++kx) {
        for (int64_t oy = 0; oy < out_h; ++oy) {
          const int64_t iy = oy * w.stride_h - w.pad_top + ky * w.dilation_h;
          if (iy < 0 || iy >= height) {
            for (int64_t ox = 0; ox < out_w; ++ox) col[ox] = 0.f;
          } else {
            const float* row = plane + iy * width;
            for (int64_t ox = 0; ox < out_w; ++ox) {
              const int64_t ix = ox * w.stride_w - w.pad_left + kx * w.dilation_w;
              col[ox] = (ix >= 0 && ix < width) ? row[ix] : 0.f;
            }
          }
          col += out_w;
        }
      }
    }
  }
}

void col2im_add(const float* col, int64_t channels, int64_t height, int64_t width,
                const window_ref::Window2d& w, int64_t in_h, int64_t in_w, float* image) {
  for (int64_t c = 0; c < channels; ++c) {
    float* plane = image + c * height * width;
    for (int64_t ky = 0; ky < w.kernel_h; ++ky) {
      for (int64_t kx = 0; kx < w.kernel_w; ++kx) {
        for (int64_t y = 0; y < in_h; ++y) {
          const int64_t oy = y * w.stride_h - w.pad_top + ky * w.dilation_h;
          if (oy >= 0 && oy < height) {
            float* row = plane + oy * width;
            for (int64_t x = 0; x < in_w; ++x) {
              const int64_t ox = x * w.stride_w - w.pad_left + kx * w.dilation_w;
              if (ox >= 0 && ox < width) row[ox] += col[x];
            }
          }
          col += in_w;
        }
      }
    }
  }
}

}  // namespace f32_im2col_ref
}  // namespace helpers
}  // namespace tailor
