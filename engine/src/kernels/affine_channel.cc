// affine_channel.f32.ref — per-channel affine transform: Out = X * Scale[c] + Bias[c], where c is
// dim 1 (data_layout NCHW) or the last dim (NHWC) of a rank >= 2 X.
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace affine_channel_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class AffineChannelRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (x->rank() < 2) return Status::Invalid(op + ": X " + shp::str(x->dims()) + " must have rank >= 2");
    const std::string layout = ctx.op().get_string("data_layout", "NCHW");
    const bool nhwc = layout == "NHWC";
    if (!nhwc && layout != "NCHW" && layout != "AnyLayout")
      return Status::Unsupported(op + ": data_layout '" + layout + "'");
    const int axis = nhwc ? x->rank() - 1 : 1;
    TAILOR_RETURN_IF_ERROR(shp::split_at_axis(op, x->dims(), axis, &outer_, &channels_, &inner_));
    for (const char* slot : {"Scale", "Bias"}) {
      const Tensor* t = ctx.input(slot);
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, t, slot));
      if (t->numel() != channels_)
        return Status::BadModel(op + ": " + slot + " " + shp::str(t->dims()) + " must have " +
                                std::to_string(channels_) + " elements");
    }
    out->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    const Tensor* s = ctx.input("Scale");
    const Tensor* b = ctx.input("Bias");
    Tensor* out = ctx.output("Out", 0);
    if (!x || !s || !b || !out || !x->raw() || !s->raw() || !b->raw() || !out->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const float *in = x->data<float>(), *scale = s->data<float>(), *bias = b->data<float>();
    float* o = out->mutable_data<float>();
    for (int64_t a = 0; a < outer_; ++a)
      for (int64_t c = 0; c < channels_; ++c) {
        const int64_t base = (a * channels_ + c) * inner_;
        for (int64_t i = 0; i < inner_; ++i) o[base + i] = in[base + i] * scale[c] + bias[c];
      }
    return Status::Ok();
  }

 private:
  int64_t outer_ = 1, channels_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<AffineChannelRef>("affine_channel.f32.ref", out);
}

}  // namespace affine_channel_f32_ref
}  // namespace kernels
}  // namespace tailor
