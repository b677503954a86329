// window.ref, header-only part: what the reference pool2d kernels (pool2d.f32.max.ref,
// pool2d.f32.avg.ref) share — infer() for a 4-D NCHW float32 X, and the loop over output cells.
// Inline, so each kernel unit keeps only its own reduction and a build with one of them pulls
// nothing of the other.
#pragma once
#include <cstdint>
#include <string>
#include <utility>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace helpers {
namespace window_ref {

// Checks X/Out and that the op's `pooling_type` is `pooling_type` (the selector's `when`),
// decodes the geometry into *p and declares Out [N, C, out_h, out_w].
inline Status pool2d_infer(OpContext& ctx, const char* pooling_type, Pool2d* p) {
  namespace shp = tensor_checks;
  const std::string& op = ctx.op().type;
  const Tensor* x = ctx.input("X");
  Tensor* y = ctx.output("Out");
  TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
  if (!y) return Status::BadModel(op + ": missing output Out");
  if (x->rank() != 4)
    return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must be 4-D NCHW");
  if (ctx.op().get_string("pooling_type", "") != pooling_type)
    return Status::Internal(op + ": " + pooling_type + " pooling kernel selected for pooling_type '" +
                            ctx.op().get_string("pooling_type", "") + "'");
  TAILOR_RETURN_IF_ERROR(pool2d_geometry(ctx.op(), x->dim(2), x->dim(3), p));
  Dims out = {x->dim(0), x->dim(1), p->out_h, p->out_w};
  TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out));
  y->set_shape(DType::kF32, std::move(out));
  return Status::Ok();
}

// Runs `cell(in, in_h, in_w, oy, ox) -> float` for every output cell of every plane, `in` being
// the plane's input, and stores its result.
template <class Cell>
inline Status pool2d_run(OpContext& ctx, const Pool2d& p, Cell cell) {
  const Tensor* x_t = ctx.input("X");
  Tensor* y_t = ctx.output("Out");
  const float* x = x_t->data<float>();
  float* y = y_t->mutable_data<float>();
  if (!x || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
  const int64_t planes = x_t->dim(0) * x_t->dim(1), in_h = x_t->dim(2), in_w = x_t->dim(3);
  for (int64_t c = 0; c < planes; ++c) {
    const float* in = x + c * in_h * in_w;
    for (int64_t oy = 0; oy < p.out_h; ++oy)
      for (int64_t ox = 0; ox < p.out_w; ++ox) y[oy * p.out_w + ox] = cell(in, in_h, in_w, oy, ox);
    y += p.out_h * p.out_w;
  }
  return Status::Ok();
}

}  // namespace window_ref
}  // namespace helpers
}  // namespace tailor
