// concat (any dtype): joins the X inputs along `axis` (negative counts from
// the end; an AxisTensor, when present, overrides the attribute).
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace concat_any_ref {

namespace su = helpers::shape_util;

namespace {

class Concat final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const int n = ctx.input_count("X");
    if (n < 1) return Status::BadModel(op + ": no X inputs");
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const Tensor* x0 = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x0));
    const int rank = x0->rank();
    if (rank == 0) return Status::Invalid(op + ": cannot concatenate 0-D tensors");

    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::axis_attr_or_tensor(ctx, op, rank, &axis));

    Dims out_dims = x0->dims();
    out_dims[static_cast<size_t>(axis)] = 0;
    for (int i = 0; i < n; ++i) {
      const Tensor* xi = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", i, &xi));
      if (xi->dtype() != x0->dtype() || xi->rank() != rank) {
        return Status::Invalid(op + ": input " + std::to_string(i) + " (" + dtype_name(xi->dtype()) + " " +
                               su::dims_str(xi->dims()) + ") does not match input 0 (" + dtype_name(x0->dtype()) +
                               " " + su::dims_str(x0->dims()) + ")");
      }
      for (int d = 0; d < rank; ++d) {
        if (d != axis && xi->dim(d) != x0->dim(d)) {
          return Status::Invalid(op + ": input " + std::to_string(i) + " shape " + su::dims_str(xi->dims()) +
                                 " differs from input 0 " + su::dims_str(x0->dims()) + " off axis " +
                                 std::to_string(axis));
        }
      }
      out_dims[static_cast<size_t>(axis)] += xi->dim(axis);  // each <= kMaxElements, n bounded by slots
      if (out_dims[static_cast<size_t>(axis)] > su::kMaxElements) {
        return Status::Invalid(op + ": output is too large");
      }
    }
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    axis_ = axis;
    out->set_shape(x0->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override { return su::join_or_split(ctx, "Out", "X", axis_, /*join=*/true); }

 private:
  int axis_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Concat>("concat.any.ref", out);
}

}  // namespace concat_any_ref
}  // namespace kernels
}  // namespace tailor
