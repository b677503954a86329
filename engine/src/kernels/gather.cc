// gather (any dtype): picks slices of X along `axis` by the int32/int64
// Index: out = X[:axis] + [numel(Index)] + X[axis+1:].
//
// The axis comes from the Axis tensor (a constant) else the `axis` attribute
// (default 0). Paddle Lite reads attribute -1 as "axis 0"; here negative
// attribute values count from the end like Paddle, so the two differ only for
// models that Lite itself computes wrongly. Index values are checked at run
// time and an out-of-range index fails the run instead of reading memory.
#include <cstring>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace gather_any_ref {

namespace su = helpers::shape_util;

namespace {

template <typename I>
Status gather(const char* x, char* out, const I* index, int64_t n_index, int64_t outer, int64_t dim,
              int64_t slice_bytes, const std::string& op) {
  for (int64_t j = 0; j < n_index; ++j) {
    const int64_t v = static_cast<int64_t>(index[j]);
    if (v < 0 || v >= dim) {
      return Status::Invalid(op + ": index " + std::to_string(v) + " out of range [0, " + std::to_string(dim) + ")");
    }
  }
  for (int64_t o = 0; o < outer; ++o) {
    const char* src = x + o * dim * slice_bytes;
    for (int64_t j = 0; j < n_index; ++j) {
      std::memcpy(out, src + static_cast<int64_t>(index[j]) * slice_bytes, static_cast<size_t>(slice_bytes));
      out += slice_bytes;
    }
  }
  return Status::Ok();
}

class Gather final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    const Tensor* index = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Index", 0, &index));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    if (index->dtype() != DType::kI32 && index->dtype() != DType::kI64) {
      return Status::Unsupported(op + ": Index must be int32 or int64, got " + dtype_name(index->dtype()));
    }
    if (index->rank() > 2 || (index->rank() == 2 && index->dim(1) != 1)) {
      return Status::Invalid(op + ": Index shape " + su::dims_str(index->dims()) + " must be [N] or [N, 1]");
    }
    int64_t axis_value = ctx.op().get_int("axis", 0);
    if (su::has_input(ctx, "Axis")) {
      std::vector<int64_t> v;
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "Axis", *ctx.input("Axis", 0), &v));
      if (v.size() != 1) return Status::Invalid(op + ": Axis must hold one value");
      axis_value = v[0];
    }
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", axis_value, x->rank(), &axis));
    Dims out_dims = x->dims();
    out_dims[static_cast<size_t>(axis)] = index->numel();
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    outer_ = 1;
    inner_ = 1;
    for (int d = 0; d < x->rank(); ++d) {
      if (d < axis) outer_ *= x->dim(d);
      if (d > axis) inner_ *= x->dim(d);
    }
    dim_ = x->dim(axis);
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    const Tensor* index = ctx.input("Index", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !index || !out || !x->raw() || !index->raw() || !out->raw_mut()) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(out->raw_mut());
    const int64_t slice = inner_ * static_cast<int64_t>(dtype_size(x->dtype()));
    if (index->dtype() == DType::kI32) {
      return gather(src, dst, index->data<int32_t>(), index->numel(), outer_, dim_, slice, ctx.op().type);
    }
    return gather(src, dst, index->data<int64_t>(), index->numel(), outer_, dim_, slice, ctx.op().type);
  }

 private:
  int64_t outer_ = 1, dim_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Gather>("gather.any.ref", out);
}

}  // namespace gather_any_ref
}  // namespace kernels
}  // namespace tailor
