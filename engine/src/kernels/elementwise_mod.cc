// elementwise_mod.int.ref — elementwise_mod on int32 / int64 with Paddle's `axis` broadcasting
// (int-broadcast.ref): the remainder takes the sign of the divisor (Python's %), as in paddle and
// Lite's x86 kernel (Lite's ARM kernel returns C's truncated remainder).
#include <cstdint>

#include "core/kernel.h"
#include "helpers/int-broadcast/ref.h"

namespace tailor {
namespace kernels {
namespace elementwise_mod_int_ref {
namespace {

template <class T>
bool run(const T* x, int64_t xs, const T* y, int64_t ys, T* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const T a = x[i * xs], b = y[i * ys];
    if (b == 0) return false;
    if (b == -1) {  // always 0; a % -1 overflows for the most negative a
      out[i] = 0;
      continue;
    }
    T r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    out[i] = r;
  }
  return true;
}

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return helpers::int_broadcast_ref::create(&run<int32_t>, &run<int64_t>, "integer modulo by zero", out);
}

}  // namespace elementwise_mod_int_ref
}  // namespace kernels
}  // namespace tailor
