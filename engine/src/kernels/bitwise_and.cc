// bitwise_and: Out = X & Y for integer tensors (int8/uint8/int16/int32/int64) of one dtype, and
// logical and for bool ones, with Paddle's `axis` broadcasting; Out has X's dtype.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace bitwise_and_any_ref {

namespace lu = helpers::logic_util;

namespace {

template <typename T>
void run(const void* x, int64_t xo, int64_t xs, const void* y, int64_t yo, int64_t ys, void* out, int64_t oo,
         int64_t n) {
  const T* a = static_cast<const T*>(x) + xo;
  const T* b = static_cast<const T*>(y) + yo;
  T* o = static_cast<T*>(out) + oo;
  for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>(a[i * xs] & b[i * ys]);
}

void run_bool(const void* x, int64_t xo, int64_t xs, const void* y, int64_t yo, int64_t ys, void* out,
              int64_t oo, int64_t n) {
  bool* o = static_cast<bool*>(out) + oo;
  for (int64_t i = 0; i < n; ++i) o[i] = lu::load_bool(x, xo + i * xs) && lu::load_bool(y, yo + i * ys);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  lu::ByDType<lu::BinaryFn> fns;
  fns.i8 = &run<int8_t>;
  fns.u8 = &run<uint8_t>;
  fns.i16 = &run<int16_t>;
  fns.i32 = &run<int32_t>;
  fns.i64 = &run<int64_t>;
  fns.boolean = &run_bool;
  return lu::create_binary("bitwise_and.any.ref", fns, false, out);
}

}  // namespace bitwise_and_any_ref
}  // namespace kernels
}  // namespace tailor
