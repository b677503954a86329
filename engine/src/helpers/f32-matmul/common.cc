#include "helpers/f32-matmul/common.h"

#include <utility>

#include "core/format.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace f32_matmul {

void Piece::append_to(std::string* s) const {
  switch (kind_) {
    case kText: *s += text_; break;
    case kString: *s += *string_; break;
    case kInt: append_format(s, "%lld", static_cast<long long>(int_)); break;
    case kDims: *s += tensor_checks::str(*dims_); break;
  }
}

Status fail(Status (*make)(std::string), const std::string& where, std::initializer_list<Piece> pieces) {
  std::string message = where + ": ";
  for (const Piece& p : pieces) p.append_to(&message);
  return make(std::move(message));
}

Status operands(const std::string& where, OpContext& ctx, const char* x_slot, const char* y_slot,
                const Tensor** x, const Tensor** y, Tensor** out) {
  *x = ctx.input(x_slot);
  *y = ctx.input(y_slot);
  *out = ctx.output("Out");
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where, *x, x_slot));
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where, *y, y_slot));
  if (!*out) return Status::Format(StatusCode::kInvalidModel, "%s: missing output Out", where.c_str());
  return Status::Ok();
}

}  // namespace f32_matmul
}  // namespace helpers
}  // namespace tailor
