// f32-matmul: what the GEMM drivers f32-matmul.flat (fc, mul) and f32-matmul.batched
// (matmul, matmul_v2) share: fetching the two float32 operands and the output, and error
// messages built out of line (one call per message instead of a chain of concatenations).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/kernel.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {
namespace helpers {
namespace f32_matmul {

// One piece of an error message: text, an integer (as std::to_string writes it) or dims
// (as tensor_checks::str writes them, "[2, 3]"). The constructors are implicit so that a
// message is written as a list: {"X ", x->dims(), " and Y ", y->dims()}.
class Piece {
 public:
  Piece(const char* text) : kind_(kText), text_(text) {}
  Piece(const std::string& text) : kind_(kString), string_(&text) {}
  Piece(int64_t value) : kind_(kInt), int_(value) {}
  Piece(const Dims& dims) : kind_(kDims), dims_(&dims) {}
  void append_to(std::string* s) const;

 private:
  enum Kind : uint8_t { kText, kString, kInt, kDims } kind_;
  union {
    const char* text_;
    const std::string* string_;
    int64_t int_;
    const Dims* dims_;
  };
};

// make(where + ": " + the pieces), e.g. fail(&Status::Invalid, where, {"X ", x->dims(), " is wrong"}).
Status fail(Status (*make)(std::string), const std::string& where, std::initializer_list<Piece> pieces);

// The float32 inputs `x_slot` and `y_slot` and the output Out, or the error naming what is
// missing or not float32 (messages start with `where`).
Status operands(const std::string& where, OpContext& ctx, const char* x_slot, const char* y_slot,
                const Tensor** x, const Tensor** y, Tensor** out);

}  // namespace f32_matmul
}  // namespace helpers
}  // namespace tailor
