// pool2d.f32.avg.ref — portable float32 pool2d with pooling_type == "avg": average pooling,
// `exclusive` of padding or inclusive.
// Geometry (global, adaptive, ceil_mode, paddings, padding_algorithm) comes from window.ref;
// the selector picks this unit by `attr.pooling_type`, so a model without avg pooling drops it.
#include <algorithm>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace pool2d_avg_f32_ref {
namespace {

namespace win = helpers::window_ref;
namespace shp = helpers::tensor_checks;

class Pool2dAvgRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Out");
    if (x->rank() != 4)
      return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must be 4-D NCHW");
    if (ctx.op().get_string("pooling_type", "") != "avg")
      return Status::Internal(op + ": avg pooling kernel selected for pooling_type '" +
                              ctx.op().get_string("pooling_type", "") + "'");
    TAILOR_RETURN_IF_ERROR(win::pool2d_geometry(ctx.op(), x->dim(2), x->dim(3), &p_));
    Dims out = {x->dim(0), x->dim(1), p_.out_h, p_.out_w};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out));
    y->set_shape(DType::kF32, std::move(out));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X");
    Tensor* y_t = ctx.output("Out");
    const float* x = x_t->data<float>();
    float* y = y_t->mutable_data<float>();
    if (!x || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t planes = x_t->dim(0) * x_t->dim(1), in_h = x_t->dim(2), in_w = x_t->dim(3);
    const win::Window2d& w = p_.w;
    for (int64_t c = 0; c < planes; ++c) {
      const float* in = x + c * in_h * in_w;
      for (int64_t oy = 0; oy < p_.out_h; ++oy) {
        for (int64_t ox = 0; ox < p_.out_w; ++ox) {
          int64_t y0, y1, x0, x1;
          if (p_.adaptive && !p_.global) {
            y0 = oy * in_h / p_.out_h;
            y1 = ((oy + 1) * in_h + p_.out_h - 1) / p_.out_h;
            x0 = ox * in_w / p_.out_w;
            x1 = ((ox + 1) * in_w + p_.out_w - 1) / p_.out_w;
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
          if (p_.exclusive || p_.adaptive || p_.global) count = (y1 - y0) * (x1 - x0);
          y[oy * p_.out_w + ox] = count > 0 ? sum / static_cast<float>(count) : 0.f;
        }
      }
      y += p_.out_h * p_.out_w;
    }
    return Status::Ok();
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
