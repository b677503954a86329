// logic-util: the shared parts of the comparison / logical / bitwise / fill ops:
// dtype-generic elementwise kernels (binary ones with Paddle's `axis` broadcasting
// from broadcast.ref) and a fill of any dtype with a real value.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {
namespace helpers {
namespace logic_util {

// Reads a bool element without assuming its byte is 0 or 1 (a foreign producer
// may write other values; loading those as bool is undefined behaviour).
inline bool load_bool(const void* p, int64_t i) {
  uint8_t b;
  std::memcpy(&b, static_cast<const uint8_t*>(p) + i, 1);
  return b != 0;
}

// One innermost run of a binary op on raw tensor data:
// out[oo + i] = f(x[xo + i * xs], y[yo + i * ys]) for i < n (offsets in elements).
using BinaryFn = void (*)(const void* x, int64_t xo, int64_t xs, const void* y, int64_t yo, int64_t ys,
                          void* out, int64_t oo, int64_t n);
// out[i] = f(x[i]) for i < n.
using UnaryFn = void (*)(const void* x, void* out, int64_t n);

// Per input dtype, the function computing the op (nullptr: dtype refused).
template <typename Fn>
struct ByDType {
  Fn f32 = nullptr, f64 = nullptr, i16 = nullptr, i32 = nullptr, i64 = nullptr, u8 = nullptr, i8 = nullptr,
     boolean = nullptr;
  Fn get(DType t) const {
    switch (t) {
      case DType::kF32: return f32;
      case DType::kF64: return f64;
      case DType::kI16: return i16;
      case DType::kI32: return i32;
      case DType::kI64: return i64;
      case DType::kU8: return u8;
      case DType::kI8: return i8;
      case DType::kBool: return boolean;
      default: return nullptr;
    }
  }
};

// X (op) Y -> Out, X and Y of the same dtype, broadcast by `axis`. Out is bool when
// `bool_out` (comparisons, logical ops), else of the inputs' dtype.
Status create_binary(const char* unit, const ByDType<BinaryFn>& fns, bool bool_out,
                     std::unique_ptr<Kernel>* out);
// f(X) -> Out of X's shape; bool Out when `bool_out`, else X's dtype.
Status create_unary(const char* unit, const ByDType<UnaryFn>& fns, bool bool_out,
                    std::unique_ptr<Kernel>* out);

// The BinaryFn applying Op<T> to elements of type T, writing elements of type R.
template <template <typename> class Op, typename T, typename R>
void binary_run(const void* x, int64_t xo, int64_t xs, const void* y, int64_t yo, int64_t ys, void* out,
                int64_t oo, int64_t n) {
  const T* a = static_cast<const T*>(x) + xo;
  const T* b = static_cast<const T*>(y) + yo;
  R* o = static_cast<R*>(out) + oo;
  for (int64_t i = 0; i < n; ++i) o[i] = static_cast<R>(Op<T>()(a[i * xs], b[i * ys]));
}

// A comparison op (Op<T>()(x, y) -> bool) on float32/float64/int32/int64 X, Y: Out is bool.
template <template <typename> class Op>
Status create_comparison(const char* unit, std::unique_ptr<Kernel>* out) {
  ByDType<BinaryFn> fns;
  fns.f32 = &binary_run<Op, float, bool>;
  fns.f64 = &binary_run<Op, double, bool>;
  fns.i32 = &binary_run<Op, int32_t, bool>;
  fns.i64 = &binary_run<Op, int64_t, bool>;
  return create_binary(unit, fns, true, out);
}

// A logical op (Op()(bool, bool) -> bool) on bool X, Y, read with load_bool.
template <class Op>
void logical_run(const void* x, int64_t xo, int64_t xs, const void* y, int64_t yo, int64_t ys, void* out,
                 int64_t oo, int64_t n) {
  bool* o = static_cast<bool*>(out) + oo;
  for (int64_t i = 0; i < n; ++i) o[i] = Op()(load_bool(x, xo + i * xs), load_bool(y, yo + i * ys));
}
template <class Op>
Status create_logical(const char* unit, std::unique_ptr<Kernel>* out) {
  ByDType<BinaryFn> fns;
  fns.boolean = &logical_run<Op>;
  return create_binary(unit, fns, true, out);
}

// Whether fill() can write dtype t.
bool fillable(DType t);
// Fills all of `out` (a fillable dtype) with `value`: integers truncate toward zero and
// saturate (NaN gives 0), bool is value != 0 -- Paddle Lite's plain conversions, made total.
void fill(Tensor* out, double value);

}  // namespace logic_util
}  // namespace helpers
}  // namespace tailor
