// batch_norm.f32.ref — inference batch norm: Y = (X - Mean) / sqrt(Variance + epsilon) * Scale
// + Bias per channel (dim 1; the last dim with data_layout NHWC). The training outputs
// (MeanOut, VarianceOut, SavedMean, SavedVariance) are left unset: at inference they alias the
// parameters or go unread, and a kernel must never write a model's parameters.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace batch_norm_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class BatchNormRef final : public Kernel {
 public:
  BatchNormRef(float eps, bool nhwc) : eps_(eps), nhwc_(nhwc) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Y");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Y");
    if (x->rank() < 2 || x->rank() > 5)
      return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must have rank 2..5");
    channels_ = nhwc_ ? x->dim(-1) : x->dim(1);
    for (const char* slot : {"Scale", "Bias", "Mean", "Variance"}) {
      const Tensor* t = ctx.input(slot);
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, t, slot));
      if (t->numel() != channels_)
        return Status::BadModel(op + ": " + slot + " " + shp::str(t->dims()) + " must have " +
                                std::to_string(channels_) + " elements");
    }
    inner_ = 1;
    if (!nhwc_)
      for (int i = 2; i < x->rank(); ++i) inner_ *= x->dim(i);
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X");
    const float* x = x_t->data<float>();
    const float* scale = ctx.input("Scale")->data<float>();
    const float* bias = ctx.input("Bias")->data<float>();
    const float* mean = ctx.input("Mean")->data<float>();
    const float* var = ctx.input("Variance")->data<float>();
    float* y = ctx.output("Y")->mutable_data<float>();
    if (!x || !scale || !bias || !mean || !var || !y)
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    // Fold into y = x * a + b per channel, as Lite does.
    std::vector<float> a(static_cast<size_t>(channels_)), b(static_cast<size_t>(channels_));
    for (int64_t c = 0; c < channels_; ++c) {
      a[size_t(c)] = scale[c] / std::sqrt(var[c] + eps_);
      b[size_t(c)] = bias[c] - mean[c] * a[size_t(c)];
    }
    const int64_t n = x_t->numel();
    for (int64_t i = 0; i < n; ++i) {
      const size_t c = static_cast<size_t>((i / inner_) % channels_);
      y[i] = x[i] * a[c] + b[c];
    }
    return Status::Ok();
  }

 private:
  float eps_;
  bool nhwc_;
  int64_t channels_ = 0, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  const float eps = static_cast<float>(op.get_float("epsilon", 1e-5));
  if (!(eps >= 0.f)) return Status::BadModel("batch_norm: negative epsilon");
  out->reset(new BatchNormRef(eps, op.get_string("data_layout", "NCHW") == "NHWC"));
  return Status::Ok();
}

}  // namespace batch_norm_f32_ref
}  // namespace kernels
}  // namespace tailor
