#include "helpers/detection/detection_util.h"

#include <algorithm>
#include <cmath>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace helpers {
namespace detection_util {

Status get_f32(const OpContext& ctx, std::string_view op, std::string_view slot, int rank, const Tensor** out) {
  TAILOR_RETURN_IF_ERROR(shape_util::get_input(ctx, op, slot, 0, out));
  const Tensor* t = *out;
  if (t->dtype() != DType::kF32) {
    return Status::Format(StatusCode::kUnsupported, "%.*s: input %.*s has dtype %s, expected float32",
                          static_cast<int>(op.size()), op.data(), static_cast<int>(slot.size()), slot.data(),
                          dtype_name(t->dtype()));
  }
  if (rank >= 0 && t->rank() != rank) {
    return Status::Format(StatusCode::kInvalidArgument, "%.*s: input %.*s has rank %d, expected %d",
                          static_cast<int>(op.size()), op.data(), static_cast<int>(slot.size()), slot.data(),
                          t->rank(), rank);
  }
  return Status::Ok();
}

std::vector<float> float_list(const OpDesc& op, std::string_view name) {
  std::vector<double> v = op.get_floats(name);
  return std::vector<float>(v.begin(), v.end());
}

Status check_finite(std::string_view op, std::string_view what, const std::vector<float>& v) {
  for (float f : v) {
    if (!std::isfinite(f)) {
      return Status::Format(StatusCode::kInvalidArgument, "%.*s: %.*s holds a non-finite value",
                            static_cast<int>(op.size()), op.data(), static_cast<int>(what.size()), what.data());
    }
  }
  return Status::Ok();
}

float box_area(const float* b, bool normalized) {
  if (b[2] < b[0] || b[3] < b[1]) return 0.f;
  const float w = b[2] - b[0], h = b[3] - b[1];
  return normalized ? w * h : (w + 1) * (h + 1);
}

float jaccard(const float* a, const float* b, bool normalized) {
  if (b[0] > a[2] || b[2] < a[0] || b[1] > a[3] || b[3] < a[1]) return 0.f;
  const float norm = normalized ? 0.f : 1.f;
  const float iw = std::min(a[2], b[2]) - std::max(a[0], b[0]) + norm;
  const float ih = std::min(a[3], b[3]) - std::max(a[1], b[1]) + norm;
  const float inter = iw * ih;
  return inter / (box_area(a, normalized) + box_area(b, normalized) - inter);
}

Status nms_inputs(const OpContext& ctx, const std::string& op, const Tensor** boxes, const Tensor** scores,
                  int64_t* n, int64_t* c, int64_t* m) {
  TAILOR_RETURN_IF_ERROR(get_f32(ctx, op, "BBoxes", -1, boxes));
  TAILOR_RETURN_IF_ERROR(get_f32(ctx, op, "Scores", -1, scores));
  const Tensor& b = **boxes;
  const Tensor& s = **scores;
  if (s.rank() != 3) return Status::Unsupported(op + ": only 3-D Scores [N, C, M] are supported (2-D Scores need LoD)");
  if (b.rank() != 3 || b.dim(0) != s.dim(0) || b.dim(1) != s.dim(2) || b.dim(2) != 4) {
    return Status::Invalid(op + ": BBoxes " + shape_util::dims_str(b.dims()) + " must be [N, M, 4] for Scores " +
                           shape_util::dims_str(s.dims()));
  }
  *n = s.dim(0);
  *c = s.dim(1);
  *m = s.dim(2);
  if (*m > INT32_MAX / 2 || *n * *m > INT32_MAX) return Status::Invalid(op + ": too many boxes for int32 indices");
  return Status::Ok();
}

}  // namespace detection_util
}  // namespace helpers
}  // namespace tailor
