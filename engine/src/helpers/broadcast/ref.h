// broadcast.ref: Paddle's elementwise broadcasting (`axis` semantics) as an iteration
// plan, shared by elementwise_* / fusion_elementwise_*_activation and other binary ops.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {
namespace helpers {
namespace broadcast_ref {

// The output shape and a collapsed iteration space over it: `dims` (outermost first) with
// per-operand element strides (0 where that operand is broadcast). The innermost level is
// the run a kernel loops over contiguously.
struct Plan {
  Dims out_dims;
  std::vector<int64_t> dims, x_stride, y_stride;
};

// Paddle Lite's rules: with axis == -1 the shorter shape aligns to the trailing dims;
// otherwise the shorter operand's dims start at `axis` of the longer one (trailing 1s
// of the shorter operand that would run past the end are trimmed first, as Paddle does).
// Aligned dims must be equal or one of them 1.
Status make_plan(const std::string& op, const Dims& x, const Dims& y, int64_t axis, Plan* plan);

// Calls f(out_offset, x_offset, y_offset, n, x_step, y_step) once per innermost run.
template <class F>
void for_each_run(const Plan& p, F&& f) {
  const size_t r = p.dims.size();
  if (r == 0) {
    f(int64_t(0), int64_t(0), int64_t(0), int64_t(1), int64_t(0), int64_t(0));
    return;
  }
  const int64_t n = p.dims[r - 1];
  int64_t outer = 1;
  for (size_t i = 0; i + 1 < r; ++i) outer *= p.dims[i];
  if (n == 0 || outer == 0) return;
  std::vector<int64_t> idx(r, 0);
  int64_t xo = 0, yo = 0;
  for (int64_t run = 0; run < outer; ++run) {
    f(run * n, xo, yo, n, p.x_stride[r - 1], p.y_stride[r - 1]);
    // Odometer increment over the outer dims.
    for (size_t d = r - 1; d-- > 0;) {
      xo += p.x_stride[d];
      yo += p.y_stride[d];
      if (++idx[d] < p.dims[d]) break;
      xo -= p.x_stride[d] * p.dims[d];
      yo -= p.y_stride[d] * p.dims[d];
      idx[d] = 0;
    }
  }
}

// The elementwise math of one binary op over a run: out[i] = x[i*xs] (op) y[i*ys], i < n.
using BinaryRunFn = void (*)(const float* x, int64_t xs, const float* y, int64_t ys, float* out,
                             int64_t n);

// A float32 kernel X (op) Y -> Out with Paddle's `axis` broadcasting. A non-empty `act_type`
// attribute (fusion_elementwise_*_activation) adds that activation via init.activation().
Status create_binary_kernel(const KernelInit& init, BinaryRunFn fn, std::unique_ptr<Kernel>* out);

}  // namespace broadcast_ref
}  // namespace helpers
}  // namespace tailor
