// lookup_table_v2 (any dtype W): Out = W[Ids] row by row: Ids (int32/int64,
// any shape) -> Ids.dims + [W.dims[1]].
// An id equal to padding_idx gives zeros (padding_idx -1: none); any other id
// outside [0, W.dims[0]) fails the run.
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace lookup_table_v2_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class LookupTableV2 final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* w = nullptr;
    const Tensor* ids = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "W", 0, &w));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Ids", 0, &ids));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    TAILOR_RETURN_IF_ERROR(mu::require_index_dtype(op, "Ids", *ids));
    if (w->rank() != 2) return Status::Invalid(op + ": W must be 2-D, got " + su::dims_str(w->dims()));
    Dims out_dims = ids->dims();
    out_dims.push_back(w->dim(1));
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    padding_idx_ = ctx.op().get_int("padding_idx", -1);
    out->set_shape(w->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* w = ctx.input("W", 0);
    const Tensor* ids = ctx.input("Ids", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!w || !ids || !out) return Status::Internal(ctx.op().type + ": tensors not bound at run");
    return mu::lookup_rows(ctx.op().type, *w, *ids, padding_idx_, out);
  }

 private:
  int64_t padding_idx_ = -1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<LookupTableV2>("lookup_table_v2.any.ref", out);
}

}  // namespace lookup_table_v2_any_ref
}  // namespace kernels
}  // namespace tailor
