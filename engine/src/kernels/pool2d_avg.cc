// pool2d.f32.avg.ref — portable float32 pool2d with pooling_type == "avg": average pooling,
// `exclusive` of padding or inclusive.
// Geometry (global, adaptive, ceil_mode, paddings, padding_algorithm) comes from window.ref;
// the selector picks this unit by `attr.pooling_type`, so a model without avg pooling drops it.
#include <algorithm>
#include <cstdint>
#include <memory>

#include "core/kernel.h"
#include "helpers/window/pool2d.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace pool2d_avg_f32_ref {
namespace {

namespace win = helpers::window_ref;

class Pool2dAvgRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override { return win::pool2d_infer(ctx, "avg", &p_); }

  Status run(OpContext& ctx) override {
    const win::Pool2d& p = p_;
    return win::pool2d_run(ctx, p, [&p](const float* in, int64_t in_h, int64_t in_w, int64_t oy,
                                        int64_t ox) {
      const win::Window2d& w = p.w;
      int64_t y0, y1, x0, x1;
      if (p.adaptive && !p.global) {
        y0 = oy * in_h / p.out_h;
        y1 = ((oy + 1) * in_h + p.out_h - 1) / p.out_h;
        x0 = ox * in_w / p.out_w;
        x1 = ((ox + 1) * in_w + p.out_w - 1) / p.out_w;
      } else {
        y0 = oy * w.stride_h - w.pad_top;
        x0 = ox * w.stride_w - w.pad_left;
        y1 = y0 + w.kernel_h;
        x1 = x0 + w.kernel_w;
      }
      // Inclusive averages count padding cells but not the ceil_mode overhang past
      // the padded edge (Paddle's rule: it bounds with the leading padding).
      int64_t count =
          (std::min(y1, in_h + w.pad_top) - y0) * (std::min(x1, in_w + w.pad_left) - x0);
      y0 = std::max<int64_t>(y0, 0);
      x0 = std::max<int64_t>(x0, 0);
      y1 = std::min(y1, in_h);
      x1 = std::min(x1, in_w);
      float sum = 0.f;
      for (int64_t iy = y0; iy < y1; ++iy)
        for (int64_t ix = x0; ix < x1; ++ix) sum += in[iy * in_w + ix];
      if (p.exclusive || p.adaptive || p.global) count = (y1 - y0) * (x1 - x0);
      return count > 0 ? sum / static_cast<float>(count) : 0.f;
    });
  }

 private:
  win::Pool2d p_;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new Pool2dAvgRef());
  return Status::Ok();
}

}  // namespace pool2d_avg_f32_ref
}  // namespace kernels
}  // namespace tailor
