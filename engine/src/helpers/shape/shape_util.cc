#include "helpers/shape/shape_util.h"

#include <cstring>
#include <type_traits>

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

// DType of the element types read_constant() takes.
template <typename T>
constexpr DType dtype_of() {
  return std::is_same<T, int32_t>::value   ? DType::kI32
         : std::is_same<T, int64_t>::value ? DType::kI64
         : std::is_same<T, float>::value   ? DType::kF32
                                           : DType::kF64;
}

// A small tensor of dtype A or V known at plan time, read as V (the wider
// type): the body of read_int_tensor and read_float_tensor.
template <typename A, typename V>
Status read_constant(std::string_view op, std::string_view slot, const Tensor& t, const char* types,
                     const char* known_note, std::vector<V>* out) {
  if (t.dtype() != dtype_of<A>() && t.dtype() != dtype_of<V>()) {
    return Status::Unsupported(prefix(op) + std::string(slot) + " must be " + types + ", got " +
                               dtype_name(t.dtype()));
  }
  int64_t n = dims_numel(t.dims());
  if (n < 0 || n > kMaxShapeTensorElements) {
    return Status::Invalid(prefix(op) + std::string(slot) + " has invalid shape " + dims_str(t.dims()));
  }
  if (!t.raw()) {
    return Status::Unsupported(prefix(op) + std::string(slot) +
                               " is computed at run time; only values known when the model is planned " +
                               known_note + "are supported");
  }
  out->resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    (*out)[static_cast<size_t>(k)] = t.dtype() == dtype_of<A>() ? t.data<A>()[k] : t.data<V>()[k];
  }
  return Status::Ok();
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

Status get_x_out(OpContext& ctx, std::string_view op, const Tensor** x, Tensor** out) {
  TAILOR_RETURN_IF_ERROR(get_input(ctx, op, "X", 0, x));
  return get_output(ctx, op, "Out", 0, out);
}

Status read_int_tensor(std::string_view op, std::string_view slot, const Tensor& t,
                       std::vector<int64_t>* out) {
  return read_constant<int32_t>(op, slot, t, "int32 or int64", "(parameters, folded constants) ", out);
}

Status read_float_tensor(std::string_view op, std::string_view slot, const Tensor& t,
                         std::vector<double>* out) {
  return read_constant<float>(op, slot, t, "float32 or float64", "", out);
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

Status axis_attr_or_tensor(const OpContext& ctx, std::string_view op, int rank, int* axis) {
  int64_t value = ctx.op().get_int("axis", 0);
  if (has_input(ctx, "AxisTensor")) {
    std::vector<int64_t> v;
    TAILOR_RETURN_IF_ERROR(read_int_tensor(op, "AxisTensor", *ctx.input("AxisTensor", 0), &v));
    if (v.size() != 1) return Status::Invalid(prefix(op) + "AxisTensor must hold one value");
    value = v[0];
  }
  return normalize_axis(op, "axis", value, rank, axis);
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

Status join_or_split(OpContext& ctx, std::string_view whole_slot, std::string_view parts_slot, int axis,
                     bool join) {
  // join: parts (inputs) -> whole (output); split: whole (input) -> parts (outputs).
  const std::string& op = ctx.op().type;
  Tensor* whole_out = join ? ctx.output(whole_slot, 0) : nullptr;
  const Tensor* whole = join ? whole_out : ctx.input(whole_slot, 0);
  if (!whole || !(join ? whole_out->raw_mut() : whole->raw())) {
    return Status::Internal(op + (join ? ": output" : ": input") + " not bound at run");
  }
  const int64_t elem = static_cast<int64_t>(dtype_size(whole->dtype()));
  int64_t outer = 1;
  for (int d = 0; d < axis; ++d) outer *= whole->dim(d);
  const int64_t whole_row = whole->numel() / outer * elem;  // bytes per outer index
  int64_t offset = 0;                                        // of the current part in a whole row
  const int n = join ? ctx.input_count(parts_slot) : ctx.output_count(parts_slot);
  for (int i = 0; i < n; ++i) {
    Tensor* part_out = join ? nullptr : ctx.output(parts_slot, i);
    const Tensor* part = join ? ctx.input(parts_slot, i) : part_out;
    if (!part || !(join ? part->raw() : part_out->raw_mut())) {
      return Status::Internal(op + (join ? ": input" : ": output") + " not bound at run");
    }
    const int64_t row = part->numel() / outer * elem;
    for (int64_t o = 0; o < outer; ++o) {
      const int64_t at = o * whole_row + offset, part_at = o * row;
      if (join) {
        std::memcpy(static_cast<char*>(whole_out->raw_mut()) + at, static_cast<const char*>(part->raw()) + part_at,
                    static_cast<size_t>(row));
      } else {
        std::memcpy(static_cast<char*>(part_out->raw_mut()) + part_at, static_cast<const char*>(whole->raw()) + at,
                    static_cast<size_t>(row));
      }
    }
    offset += row;
  }
  return Status::Ok();
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

Status ReduceKernel::plan(OpContext& ctx, size_t acc_bytes) {
  const std::string& op = ctx.op().type;
  const Tensor* x = nullptr;
  Tensor* out = nullptr;
  TAILOR_RETURN_IF_ERROR(get_input(ctx, op, "X", 0, &x));
  TAILOR_RETURN_IF_ERROR(get_output(ctx, op, "Out", 0, &out));
  const DType t = x->dtype();
  if (t != DType::kF32 && t != DType::kF64 && t != DType::kI32 && t != DType::kI64) {
    return Status::Unsupported(op + ": unsupported dtype " + dtype_name(t));
  }
  TAILOR_RETURN_IF_ERROR(plan_reduce(ctx, op, *x, &plan_));
  if (acc_bytes) ctx.request_scratch(static_cast<size_t>(dims_numel(plan_.out_dims)) * acc_bytes);
  out->set_shape(t, plan_.out_dims);
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

Status ReshapeRule::infer(OpContext& ctx) {
  const std::string& op = ctx.op().type;
  const Tensor* x = nullptr;
  Tensor* out = nullptr;
  TAILOR_RETURN_IF_ERROR(get_input(ctx, op, "X", 0, &x));
  TAILOR_RETURN_IF_ERROR(get_output(ctx, op, "Out", 0, &out));
  const Dims x_dims = x->dims();  // copy: out may alias x's tensor in place
  Dims dims;
  TAILOR_RETURN_IF_ERROR(out_dims(ctx, op, x_dims, &dims));
  out->set_shape(x->dtype(), std::move(dims));
  return declare_xshape(ctx, x_dims);
}

Status StridedCopyKernel::run(OpContext& ctx) {
  const Tensor* x = ctx.input("X", 0);
  Tensor* out = ctx.output("Out", 0);
  if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
    return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
  }
  strided_copy(out->raw_mut(), x->raw(), dtype_size(x->dtype()), copy_dims_, src_strides_);
  return Status::Ok();
}

Status BoolReduceKernel::infer(OpContext& ctx) {
  const std::string& op = ctx.op().type;
  const Tensor* x = nullptr;
  Tensor* out = nullptr;
  TAILOR_RETURN_IF_ERROR(get_x_out(ctx, op, &x, &out));
  if (x->dtype() != DType::kBool)
    return Status::Unsupported(op + ": X has dtype " + dtype_name(x->dtype()) + ", expected bool");
  TAILOR_RETURN_IF_ERROR(plan_reduce(ctx, op, *x, &plan_));
  out->set_shape(DType::kBool, plan_.out_dims);
  return Status::Ok();
}

Status BoolReduceKernel::run(OpContext& ctx) {
  const Tensor* xt = ctx.input("X", 0);
  Tensor* out = ctx.output("Out", 0);
  if (!xt || !out || !xt->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
  const uint8_t* x = xt->data<uint8_t>();
  uint8_t* acc = out->mutable_data<uint8_t>();
  const int64_t n = out->numel();
  for (int64_t i = 0; i < n; ++i) acc[i] = all_ ? 1 : 0;
  if (all_) {
    for_each_reduced(plan_, [&](int64_t o, int64_t i) { acc[o] = acc[o] && x[i] != 0; });
  } else {
    for_each_reduced(plan_, [&](int64_t o, int64_t i) { acc[o] = acc[o] || x[i] != 0; });
  }
  return Status::Ok();
}

}  // namespace shape_util
}  // namespace helpers
}  // namespace tailor
