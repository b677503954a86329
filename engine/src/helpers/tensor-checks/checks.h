// tensor-checks: header-only shape checks every reference kernel uses in infer(): bounded element
// counts and readable dims. Inline and tiny, so it is not a catalog unit.
#pragma once
#include <cstdint>
#include <string>

#include "core/format.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {
namespace helpers {
namespace tensor_checks {

// Largest tensor a kernel will declare (elements): 1 GiB of float32, core's per-tensor
// limit, which also keeps byte counts within a 32-bit size_t.
constexpr int64_t kMaxElements = int64_t(1) << 28;

inline std::string str(const Dims& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) {
    append_format(&s, i ? ", %lld" : "%lld", static_cast<long long>(d[i]));  // one shared printf, no to_chars copy
  }
  return s + "]";
}

// Product of dims with overflow and negativity checks.
inline Status numel(const std::string& op, const Dims& d, int64_t* out) {
  int64_t n = 1;
  for (int64_t v : d) {
    if (v < 0)
      return Status::Format(StatusCode::kInvalidArgument, "%s: negative dimension in %s", op.c_str(), str(d).c_str());
    if (__builtin_mul_overflow(n, v, &n) || n > kMaxElements)
      return Status::Format(StatusCode::kInvalidArgument, "%s: shape %s is too large", op.c_str(), str(d).c_str());
  }
  *out = n;
  return Status::Ok();
}

inline Status check_dims(const std::string& op, const Dims& d) {
  int64_t n;
  return numel(op, d, &n);
}

// The input must exist and be float32; `what` names it in the message.
inline Status require_f32(const std::string& op, const Tensor* t, const char* what) {
  if (!t) return Status::Format(StatusCode::kInvalidModel, "%s: missing input %s", op.c_str(), what);
  if (t->dtype() != DType::kF32)
    return Status::Format(StatusCode::kUnsupported, "%s: input %s has dtype %s, expected float32", op.c_str(), what,
                          dtype_name(t->dtype()));
  return check_dims(op, t->dims());
}

// Splits dims around `axis` (negative counts from the end) into outer x mid x inner.
inline Status split_at_axis(const std::string& op, const Dims& d, int64_t axis, int64_t* outer,
                            int64_t* mid, int64_t* inner) {
  const int64_t rank = static_cast<int64_t>(d.size());
  if (axis < -rank || axis >= rank || rank == 0)
    return Status::Format(StatusCode::kInvalidModel, "%s: axis %lld out of range for %s", op.c_str(),
                          static_cast<long long>(axis), str(d).c_str());
  if (axis < 0) axis += rank;
  *outer = *mid = *inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? *outer : i == axis ? *mid : *inner) *= d[size_t(i)];
  return Status::Ok();
}

}  // namespace tensor_checks
}  // namespace helpers
}  // namespace tailor
