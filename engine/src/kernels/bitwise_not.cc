// bitwise_not: Out = ~X for integer tensors (int8/uint8/int16/int32/int64), logical not for
// bool ones (Paddle's BitwiseNot for bool); Out has X's dtype and shape.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace bitwise_not_any_ref {

namespace lu = helpers::logic_util;

namespace {

template <typename T>
void run(const void* x, void* out, int64_t n) {
  const T* a = static_cast<const T*>(x);
  T* o = static_cast<T*>(out);
  for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>(~a[i]);
}

void run_bool(const void* x, void* out, int64_t n) {
  bool* o = static_cast<bool*>(out);
  for (int64_t i = 0; i < n; ++i) o[i] = !lu::load_bool(x, i);
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  lu::ByDType<lu::UnaryFn> fns;
  fns.i8 = &run<int8_t>;
  fns.u8 = &run<uint8_t>;
  fns.i16 = &run<int16_t>;
  fns.i32 = &run<int32_t>;
  fns.i64 = &run<int64_t>;
  fns.boolean = &run_bool;
  return lu::create_unary("bitwise_not.any.ref", fns, false, out);
}

}  // namespace bitwise_not_any_ref
}  // namespace kernels
}  // namespace tailor
