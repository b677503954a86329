// Innermost runs of the NEON elementwise units (elementwise_{add,sub,mul,div}.f32.neon):
// out[i] = x[i * xs] (op) y[i * ys] with the broadcast plan's strides (0 or 1), vectorised
// for vector-vector, vector-scalar and scalar-vector runs.
//
// Textually included inside each unit's namespace (in an anonymous namespace there), so the
// code is compiled with the unit's ISA flags and its symbols carry the unit's name. The
// includer includes arm_neon.h first.

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
inline void run_div(const float* x, int64_t xs, const float* y, int64_t ys, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = x[i * xs] / y[i * ys];
}
#endif

}  // namespace
