// lrn.f32.ref — local response normalization across channels of NCHW X:
// Out = X * (k + alpha * sum of X^2 over the n channels [c - (n-1)/2, c + n/2])^(-beta), channels
// outside [0, C) left out (alpha is not divided by n, as in Paddle and Paddle Lite). MidOut, when
// present, gets the bracket k + alpha * sum.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace lrn_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class LrnRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (x->rank() != 4) return Status::Invalid(op + ": X " + shp::str(x->dims()) + " must be 4-D NCHW");
    const std::string region = ctx.op().get_string("norm_region", "AcrossChannels");
    if (region != "AcrossChannels") return Status::Unsupported(op + ": norm_region '" + region + "'");
    const std::string layout = ctx.op().get_string("data_format", "AnyLayout");
    if (layout != "AnyLayout" && layout != "NCHW")
      return Status::Unsupported(op + ": data_format '" + layout + "'");
    n_ = ctx.op().get_int("n", 5);
    if (n_ < 1 || n_ > 1 << 16) return Status::BadModel(op + ": n " + std::to_string(n_) + " out of range");
    k_ = static_cast<float>(ctx.op().get_float("k", 2.0));
    alpha_ = static_cast<float>(ctx.op().get_float("alpha", 1e-4));
    beta_ = static_cast<float>(ctx.op().get_float("beta", 0.75));
    batch_ = x->dim(0);
    channels_ = x->dim(1);
    plane_ = x->dim(2) * x->dim(3);
    out->set_shape(DType::kF32, x->dims());
    if (Tensor* mid = ctx.output("MidOut")) mid->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    Tensor* mid_t = ctx.output("MidOut");
    if (!x || !out || !x->raw() || !out->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const float* in = x->data<float>();
    float* o = out->mutable_data<float>();
    float* mid = mid_t ? mid_t->mutable_data<float>() : nullptr;  // optional: written when bound
    const int64_t pre = (n_ - 1) / 2;
    for (int64_t b = 0; b < batch_; ++b) {
      for (int64_t c = 0; c < channels_; ++c) {
        const int64_t c0 = c - pre < 0 ? 0 : c - pre;
        const int64_t c1 = c - pre + n_ > channels_ ? channels_ : c - pre + n_;
        const int64_t base = (b * channels_ + c) * plane_;
        for (int64_t i = 0; i < plane_; ++i) {
          float sum = 0.f;
          for (int64_t cc = c0; cc < c1; ++cc) {
            const float v = in[(b * channels_ + cc) * plane_ + i];
            sum += v * v;
          }
          const float m = k_ + alpha_ * sum;
          if (mid) mid[base + i] = m;
          o[base + i] = in[base + i] * std::pow(m, -beta_);
        }
      }
    }
    return Status::Ok();
  }

 private:
  int64_t n_ = 5, batch_ = 0, channels_ = 0, plane_ = 0;
  float k_ = 2.f, alpha_ = 1e-4f, beta_ = 0.75f;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<LrnRef>("lrn.f32.ref", out);
}

}  // namespace lrn_f32_ref
}  // namespace kernels
}  // namespace tailor
