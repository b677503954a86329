#include "helpers/movement/movement_util.h"

#include <cstring>

namespace tailor {
namespace helpers {
namespace movement_util {

namespace su = shape_util;

Status read_ints(const OpContext& ctx, std::string_view op, const char* tensor_slot, const char* list_slot,
                 const char* attr, std::vector<int64_t>* out, bool* found) {
  if (found) *found = true;
  if (tensor_slot && su::has_input(ctx, tensor_slot)) {
    return su::read_int_tensor(op, tensor_slot, *ctx.input(tensor_slot, 0), out);
  }
  if (list_slot && ctx.input_count(list_slot) > 0) return su::read_int_list(ctx, op, list_slot, out);
  if (found) *found = ctx.op().has_attr(attr);
  *out = ctx.op().get_ints(attr);
  return Status::Ok();
}

Status plan_repeat(std::string_view op, const Dims& x_dims, const std::vector<int64_t>& reps, Dims* out_dims,
                   Dims* copy_dims, std::vector<int64_t>* src_strides) {
  if (reps.size() < x_dims.size() || reps.size() > static_cast<size_t>(su::kMaxRank)) {
    return Status::Invalid(std::string(op) + ": repeat times " + su::ints_str(reps) + " do not fit input " +
                           su::dims_str(x_dims));
  }
  const size_t lead = reps.size() - x_dims.size();
  Dims x(lead, 1);
  x.insert(x.end(), x_dims.begin(), x_dims.end());
  const std::vector<int64_t> x_strides = su::strides_of(x);
  out_dims->assign(reps.size(), 0);
  copy_dims->clear();
  src_strides->clear();
  for (size_t i = 0; i < reps.size(); ++i) {
    if (reps[i] <= 0 || reps[i] > su::kMaxElements) {
      return Status::Invalid(std::string(op) + ": repeat times " + su::ints_str(reps) + " must be >= 1");
    }
    (*out_dims)[i] = reps[i] * x[i];  // both <= 2^31: no overflow; the product is checked below
    copy_dims->push_back(reps[i]);
    src_strides->push_back(0);  // each repeat re-reads the same block
    copy_dims->push_back(x[i]);
    src_strides->push_back(x_strides[i]);
  }
  return su::check_shape(op, "output", *out_dims);
}

Status require_index_dtype(std::string_view op, std::string_view what, const Tensor& t) {
  if (t.dtype() != DType::kI32 && t.dtype() != DType::kI64) {
    return Status::Unsupported(std::string(op) + ": " + std::string(what) + " must be int32 or int64, got " +
                               dtype_name(t.dtype()));
  }
  return Status::Ok();
}

Status check_indices(std::string_view op, std::string_view what, const Tensor& t, int64_t bound) {
  TAILOR_RETURN_IF_ERROR(require_index_dtype(op, what, t));
  if (!t.raw()) return Status::Internal(std::string(op) + ": " + std::string(what) + " not bound at run");
  const int64_t n = t.numel();
  for (int64_t k = 0; k < n; ++k) {
    const int64_t v = index_at(t, k);
    if (v < 0 || v >= bound) {
      return Status::Invalid(std::string(op) + ": " + std::string(what) + " value " + std::to_string(v) +
                             " out of range [0, " + std::to_string(bound) + ")");
    }
  }
  return Status::Ok();
}

Status plan_crop(std::string_view op, const Dims& x_dims, const std::vector<int64_t>& shape,
                 std::vector<int64_t> offsets, bool minus_one_rest, std::vector<int64_t>* begin, Dims* size) {
  if (offsets.empty()) offsets.assign(x_dims.size(), 0);
  if (shape.size() != x_dims.size() || offsets.size() != x_dims.size()) {
    return Status::Invalid(std::string(op) + ": shape " + su::ints_str(shape) + " and offsets " +
                           su::ints_str(offsets) + " must have one entry per dim of " + su::dims_str(x_dims));
  }
  begin->assign(x_dims.size(), 0);
  size->assign(x_dims.size(), 0);
  for (size_t d = 0; d < x_dims.size(); ++d) {
    const int64_t off = offsets[d];
    if (off < 0 || off >= x_dims[d]) {
      return Status::Invalid(std::string(op) + ": offset " + std::to_string(off) + " outside dim " +
                             std::to_string(d) + " of " + su::dims_str(x_dims));
    }
    const int64_t n = (minus_one_rest && shape[d] == -1) ? x_dims[d] - off : shape[d];
    if (n <= 0 || n > x_dims[d] - off) {
      return Status::Invalid(std::string(op) + ": crop of " + su::ints_str(shape) + " at " + su::ints_str(offsets) +
                             " does not fit " + su::dims_str(x_dims));
    }
    (*begin)[d] = off;
    (*size)[d] = n;
  }
  return Status::Ok();
}

Status lookup_rows(std::string_view op, const Tensor& w, const Tensor& ids, int64_t padding_idx, Tensor* out) {
  if (!w.raw() || !ids.raw() || !out->raw_mut()) {
    return Status::Internal(std::string(op) + ": tensors not bound at run");
  }
  const int64_t rows = w.dim(0);
  const size_t row_bytes = static_cast<size_t>(w.dim(1)) * dtype_size(w.dtype());
  const int64_t n = ids.numel();
  for (int64_t k = 0; k < n; ++k) {
    const int64_t v = index_at(ids, k);
    if (v != padding_idx && (v < 0 || v >= rows)) {
      return Status::Invalid(std::string(op) + ": id " + std::to_string(v) + " out of range [0, " +
                             std::to_string(rows) + ")");
    }
  }
  const char* table = static_cast<const char*>(w.raw());
  char* dst = static_cast<char*>(out->raw_mut());
  for (int64_t k = 0; k < n; ++k, dst += row_bytes) {
    const int64_t v = index_at(ids, k);
    if (v == padding_idx) {
      std::memset(dst, 0, row_bytes);
    } else {
      std::memcpy(dst, table + static_cast<size_t>(v) * row_bytes, row_bytes);
    }
  }
  return Status::Ok();
}

void OffsetCopyKernel::set_walk(const Dims& in, const std::vector<int64_t>& begin, const Dims& size,
                                const std::vector<int64_t>& step) {
  const std::vector<int64_t> strides = su::strides_of(in);
  src_offset_ = 0;
  src_strides_.assign(in.size(), 0);
  for (size_t d = 0; d < in.size(); ++d) {
    src_offset_ += begin[d] * strides[d];
    src_strides_[d] = step[d] * strides[d];
  }
  copy_dims_ = size;
}

Status OffsetCopyKernel::run(OpContext& ctx) {
  const Tensor* x = ctx.input(in_slot_, 0);
  Tensor* out = ctx.output("Out", 0);
  if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
    return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
  }
  const size_t elem = dtype_size(x->dtype());
  const char* src = static_cast<const char*>(x->raw()) + src_offset_ * static_cast<int64_t>(elem);
  su::strided_copy(out->raw_mut(), src, elem, copy_dims_, src_strides_);
  return Status::Ok();
}

Status LookupKernel::infer(OpContext& ctx) {
  const std::string& op = ctx.op().type;
  const Tensor* w = nullptr;
  const Tensor* ids = nullptr;
  Tensor* out = nullptr;
  TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "W", 0, &w));
  TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Ids", 0, &ids));
  TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
  TAILOR_RETURN_IF_ERROR(require_index_dtype(op, "Ids", *ids));
  if (w->rank() != 2) return Status::Invalid(op + ": W must be 2-D, got " + su::dims_str(w->dims()));
  if (legacy_ && (ids->rank() < 1 || ids->dim(-1) != 1)) {
    return Status::Invalid(op + ": Ids must end in a dim of 1, got " + su::dims_str(ids->dims()));
  }
  Dims out_dims(ids->dims().begin(), ids->dims().end() - (legacy_ ? 1 : 0));
  out_dims.push_back(w->dim(1));
  TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
  padding_idx_ = ctx.op().get_int("padding_idx", -1);
  out->set_shape(w->dtype(), std::move(out_dims));
  return Status::Ok();
}

Status LookupKernel::run(OpContext& ctx) {
  const Tensor* w = ctx.input("W", 0);
  const Tensor* ids = ctx.input("Ids", 0);
  Tensor* out = ctx.output("Out", 0);
  if (!w || !ids || !out) return Status::Internal(ctx.op().type + ": tensors not bound at run");
  return lookup_rows(ctx.op().type, *w, *ids, padding_idx_, out);
}

Status UnstackKernel::infer(OpContext& ctx) {
  const std::string& op = ctx.op().type;
  const Tensor* x = nullptr;
  TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
  int axis = 0;
  TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", 0), x->rank(), &axis));
  const int64_t n = x->dim(axis);
  const int64_t num = ctx.op().get_int("num", n);
  if (num != n || ctx.output_count(out_slot_) != n) {
    return Status::Invalid(op + ": X " + su::dims_str(x->dims()) + " has " + std::to_string(n) + " entries on axis " +
                           std::to_string(axis) + ", the op has " + std::to_string(ctx.output_count(out_slot_)) +
                           " outputs" + (num != n ? " and num " + std::to_string(num) : std::string()));
  }
  Dims part = x->dims();
  part.erase(part.begin() + axis);
  if (part.empty()) part.push_back(1);
  for (int i = 0; i < n; ++i) {
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, out_slot_, i, &out));
    out->set_shape(x->dtype(), part);
  }
  axis_ = axis;
  return Status::Ok();
}

// Each output's bytes are one part of X split along the axis.
Status UnstackKernel::run(OpContext& ctx) { return su::join_or_split(ctx, "X", out_slot_, axis_, /*join=*/false); }

}  // namespace movement_util
}  // namespace helpers
}  // namespace tailor
