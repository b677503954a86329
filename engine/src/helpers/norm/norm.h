// norm: header-only part shared by instance_norm.f32.ref and layer_norm.f32.ref — the optional
// Scale/Bias checks, binding X/Scale/Bias/Y, and a row's mean and 1/sqrt(var + epsilon), in double.
// Inline and tiny, so it is not a catalog unit: each kernel keeps its own shapes and affine step.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace norm {

// infer()'s common start: X must be float32 and output Y present.
inline Status input_output(OpContext& ctx, const Tensor** x, Tensor** y) {
  const std::string& op = ctx.op().type;
  *x = ctx.input("X");
  *y = ctx.output("Y");
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, *x, "X"));
  if (!*y) return Status::BadModel(op + ": missing output Y");
  return Status::Ok();
}

// The optional Scale and Bias inputs must be float32 with `n` elements.
inline Status check_scale_bias(OpContext& ctx, const std::string& op, int64_t n) {
  namespace shp = tensor_checks;
  for (const char* slot : {"Scale", "Bias"}) {
    if (const Tensor* t = ctx.input(slot)) {
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, t, slot));
      if (t->numel() != n)
        return Status::BadModel(op + ": " + slot + " " + shp::str(t->dims()) + " must have " +
                                std::to_string(n) + " elements");
    }
  }
  return Status::Ok();
}

// X, Scale, Bias (nullptr when absent) and Y's data.
struct Data {
  const float* x = nullptr;
  const float* scale = nullptr;
  const float* bias = nullptr;
  float* y = nullptr;
};
inline Status bind(OpContext& ctx, Data* d) {
  d->x = ctx.input("X")->data<float>();
  const Tensor* s_t = ctx.input("Scale");
  const Tensor* b_t = ctx.input("Bias");
  d->scale = s_t ? s_t->data<float>() : nullptr;
  d->bias = b_t ? b_t->data<float>() : nullptr;
  d->y = ctx.output("Y")->mutable_data<float>();
  if (!d->x || !d->y || (s_t && !d->scale) || (b_t && !d->bias))
    return Status::Internal(ctx.op().type + ": unbound tensor data");
  return Status::Ok();
}

// The `epsilon` attribute (default 1e-5), which must not be negative; `op` names the op in errors.
inline Status epsilon(const KernelInit& init, const char* op, float* eps) {
  *eps = static_cast<float>(init.op().get_float("epsilon", 1e-5));
  if (!(*eps >= 0.f)) return Status::BadModel(std::string(op) + ": negative epsilon");
  return Status::Ok();
}

// Mean of in[0, n) and 1 / sqrt(variance + eps) (both over n; 0 for n == 0).
inline void mean_inv_std(const float* in, int64_t n, float eps, double* mean, double* inv) {
  double sum = 0, sq = 0;
  for (int64_t i = 0; i < n; ++i) sum += in[i];
  const double m = n ? sum / static_cast<double>(n) : 0.0;
  for (int64_t i = 0; i < n; ++i) sq += (in[i] - m) * (in[i] - m);
  *mean = m;
  *inv = 1.0 / std::sqrt((n ? sq / static_cast<double>(n) : 0.0) + eps);
}

}  // namespace norm
}  // namespace helpers
}  // namespace tailor
