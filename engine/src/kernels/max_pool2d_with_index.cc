// max_pool2d_with_index.f32.ref — max pooling of NCHW X that also returns, in Mask (int32), the
// position h * W + w of each maximum within its input plane (the first one on ties). Geometry
// (ksize, strides, paddings, global_pooling, adaptive) comes from window.ref; adaptive windows are
// [floor(i * in / out), ceil((i + 1) * in / out)). A window entirely in padding gives 0 and -1.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace max_pool2d_with_index_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;
namespace win = helpers::window_ref;

class MaxPoolWithIndexRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    Tensor* mask = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Mask", 0, &mask));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (x->rank() != 4) return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must be 4-D NCHW");
    if (x->dim(2) * x->dim(3) > INT32_MAX) return Status::Invalid(op + ": plane too large for int32 Mask");
    TAILOR_RETURN_IF_ERROR(win::pool2d_geometry(ctx.op(), x->dim(2), x->dim(3), &p_));
    Dims od = {x->dim(0), x->dim(1), p_.out_h, p_.out_w};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, od));
    out->set_shape(DType::kF32, od);
    mask->set_shape(DType::kI32, std::move(od));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X", 0);
    Tensor* out_t = ctx.output("Out", 0);
    Tensor* mask_t = ctx.output("Mask", 0);
    if (!x_t || !out_t || !mask_t || !x_t->raw() || !out_t->raw_mut() || !mask_t->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const win::Window2d& w = p_.w;
    const int64_t planes = x_t->dim(0) * x_t->dim(1), in_h = x_t->dim(2), in_w = x_t->dim(3);
    const float* x = x_t->data<float>();
    float* out = out_t->mutable_data<float>();
    int32_t* mask = mask_t->mutable_data<int32_t>();
    for (int64_t c = 0; c < planes; ++c) {
      const float* in = x + c * in_h * in_w;
      for (int64_t oy = 0; oy < p_.out_h; ++oy) {
        int64_t y0, y1;
        window(oy, in_h, p_.out_h, w.kernel_h, w.stride_h, w.pad_top, &y0, &y1);
        for (int64_t ox = 0; ox < p_.out_w; ++ox) {
          int64_t x0, x1;
          window(ox, in_w, p_.out_w, w.kernel_w, w.stride_w, w.pad_left, &x0, &x1);
          float m = 0.f;
          int64_t at = -1;
          for (int64_t iy = y0; iy < y1; ++iy)
            for (int64_t ix = x0; ix < x1; ++ix) {
              const float v = in[iy * in_w + ix];
              if (at < 0 || v > m) {
                m = v;
                at = iy * in_w + ix;
              }
            }
          *out++ = m;
          *mask++ = static_cast<int32_t>(at);
        }
      }
    }
    return Status::Ok();
  }

 private:
  // The input range [*lo, *hi) of output position o along one axis.
  void window(int64_t o, int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, int64_t* lo,
              int64_t* hi) const {
    if (p_.adaptive && !p_.global) {
      *lo = o * in / out;
      *hi = ((o + 1) * in + out - 1) / out;
      return;
    }
    *lo = o * stride - pad;
    *hi = std::min(*lo + k, in);
    *lo = std::max<int64_t>(*lo, 0);
  }

  win::Pool2d p_;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<MaxPoolWithIndexRef>("max_pool2d_with_index.f32.ref", out);
}

}  // namespace max_pool2d_with_index_f32_ref
}  // namespace kernels
}  // namespace tailor
