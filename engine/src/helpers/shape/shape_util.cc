#include "helpers/shape/shape_util.h"

#include <cstring>

namespace tailor {
namespace helpers {
namespace shape_util {

namespace {

std::string join_ints(const int64_t* v, size_t n) {
  std::string s = "[";
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ", ";
    s += std::to_string(v[i]);
  }
  s += "]";
  return s;
}

std::string prefix(std::string_view op) { return std::string(op) + ": "; }

// Element loop for strides that are not unit: typed copies for the common sizes.
template <typename T>
void copy_run(char* dst, const char* src, int64_t n, int64_t stride) {
  T* d = reinterpret_cast<T*>(dst);
  for (int64_t k = 0; k < n; ++k) {
    std::memcpy(d + k, src + k * stride * static_cast<int64_t>(sizeof(T)), sizeof(T));
  }
}

void copy_elems(char* dst, const char* src, size_t elem, int64_t n, int64_t stride) {
  if (stride == 1) {
    std::memcpy(dst, src, static_cast<size_t>(n) * elem);
    return;
  }
  switch (elem) {
    case 1: copy_run<uint8_t>(dst, src, n, stride); return;
    case 2: copy_run<uint16_t>(dst, src, n, stride); return;
    case 4: copy_run<uint32_t>(dst, src, n, stride); return;
    case 8: copy_run<uint64_t>(dst, src, n, stride); return;
    default:
      for (int64_t k = 0; k < n; ++k) {
        std::memcpy(dst + k * static_cast<int64_t>(elem), src + k * stride * static_cast<int64_t>(elem), elem);
      }
  }
}

}  // namespace

std::string dims_str(const Dims& d) { return join_ints(d.data(), d.size()); }
std::string ints_str(const std::vector<int64_t>& v) { return join_ints(v.data(), v.size()); }

Status check_shape(std::string_view op, std::string_view what, const Dims& d) {
  if (d.size() > static_cast<size_t>(kMaxRank)) {
    return Status::Invalid(prefix(op) + std::string(what) + " has rank " + std::to_string(d.size()) +
                           ", more than " + std::to_string(kMaxRank));
  }
  int64_t n = 1;
  for (int64_t v : d) {
    if (v <= 0) {
      return Status::Invalid(prefix(op) + std::string(what) + " shape " + dims_str(d) +
                             " has a dim <= 0 (zero-size and unknown dims are not supported)");
    }
    if (n > kMaxElements / v) {
      return Status::Invalid(prefix(op) + std::string(what) + " shape " + dims_str(d) +
                             " has more than " + std::to_string(kMaxElements) + " elements");
    }
    n *= v;
  }
  return Status::Ok();
}

Status get_input(const OpContext& ctx, std::string_view op, std::string_view slot, int i,
                 const Tensor** out) {
  const Tensor* t = ctx.input_count(slot) > i ? ctx.input(slot, i) : nullptr;
  if (!t) {
    return Status::BadModel(prefix(op) + "missing input " + std::string(slot) + "[" + std::to_string(i) + "]");
  }
  if (dtype_size(t->dtype()) == 0) {
    return Status::Unsupported(prefix(op) + "input " + std::string(slot) + " has unknown dtype " +
                               std::to_string(static_cast<int>(t->dtype())));
  }
  TAILOR_RETURN_IF_ERROR(check_shape(op, "input " + std::string(slot), t->dims()));
  *out = t;
  return Status::Ok();
}

Status get_output(OpContext& ctx, std::string_view op, std::string_view slot, int i, Tensor** out) {
  Tensor* t = ctx.output_count(slot) > i ? ctx.output(slot, i) : nullptr;
  if (!t) {
    return Status::BadModel(prefix(op) + "missing output " + std::string(slot) + "[" + std::to_string(i) + "]");
  }
  *out = t;
  return Status::Ok();
}

Status read_int_tensor(std::string_view op, std::string_view slot, const Tensor& t,
                       std::vector<int64_t>* out) {
  if (t.dtype() != DType::kI32 && t.dtype() != DType::kI64) {
    return Status::Unsupported(prefix(op) + std::string(slot) + " must be int32 or int64, got " +
                               dtype_name(t.dtype()));
  }
  int64_t n = dims_numel(t.dims());
  if (n < 0 || n > kMaxShapeTensorElements) {
    return Status::Invalid(prefix(op) + std::string(slot) + " has invalid shape " + dims_str(t.dims()));
  }
  if (!t.raw()) {
    return Status::Unsupported(prefix(op) + std::string(slot) +
                               " is computed at run time; only values known when the model is planned "
                               "(parameters, folded constants) are supported");
  }
  out->resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    (*out)[static_cast<size_t>(k)] = t.dtype() == DType::kI32 ? t.data<int32_t>()[k] : t.data<int64_t>()[k];
  }
  return Status::Ok();
}

Status read_float_tensor(std::string_view op, std::string_view slot, const Tensor& t,
                         std::vector<double>* out) {
  if (t.dtype() != DType::kF32 && t.dtype() != DType::kF64) {
    return Status::Unsupported(prefix(op) + std::string(slot) + " must be float32 or float64, got " +
                               dtype_name(t.dtype()));
  }
  int64_t n = dims_numel(t.dims());
  if (n < 0 || n > kMaxShapeTensorElements) {
    return Status::Invalid(prefix(op) + std::string(slot) + " has invalid shape " + dims_str(t.dims()));
  }
  if (!t.raw()) {
    return Status::Unsupported(prefix(op) + std::string(slot) +
                               " is computed at run time; only values known when the model is planned "
                               "are supported");
  }
  out->resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    (*out)[static_cast<size_t>(k)] = t.dtype() == DType::kF32 ? t.data<float>()[k] : t.data<double>()[k];
  }
  return Status::Ok();
}

Status read_int_list(const OpContext& ctx, std::string_view op, std::string_view slot,
                     std::vector<int64_t>* out) {
  out->clear();
  int n = ctx.input_count(slot);
  if (n > kMaxShapeTensorElements) {
    return Status::Invalid(prefix(op) + std::string(slot) + " lists too many tensors");
  }
  for (int i = 0; i < n; ++i) {
    const Tensor* t = ctx.input(slot, i);
    if (!t) return Status::BadModel(prefix(op) + "missing input " + std::string(slot) + "[" + std::to_string(i) + "]");
    std::vector<int64_t> v;
    TAILOR_RETURN_IF_ERROR(read_int_tensor(op, slot, *t, &v));
    if (v.size() != 1) {
      return Status::Invalid(prefix(op) + "each " + std::string(slot) + " tensor must hold one value, got shape " +
                             dims_str(t->dims()));
    }
    out->push_back(v[0]);
  }
  return Status::Ok();
}

Status normalize_axis(std::string_view op, std::string_view what, int64_t axis, int rank, int* out) {
  if (axis < -static_cast<int64_t>(rank) || axis >= rank) {
    return Status::Invalid(prefix(op) + std::string(what) + " " + std::to_string(axis) +
                           " is out of range for rank " + std::to_string(rank));
  }
  *out = static_cast<int>(axis < 0 ? axis + rank : axis);
  return Status::Ok();
}

Status declare_xshape(OpContext& ctx, const Dims& x_dims) {
  if (ctx.output_count("XShape") < 1) return Status::Ok();
  Tensor* xs = ctx.output("XShape", 0);
  if (!xs) return Status::Ok();
  Dims d;
  d.reserve(x_dims.size() + 1);
  d.push_back(0);
  d.insert(d.end(), x_dims.begin(), x_dims.end());
  xs->set_shape(DType::kF32, std::move(d));
  return Status::Ok();
}

std::vector<int64_t> strides_of(const Dims& d) {
  std::vector<int64_t> s(d.size(), 1);
  for (size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

void copy_bytes(void* dst, const void* src, size_t bytes) {
  if (dst != src && bytes) std::memmove(dst, src, bytes);
}

void strided_copy(void* dst, const void* src, size_t elem_size, const Dims& out_dims,
                  const std::vector<int64_t>& src_strides) {
  // Drop size-1 dims and merge neighbours that are contiguous in the source
  // (stride[i] == stride[i+1] * dim[i+1]) so the inner loop is as long as possible.
  Dims dims;
  std::vector<int64_t> strides;
  for (size_t i = 0; i < out_dims.size(); ++i) {
    if (out_dims[i] == 1) continue;
    if (!dims.empty() && strides.back() == src_strides[i] * out_dims[i]) {
      dims.back() *= out_dims[i];
      strides.back() = src_strides[i];
    } else {
      dims.push_back(out_dims[i]);
      strides.push_back(src_strides[i]);
    }
  }
  char* d = static_cast<char*>(dst);
  const char* s = static_cast<const char*>(src);
  const int64_t elem = static_cast<int64_t>(elem_size);
  if (dims.empty()) {
    std::memcpy(d, s, elem_size);
    return;
  }
  const size_t r = dims.size();
  const int64_t inner = dims[r - 1];
  const int64_t inner_stride = strides[r - 1];
  std::vector<int64_t> idx(r, 0);
  int64_t src_off = 0;  // in elements
  for (;;) {
    copy_elems(d, s + src_off * elem, elem_size, inner, inner_stride);
    d += inner * elem;
    // Odometer over the outer dims.
    size_t k = r - 1;
    for (;;) {
      if (k == 0) return;
      --k;
      ++idx[k];
      src_off += strides[k];
      if (idx[k] < dims[k]) break;
      src_off -= strides[k] * dims[k];
      idx[k] = 0;
    }
  }
}

Status plan_reduce(const OpContext& ctx, std::string_view op, const Tensor& x, ReducePlan* plan) {
  const int rank = x.rank();
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  const std::vector<int64_t> dims = ctx.op().get_ints("dim");
  bool all = ctx.op().get_bool("reduce_all", false) || dims.empty();
  for (int64_t d : dims) {
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(normalize_axis(op, "dim entry", d, rank, &axis));
    reduced[static_cast<size_t>(axis)] = true;
  }
  bool every = true;
  for (bool b : reduced) every = every && b;
  all = all || every;
  if (all) reduced.assign(static_cast<size_t>(rank), true);

  // Paddle may ask for a different output dtype (e.g. int64 sums of int32);
  // Paddle Lite ignores it, so only the no-conversion cases are accepted.
  const int64_t out_dtype = ctx.op().get_int("out_dtype", -1);
  if (out_dtype != -1 && out_dtype != static_cast<int64_t>(x.dtype())) {
    return Status::Unsupported(prefix(op) + "out_dtype " + std::to_string(out_dtype) + " differs from the input's " +
                               dtype_name(x.dtype()));
  }
  const bool keep = ctx.op().get_bool("keep_dim", false);
  plan->in_dims = x.dims();
  plan->out_dims.clear();
  plan->count = 1;
  for (int i = 0; i < rank; ++i) {
    if (reduced[static_cast<size_t>(i)]) {
      plan->count *= x.dim(i);
      if (keep) plan->out_dims.push_back(1);
    } else {
      plan->out_dims.push_back(x.dim(i));
    }
  }
  if (plan->out_dims.empty()) plan->out_dims.push_back(1);
  // Output strides seen from the input's dims (reduced dims do not move).
  plan->out_strides.assign(static_cast<size_t>(rank), 0);
  int64_t stride = 1;
  for (int i = rank; i-- > 0;) {
    if (reduced[static_cast<size_t>(i)]) continue;
    plan->out_strides[static_cast<size_t>(i)] = stride;
    stride *= x.dim(i);
  }
  return Status::Ok();
}

Status resolve_interp_size(const OpContext& ctx, std::string_view op, const Tensor& x, bool v2, InterpSize* size) {
  if (x.rank() != 4) return Status::Invalid(prefix(op) + "input must be 4-D NCHW, got " + dims_str(x.dims()));
  const std::string layout = ctx.op().get_string("data_layout", "NCHW");
  if (layout != "NCHW") return Status::Unsupported(prefix(op) + "data_layout '" + layout + "' (only NCHW)");
  const int64_t in_h = x.dim(2), in_w = x.dim(3);
  *size = InterpSize();

  std::vector<int64_t> hw;
  if (ctx.input_count("SizeTensor") > 0) {
    TAILOR_RETURN_IF_ERROR(read_int_list(ctx, op, "SizeTensor", &hw));
    if (hw.size() != 2) return Status::Invalid(prefix(op) + "SizeTensor must list 2 tensors (out_h, out_w)");
  } else {
    // Scale factors, also needed by v2 nearest when OutSize decides the size.
    std::vector<double> scale;
    if (has_input(ctx, "Scale")) {
      TAILOR_RETURN_IF_ERROR(read_float_tensor(op, "Scale", *ctx.input("Scale", 0), &scale));
      if (!v2 && scale.size() > 1) scale.erase(scale.begin() + 1, scale.end());  // v1: one factor
    } else if (v2) {
      scale = ctx.op().get_floats("scale");
    } else {
      scale = {ctx.op().get_float("scale", -1.0)};
    }
    if (scale.size() == 1) {
      const double both = scale[0];
      scale.push_back(both);
    }
    if (scale.size() >= 2 && scale[0] > 0 && scale[1] > 0) {
      if (!(scale[0] < 1e6 && scale[1] < 1e6)) return Status::Invalid(prefix(op) + "scale is too large");
      size->scale_h = static_cast<float>(scale[0]);
      size->scale_w = static_cast<float>(scale[1]);
      // Paddle Lite: static_cast<int>(in * scale) in float.
      hw = {static_cast<int64_t>(static_cast<float>(in_h) * size->scale_h),
            static_cast<int64_t>(static_cast<float>(in_w) * size->scale_w)};
    }
    if (has_input(ctx, "OutSize")) {
      TAILOR_RETURN_IF_ERROR(read_int_tensor(op, "OutSize", *ctx.input("OutSize", 0), &hw));
      if (hw.size() != 2) return Status::Invalid(prefix(op) + "OutSize must hold 2 values (out_h, out_w)");
    }
    if (hw.empty()) hw = {ctx.op().get_int("out_h", -1), ctx.op().get_int("out_w", -1)};
  }
  size->out_h = hw[0];
  size->out_w = hw[1];
  // Kernels keep per-row/column tables: bound each side, not just the product.
  if (size->out_h > kMaxInterpSide || size->out_w > kMaxInterpSide) {
    return Status::Invalid(prefix(op) + "output size " + std::to_string(size->out_h) + "x" +
                           std::to_string(size->out_w) + " exceeds " + std::to_string(kMaxInterpSide) + " per side");
  }
  return check_shape(op, "output", Dims{x.dim(0), x.dim(1), size->out_h, size->out_w});
}

Status ReshapeLike::run(OpContext& ctx) {
  const Tensor* x = ctx.input("X", 0);
  Tensor* out = ctx.output("Out", 0);
  if (!x || !out || !x->raw() || !out->raw_mut()) {
    return Status::Internal(ctx.op().type + ": tensors not bound at run");
  }
  if (x->bytes() != out->bytes()) {
    return Status::Internal(ctx.op().type + ": input and output sizes differ at run");
  }
  copy_bytes(out->raw_mut(), x->raw(), out->bytes());
  return Status::Ok();
}

}  // namespace shape_util
}  // namespace helpers
}  // namespace tailor
