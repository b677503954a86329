// layer_norm.f32.ref — normalizes each of the prod(dims[:begin_norm_axis]) rows over the
// remaining dims: Y = (X - mean) / sqrt(var + epsilon) * Scale + Bias (Scale/Bias optional,
// one value per normalized element). Mean / Variance outputs are left unset (training only).
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/norm/norm.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace layer_norm_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;
namespace nrm = helpers::norm;

class LayerNormRef final : public Kernel {
 public:
  explicit LayerNormRef(float eps) : eps_(eps) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x;
    Tensor* y;
    TAILOR_RETURN_IF_ERROR(nrm::input_output(ctx, &x, &y));
    const int64_t axis = ctx.op().get_int("begin_norm_axis", 1);
    if (axis < 1 || axis >= x->rank())
      return Status::BadModel(op + ": begin_norm_axis " + std::to_string(axis) +
                              " out of range for X " + shp::str(x->dims()));
    rows_ = cols_ = 1;
    for (int i = 0; i < x->rank(); ++i) (i < axis ? rows_ : cols_) *= x->dim(i);
    TAILOR_RETURN_IF_ERROR(nrm::check_scale_bias(ctx, op, cols_));
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    nrm::Data d;
    TAILOR_RETURN_IF_ERROR(nrm::bind(ctx, &d));
    const float *x = d.x, *scale = d.scale, *bias = d.bias;
    float* y = d.y;
    for (int64_t r = 0; r < rows_; ++r) {
      const float* in = x + r * cols_;
      float* out = y + r * cols_;
      double mean, inv;
      nrm::mean_inv_std(in, cols_, eps_, &mean, &inv);
      for (int64_t c = 0; c < cols_; ++c) {
        float v = static_cast<float>((in[c] - mean) * inv);
        if (scale) v *= scale[c];
        if (bias) v += bias[c];
        out[c] = v;
      }
    }
    return Status::Ok();
  }

 private:
  float eps_;
  int64_t rows_ = 1, cols_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  float eps;
  TAILOR_RETURN_IF_ERROR(nrm::epsilon(init, "layer_norm", &eps));
  out->reset(new LayerNormRef(eps));
  return Status::Ok();
}

}  // namespace layer_norm_f32_ref
}  // namespace kernels
}  // namespace tailor
