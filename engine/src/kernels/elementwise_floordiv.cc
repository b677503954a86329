// elementwise_floordiv.int.ref — elementwise_floordiv on int32 / int64: Out = floor(x / y) with
// Paddle's `axis` broadcasting (int-broadcast.ref). Paddle floors the quotient (Python's //);
// Lite 2.13 truncates it toward zero, which differs for inexact quotients of mixed sign.
#include <cstdint>
#include <type_traits>

#include "core/kernel.h"
#include "helpers/int-broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_floordiv_int_ref {
namespace {

template <class T>
bool run(const T* x, int64_t xs, const T* y, int64_t ys, T* out, int64_t n) {
  using U = std::make_unsigned_t<T>;
  for (int64_t i = 0; i < n; ++i) {
    const T a = x[i * xs], b = y[i * ys];
    if (b == 0) return false;
    if (b == -1) {  // -a, wrapping for the most negative value (a / -1 would overflow)
      out[i] = static_cast<T>(U(0) - static_cast<U>(a));
      continue;
    }
    T q = a / b;
    if (q * b != a && ((a < 0) != (b < 0))) --q;
    out[i] = q;
  }
  return true;
}

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return helpers::int_broadcast_ref::create(&run<int32_t>, &run<int64_t>, "integer division by zero", out);
}

}  // namespace elementwise_floordiv_int_ref
}  // namespace kernels
}  // namespace tailor
