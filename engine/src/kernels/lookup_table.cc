// lookup_table (legacy, any dtype W): Out = W[Ids] row by row: Ids (int32/int64)
// of shape [..., 1] -> Ids.dims[:-1] + [W.dims[1]].
// An id equal to padding_idx gives zeros (padding_idx -1: none); any other id
// outside [0, W.dims[0]) fails the run.
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace lookup_table_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class LookupTable final : public Kernel {
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
    if (ids->rank() < 1 || ids->dim(-1) != 1) {
      return Status::Invalid(op + ": Ids must end in a dim of 1, got " + su::dims_str(ids->dims()));
    }
    Dims out_dims(ids->dims().begin(), ids->dims().end() - 1);
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
  return su::make_kernel<LookupTable>("lookup_table.any.ref", out);
}

}  // namespace lookup_table_any_ref
}  // namespace kernels
}  // namespace tailor
