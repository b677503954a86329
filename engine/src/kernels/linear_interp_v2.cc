// linear_interp_v2.f32.ref — 1-D linear resize of NCW X along W. The output width comes, by
// priority, from SizeTensor, OutSize, then the scale (Scale tensor, else the first `scale` value;
// out_w = int(in_w * scale)), then out_w; size tensors must be constants. Source position of output
// o: ratio * o, or max(ratio * (o + 0.5) - 0.5, 0) for align_mode 0 without align_corners, where
// ratio is (in - 1) / (out - 1) with align_corners, else 1 / scale when a scale was given, else
// in / out. Its two neighbours (the right one clamped to the last column) are blended linearly.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace linear_interp_v2_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class LinearInterpRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (x->rank() != 3) return Status::Invalid(op + ": X " + shp::str(x->dims()) + " must be 3-D NCW");
    const std::string layout = ctx.op().get_string("data_layout", "NCHW");
    if (layout != "NCHW" && layout != "NCW" && layout != "AnyLayout")
      return Status::Unsupported(op + ": data_layout '" + layout + "' (only NCW)");
    const std::string method = ctx.op().get_string("interp_method", "linear");
    if (method != "linear") return Status::Unsupported(op + ": interp_method '" + method + "'");
    const int64_t in_w = x->dim(2);
    double scale = -1;
    std::vector<double> sv;
    if (su::has_input(ctx, "Scale")) {
      TAILOR_RETURN_IF_ERROR(su::read_float_tensor(op, "Scale", *ctx.input("Scale"), &sv));
    } else {
      sv = ctx.op().get_floats("scale");
    }
    if (!sv.empty() && sv[0] > 0) scale = sv[0];
    int64_t out_w = ctx.op().get_int("out_w", -1);
    if (scale > 0) {
      const double w = static_cast<double>(in_w) * scale;
      if (!(w >= 1 && w <= static_cast<double>(su::kMaxInterpSide)))
        return Status::Invalid(op + ": scale " + std::to_string(scale) +
                               " gives an output width out of range");
      out_w = static_cast<int64_t>(w);
    }
    std::vector<int64_t> size;
    if (ctx.input_count("SizeTensor") > 0) {
      TAILOR_RETURN_IF_ERROR(su::read_int_list(ctx, op, "SizeTensor", &size));
    } else if (su::has_input(ctx, "OutSize")) {
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "OutSize", *ctx.input("OutSize"), &size));
    }
    if (!size.empty()) {
      if (size.size() != 1) return Status::Invalid(op + ": output size must hold one value (out_w)");
      out_w = size[0];
    }
    if (out_w < 1 || out_w > su::kMaxInterpSide)
      return Status::Invalid(op + ": output width " + std::to_string(out_w) + " out of range");
    const bool align = ctx.op().get_bool("align_corners", true);
    const int64_t align_mode = ctx.op().get_int("align_mode", 1);
    if (align_mode != 0 && align_mode != 1)
      return Status::Invalid(op + ": align_mode " + std::to_string(align_mode) + " must be 0 or 1");
    Dims od = {x->dim(0), x->dim(1), out_w};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, od));
    // Taps: left source column and the right one's weight, per output column.
    float ratio = 0.f;
    if (out_w > 1) {
      ratio = align ? static_cast<float>(in_w - 1) / static_cast<float>(out_w - 1)
                    : scale > 0 ? static_cast<float>(1.0 / scale)
                                : static_cast<float>(in_w) / static_cast<float>(out_w);
    }
    left_.resize(static_cast<size_t>(out_w));
    lambda_.resize(static_cast<size_t>(out_w));
    for (int64_t o = 0; o < out_w; ++o) {
      float src = (align_mode == 0 && !align) ? ratio * (static_cast<float>(o) + 0.5f) - 0.5f
                                              : ratio * static_cast<float>(o);
      src = std::min(std::max(src, 0.f), static_cast<float>(in_w - 1));
      const int64_t i0 = static_cast<int64_t>(src);
      left_[static_cast<size_t>(o)] = i0;
      lambda_[static_cast<size_t>(o)] = src - static_cast<float>(i0);
    }
    out->set_shape(DType::kF32, std::move(od));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X", 0);
    Tensor* out_t = ctx.output("Out", 0);
    if (!x_t || !out_t || !x_t->raw() || !out_t->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t rows = x_t->dim(0) * x_t->dim(1), in_w = x_t->dim(2);
    const int64_t out_w = static_cast<int64_t>(left_.size());
    const float* x = x_t->data<float>();
    float* out = out_t->mutable_data<float>();
    for (int64_t r = 0; r < rows; ++r) {
      const float* in = x + r * in_w;
      for (int64_t o = 0; o < out_w; ++o) {
        const int64_t i0 = left_[static_cast<size_t>(o)];
        const int64_t i1 = std::min(i0 + 1, in_w - 1);
        const float l = lambda_[static_cast<size_t>(o)];
        *out++ = in[i0] * (1 - l) + in[i1] * l;
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<int64_t> left_;
  std::vector<float> lambda_;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<LinearInterpRef>("linear_interp_v2.f32.ref", out);
}

}  // namespace linear_interp_v2_f32_ref
}  // namespace kernels
}  // namespace tailor
