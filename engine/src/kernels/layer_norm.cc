// layer_norm.f32.ref — normalizes each of the prod(dims[:begin_norm_axis]) rows over the
// remaining dims: Y = (X - mean) / sqrt(var + epsilon) * Scale + Bias (Scale/Bias optional,
// one value per normalized element). Mean / Variance outputs are left unset (training only).
#include <cmath>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace layer_norm_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class LayerNormRef final : public Kernel {
 public:
  explicit LayerNormRef(float eps) : eps_(eps) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Y");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Y");
    const int64_t axis = ctx.op().get_int("begin_norm_axis", 1);
    if (axis < 1 || axis >= x->rank())
      return Status::BadModel(op + ": begin_norm_axis " + std::to_string(axis) +
                              " out of range for X " + shp::str(x->dims()));
    rows_ = cols_ = 1;
    for (int i = 0; i < x->rank(); ++i) (i < axis ? rows_ : cols_) *= x->dim(i);
    for (const char* slot : {"Scale", "Bias"}) {
      if (const Tensor* t = ctx.input(slot)) {
        TAILOR_RETURN_IF_ERROR(shp::require_f32(op, t, slot));
        if (t->numel() != cols_)
          return Status::BadModel(op + ": " + slot + " " + shp::str(t->dims()) + " must have " +
                                  std::to_string(cols_) + " elements");
      }
    }
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    const Tensor* s_t = ctx.input("Scale");
    const Tensor* b_t = ctx.input("Bias");
    const float* scale = s_t ? s_t->data<float>() : nullptr;
    const float* bias = b_t ? b_t->data<float>() : nullptr;
    float* y = ctx.output("Y")->mutable_data<float>();
    if (!x || !y || (s_t && !scale) || (b_t && !bias))
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    for (int64_t r = 0; r < rows_; ++r) {
      const float* in = x + r * cols_;
      float* out = y + r * cols_;
      double sum = 0, sq = 0;
      for (int64_t c = 0; c < cols_; ++c) sum += in[c];
      const double mean = sum / static_cast<double>(cols_);
      for (int64_t c = 0; c < cols_; ++c) sq += (in[c] - mean) * (in[c] - mean);
      const double inv = 1.0 / std::sqrt(sq / static_cast<double>(cols_) + eps_);
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
  const float eps = static_cast<float>(init.op().get_float("epsilon", 1e-5));
  if (!(eps >= 0.f)) return Status::BadModel("layer_norm: negative epsilon");
  out->reset(new LayerNormRef(eps));
  return Status::Ok();
}

}  // namespace layer_norm_f32_ref
}  // namespace kernels
}  // namespace tailor
