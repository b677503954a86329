#include "helpers/window/ref.h"

#include <algorithm>
#include <cinttypes>
#include <string>
#include <vector>

namespace tailor {
namespace helpers {
namespace window_ref {

Status read_pair(const OpDesc& op, const char* name, int64_t def, int64_t min_value,
                 int64_t* first, int64_t* second) {
  *first = *second = def;
  if (!op.has_attr(name)) return Status::Ok();
  std::vector<int64_t> v = op.get_ints(name);
  if (v.size() != 2)
    return Status::Format(StatusCode::kInvalidModel, "%s: attribute '%s' must have 2 values, has %zu",
                          op.type.c_str(), name, v.size());
  for (int64_t x : v)
    if (x < min_value || x > kMaxWindowParam)
      return Status::Format(StatusCode::kInvalidModel, "%s: attribute '%s' value %" PRId64 " out of range",
                            op.type.c_str(), name, x);
  *first = v[0];
  *second = v[1];
  return Status::Ok();
}

Status read_paddings(const OpDesc& op, Window2d* w) {
  const std::vector<int64_t> v = op.get_ints("paddings");  // none, [h, w] or [top, bottom, left, right]
  int64_t p[4] = {0, 0, 0, 0};
  if (v.size() == 2) {
    p[0] = p[1] = v[0];
    p[2] = p[3] = v[1];
  } else if (v.size() == 4) {
    std::copy(v.begin(), v.end(), p);
  } else if (!v.empty()) {
    return Status::Format(StatusCode::kInvalidModel, "%s: 'paddings' must have 2 or 4 values, has %zu",
                          op.type.c_str(), v.size());
  }
  for (int64_t x : p)
    if (x < 0 || x > kMaxWindowParam)
      return Status::Format(StatusCode::kInvalidModel, "%s: padding %" PRId64 " out of range", op.type.c_str(), x);
  w->pad_top = p[0];
  w->pad_bottom = p[1];
  w->pad_left = p[2];
  w->pad_right = p[3];
  return Status::Ok();
}

static void same_padding(int64_t in, int64_t stride, int64_t kernel, int64_t* before,
                         int64_t* after) {
  const int64_t out = (in + stride - 1) / stride;
  int64_t sum = (out - 1) * stride + kernel - in;
  if (sum < 0) sum = 0;
  *before = sum / 2;
  *after = sum - *before;
}

Status apply_padding_algorithm(const OpDesc& op, int64_t in_h, int64_t in_w,
                               bool same_resets_dilation, Window2d* w) {
  const std::string algo = op.get_string("padding_algorithm", "EXPLICIT");
  if (algo == "SAME") {
    same_padding(in_h, w->stride_h, w->kernel_h, &w->pad_top, &w->pad_bottom);
    same_padding(in_w, w->stride_w, w->kernel_w, &w->pad_left, &w->pad_right);
    if (same_resets_dilation) w->dilation_h = w->dilation_w = 1;
  } else if (algo == "VALID") {
    w->pad_top = w->pad_bottom = w->pad_left = w->pad_right = 0;
  } else if (algo != "EXPLICIT" && !algo.empty()) {
    return Status::Format(StatusCode::kUnsupported, "%s: padding_algorithm '%s' not supported", op.type.c_str(),
                          algo.c_str());
  }
  return Status::Ok();
}

Status pool2d_geometry(const OpDesc& op, int64_t in_h, int64_t in_w, Pool2d* p) {
  *p = Pool2d();
  Window2d& w = p->w;
  TAILOR_RETURN_IF_ERROR(read_pair(op, "ksize", 1, 1, &w.kernel_h, &w.kernel_w));
  TAILOR_RETURN_IF_ERROR(read_pair(op, "strides", 1, 1, &w.stride_h, &w.stride_w));
  TAILOR_RETURN_IF_ERROR(read_paddings(op, &w));
  p->global = op.get_bool("global_pooling", false);
  p->adaptive = op.get_bool("adaptive", false);
  p->ceil_mode = op.get_bool("ceil_mode", false);
  p->exclusive = op.get_bool("exclusive", true);
  TAILOR_RETURN_IF_ERROR(apply_padding_algorithm(op, in_h, in_w, false, &w));
  if (p->global || p->adaptive) w.pad_top = w.pad_bottom = w.pad_left = w.pad_right = 0;
  if (p->global) {
    w.kernel_h = in_h;
    w.kernel_w = in_w;
  }
  if (p->adaptive && !p->global) {
    p->out_h = w.kernel_h;
    p->out_w = w.kernel_w;
    if (in_h < 1 || in_w < 1)
      return Status::Format(StatusCode::kInvalidArgument, "%s: adaptive pooling of an empty plane", op.type.c_str());
    return Status::Ok();
  }
  const int64_t span_h = in_h + w.pad_top + w.pad_bottom - w.kernel_h;
  const int64_t span_w = in_w + w.pad_left + w.pad_right - w.kernel_w;
  if (span_h < 0 || span_w < 0)
    return Status::Format(StatusCode::kInvalidArgument,
                          "%s: pooling window larger than padded input %" PRId64 "x%" PRId64, op.type.c_str(), in_h,
                          in_w);
  const int64_t round_h = p->ceil_mode ? w.stride_h - 1 : 0;
  const int64_t round_w = p->ceil_mode ? w.stride_w - 1 : 0;
  p->out_h = (span_h + round_h) / w.stride_h + 1;
  p->out_w = (span_w + round_w) / w.stride_w + 1;
  return Status::Ok();
}

bool mul_ok(int64_t a, int64_t b, int64_t* out) {
  if (a < 0 || b < 0) return false;
  return !__builtin_mul_overflow(a, b, out);
}

}  // namespace window_ref
}  // namespace helpers
}  // namespace tailor
