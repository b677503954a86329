// index_select (any dtype): Out = X with dim `dim` replaced by the 1-D
// int32/int64 Index's picks along it. Index values are checked at run time:
// one outside [0, X.dims[dim]) fails the run.
#include <cstring>

#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace index_select_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class IndexSelect final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    const Tensor* index = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Index", 0, &index));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    TAILOR_RETURN_IF_ERROR(mu::require_index_dtype(op, "Index", *index));
    if (index->rank() != 1) return Status::Invalid(op + ": Index must be 1-D, got " + su::dims_str(index->dims()));
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "dim", ctx.op().get_int("dim", 0), x->rank(), &axis));
    Dims out_dims = x->dims();
    out_dims[static_cast<size_t>(axis)] = index->numel();
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    outer_ = inner_ = 1;
    for (int d = 0; d < x->rank(); ++d) {
      if (d < axis) outer_ *= x->dim(d);
      if (d > axis) inner_ *= x->dim(d);
    }
    dim_ = x->dim(axis);
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X", 0);
    const Tensor* index = ctx.input("Index", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !index || !out || !x->raw() || !out->raw_mut()) {
      return Status::Internal(op + ": tensors not bound at run");
    }
    TAILOR_RETURN_IF_ERROR(mu::check_indices(op, "Index", *index, dim_));
    const int64_t slice = inner_ * static_cast<int64_t>(dtype_size(x->dtype()));
    const int64_t n = index->numel();
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(out->raw_mut());
    for (int64_t o = 0; o < outer_; ++o) {
      const char* block = src + o * dim_ * slice;
      for (int64_t j = 0; j < n; ++j) {
        std::memcpy(dst, block + mu::index_at(*index, j) * slice, static_cast<size_t>(slice));
        dst += slice;
      }
    }
    return Status::Ok();
  }

 private:
  int64_t outer_ = 1, dim_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<IndexSelect>("index_select.any.ref", out);
}

}  // namespace index_select_any_ref
}  // namespace kernels
}  // namespace tailor
