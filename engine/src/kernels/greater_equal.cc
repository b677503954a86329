// greater_equal: Out = X >= Y (bool) for float32/float64/int32/int64 X, Y of one dtype, with Paddle's
// `axis` broadcasting.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace greater_equal_any_ref {

namespace lu = helpers::logic_util;

namespace {

template <typename T>
bool compare(T a, T b) {
  return a >= b;
}

template <typename T>
void run(const void* x, int64_t xo, int64_t xs, const void* y, int64_t yo, int64_t ys, void* out, int64_t oo,
         int64_t n) {
  const T* a = static_cast<const T*>(x) + xo;
  const T* b = static_cast<const T*>(y) + yo;
  bool* o = static_cast<bool*>(out) + oo;
  for (int64_t i = 0; i < n; ++i) o[i] = compare(a[i * xs], b[i * ys]);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  lu::ByDType<lu::BinaryFn> fns;
  fns.f32 = &run<float>;
  fns.f64 = &run<double>;
  fns.i32 = &run<int32_t>;
  fns.i64 = &run<int64_t>;
  return lu::create_binary("greater_equal.any.ref", fns, true, out);
}

}  // namespace greater_equal_any_ref
}  // namespace kernels
}  // namespace tailor
