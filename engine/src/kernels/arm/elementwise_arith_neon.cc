// elementwise.f32.arith.neon — elementwise_{add,sub,mul,div} and
// fusion_elementwise_{add,sub,mul,div}_activation on float32, any Paddle broadcast. The
// broadcast plan, activation and shape checks come from broadcast.ref; the NEON part is the
// innermost run: vector (op) vector, vector (op) scalar or scalar (op) vector.
#include <arm_neon.h>

#include <string>

#include "helpers/broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_f32_arith_neon {

namespace {

struct Add {
  static float32x4_t vec(float32x4_t a, float32x4_t b) { return vaddq_f32(a, b); }
  static float one(float a, float b) { return a + b; }
};
struct Sub {
  static float32x4_t vec(float32x4_t a, float32x4_t b) { return vsubq_f32(a, b); }
  static float one(float a, float b) { return a - b; }
};
struct Mul {
  static float32x4_t vec(float32x4_t a, float32x4_t b) { return vmulq_f32(a, b); }
  static float one(float a, float b) { return a * b; }
};
#if defined(__aarch64__)
struct Div {
  static float32x4_t vec(float32x4_t a, float32x4_t b) { return vdivq_f32(a, b); }
  static float one(float a, float b) { return a / b; }
};
#endif

// out[i] = x[i * xs] (op) y[i * ys]; the plan's innermost strides are 0 or 1.
template <class Op>
void run(const float* x, int64_t xs, const float* y, int64_t ys, float* out, int64_t n) {
  int64_t i = 0;
  if (xs == 1 && ys == 1) {
    for (; i + 4 <= n; i += 4) vst1q_f32(out + i, Op::vec(vld1q_f32(x + i), vld1q_f32(y + i)));
  } else if (xs == 1 && ys == 0) {
    const float32x4_t b = vdupq_n_f32(y[0]);
    for (; i + 4 <= n; i += 4) vst1q_f32(out + i, Op::vec(vld1q_f32(x + i), b));
  } else if (xs == 0 && ys == 1) {
    const float32x4_t a = vdupq_n_f32(x[0]);
    for (; i + 4 <= n; i += 4) vst1q_f32(out + i, Op::vec(a, vld1q_f32(y + i)));
  }
  for (; i < n; ++i) out[i] = Op::one(x[i * xs], y[i * ys]);
}

#if !defined(__aarch64__)
// armv7 NEON has no divide, and the reciprocal-estimate route is neither exact nor right for
// 0 and inf divisors: divide with VFP, one element at a time.
void run_div(const float* x, int64_t xs, const float* y, int64_t ys, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = x[i * xs] / y[i * ys];
}
#endif

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const std::string& t = init.op().type;
  helpers::broadcast_ref::BinaryRunFn fn = nullptr;
  if (t == "elementwise_add" || t == "fusion_elementwise_add_activation") fn = &run<Add>;
  if (t == "elementwise_sub" || t == "fusion_elementwise_sub_activation") fn = &run<Sub>;
  if (t == "elementwise_mul" || t == "fusion_elementwise_mul_activation") fn = &run<Mul>;
#if defined(__aarch64__)
  if (t == "elementwise_div" || t == "fusion_elementwise_div_activation") fn = &run<Div>;
#else
  if (t == "elementwise_div" || t == "fusion_elementwise_div_activation") fn = &run_div;
#endif
  if (!fn) return Status::Internal(t + ": not served by elementwise.f32.arith.neon");
  return helpers::broadcast_ref::create_binary_kernel(init, fn, out);
}

}  // namespace elementwise_f32_arith_neon
}  // namespace kernels
}  // namespace tailor
