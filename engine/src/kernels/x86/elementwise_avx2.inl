// Innermost runs of the AVX2 elementwise units (elementwise_{add,sub,mul,div}.f32.avx2):
// out[i] = x[i * xs] (op) y[i * ys] with the broadcast plan's strides (0 or 1), vectorised
// for vector-vector, vector-scalar and scalar-vector runs.
//
// Textually included inside each unit's namespace (in an anonymous namespace there), so the
// code is compiled with the unit's ISA flags and its symbols carry the unit's name. The
// includer includes immintrin.h first.

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
