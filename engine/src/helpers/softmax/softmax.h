// softmax: header-only part shared by softmax.f32.ref and log_softmax.f32.ref — infer() for a
// float32 X split at `axis` (default -1), and the per-row max and sum of exp(X - max), in double.
// Inline and tiny, so it is not a catalog unit: each kernel keeps only how it writes a row.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace softmax {

// Declares Out like X and splits X's dims at `axis` into outer x mid x inner.
inline Status infer(OpContext& ctx, int64_t* outer, int64_t* mid, int64_t* inner) {
  namespace shp = tensor_checks;
  const std::string& op = ctx.op().type;
  const Tensor* x = ctx.input("X");
  Tensor* y = ctx.output("Out");
  TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
  if (!y) return Status::BadModel(op + ": missing output Out");
  if (x->rank() == 0) return Status::Invalid(op + ": X must have rank >= 1");
  TAILOR_RETURN_IF_ERROR(
      shp::split_at_axis(op, x->dims(), ctx.op().get_int("axis", -1), outer, mid, inner));
  y->set_shape(DType::kF32, x->dims());
  return Status::Ok();
}

// For each of the outer x inner rows (mid elements `inner` apart) computes m = max and
// sum = sum(exp(in - m)) in double, then calls `write(in, out, m, sum)` to fill the row.
template <class Write>
inline Status run(OpContext& ctx, int64_t outer, int64_t mid, int64_t inner, Write write) {
  const float* x = ctx.input("X")->data<float>();
  float* y = ctx.output("Out")->mutable_data<float>();
  if (!x || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const float* in = x + o * mid * inner + i;
      float* out = y + o * mid * inner + i;
      double m = in[0];
      for (int64_t k = 1; k < mid; ++k) m = in[k * inner] > m ? in[k * inner] : m;
      double sum = 0;
      for (int64_t k = 0; k < mid; ++k) sum += std::exp(static_cast<double>(in[k * inner]) - m);
      write(in, out, m, sum);
    }
  }
  return Status::Ok();
}

}  // namespace softmax
}  // namespace helpers
}  // namespace tailor
