// elementwise.f32.arith.avx2 — elementwise_{add,sub,mul,div} and
// fusion_elementwise_{add,sub,mul,div}_activation on float32, any Paddle broadcast. The
// broadcast plan, activation and shape checks come from broadcast.ref; the AVX2 part is the
// innermost run: vector (op) vector, vector (op) scalar or scalar (op) vector.
#include <immintrin.h>

#include <string>

#include "helpers/broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_f32_arith_avx2 {

namespace {

struct Add {
  static __m256 vec(__m256 a, __m256 b) { return _mm256_add_ps(a, b); }
  static float one(float a, float b) { return a + b; }
};
struct Sub {
  static __m256 vec(__m256 a, __m256 b) { return _mm256_sub_ps(a, b); }
  static float one(float a, float b) { return a - b; }
};
struct Mul {
  static __m256 vec(__m256 a, __m256 b) { return _mm256_mul_ps(a, b); }
  static float one(float a, float b) { return a * b; }
};
struct Div {
  static __m256 vec(__m256 a, __m256 b) { return _mm256_div_ps(a, b); }
  static float one(float a, float b) { return a / b; }
};

// out[i] = x[i * xs] (op) y[i * ys]; the plan's innermost strides are 0 or 1.
template <class Op>
void run(const float* x, int64_t xs, const float* y, int64_t ys, float* out, int64_t n) {
  int64_t i = 0;
  if (xs == 1 && ys == 1) {
    for (; i + 8 <= n; i += 8)
      _mm256_storeu_ps(out + i, Op::vec(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  } else if (xs == 1 && ys == 0) {
    const __m256 b = _mm256_set1_ps(y[0]);
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, Op::vec(_mm256_loadu_ps(x + i), b));
  } else if (xs == 0 && ys == 1) {
    const __m256 a = _mm256_set1_ps(x[0]);
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, Op::vec(a, _mm256_loadu_ps(y + i)));
  }
  for (; i < n; ++i) out[i] = Op::one(x[i * xs], y[i * ys]);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const std::string& t = init.op().type;
  helpers::broadcast_ref::BinaryRunFn fn = nullptr;
  if (t == "elementwise_add" || t == "fusion_elementwise_add_activation") fn = &run<Add>;
  if (t == "elementwise_sub" || t == "fusion_elementwise_sub_activation") fn = &run<Sub>;
  if (t == "elementwise_mul" || t == "fusion_elementwise_mul_activation") fn = &run<Mul>;
  if (t == "elementwise_div" || t == "fusion_elementwise_div_activation") fn = &run<Div>;
  if (!fn) return Status::Internal(t + ": not served by elementwise.f32.arith.avx2");
  return helpers::broadcast_ref::create_binary_kernel(init, fn, out);
}

}  // namespace elementwise_f32_arith_avx2
}  // namespace kernels
}  // namespace tailor
