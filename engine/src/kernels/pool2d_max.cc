// pool2d.f32.max.ref — portable float32 pool2d with pooling_type == "max": max pooling.
// Geometry (global, adaptive, ceil_mode, paddings, padding_algorithm) comes from window.ref;
// the selector picks this unit by `attr.pooling_type`, so a model without max pooling drops it.
#include <algorithm>
#include <cstdint>
#include <memory>

#include "core/kernel.h"
#include "helpers/window/pool2d.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace pool2d_max_f32_ref {
namespace {

namespace win = helpers::window_ref;

class Pool2dMaxRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override { return win::pool2d_infer(ctx, "max", &p_); }

  Status run(OpContext& ctx) override {
    const win::Window2d& w = p_.w;
    return win::pool2d_run(ctx, p_, [&w](const float* in, int64_t in_h, int64_t in_w, int64_t oy,
                                         int64_t ox) {
      // `adaptive` sets only the output size here: Paddle's max pool2d (and Lite's x86
      // kernel) slide a plain ksize/stride window even then (adaptive max pooling proper
      // is the max_pool2d_with_index op).
      int64_t y0 = oy * w.stride_h - w.pad_top;
      int64_t x0 = ox * w.stride_w - w.pad_left;
      int64_t y1 = y0 + w.kernel_h;
      int64_t x1 = x0 + w.kernel_w;
      y0 = std::max<int64_t>(y0, 0);
      x0 = std::max<int64_t>(x0, 0);
      y1 = std::min(y1, in_h);
      x1 = std::min(x1, in_w);
      // Padding never wins a max; a window entirely in padding (possible with
      // ceil_mode) gives 0 as in Paddle Lite's ARM kernel.
      float m = 0.f;
      bool first = true;
      for (int64_t iy = y0; iy < y1; ++iy)
        for (int64_t ix = x0; ix < x1; ++ix) {
          const float v = in[iy * in_w + ix];
          if (first || v > m) m = v;
          first = false;
        }
      return m;
    });
  }

 private:
  win::Pool2d p_;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new Pool2dMaxRef());
  return Status::Ok();
}

}  // namespace pool2d_max_f32_ref
}  // namespace kernels
}  // namespace tailor
