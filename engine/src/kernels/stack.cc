// stack (any dtype): joins same-shape X inputs along a new dim `axis`
// (in [-(r+1), r]) of the output Y.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace stack_any_ref {

namespace su = helpers::shape_util;

namespace {

class Stack final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const int n = ctx.input_count("X");
    if (n < 1) return Status::BadModel(op + ": no X inputs");
    Tensor* y = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Y", 0, &y));
    const Tensor* x0 = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x0));
    for (int i = 1; i < n; ++i) {
      const Tensor* xi = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", i, &xi));
      if (xi->dtype() != x0->dtype() || xi->dims() != x0->dims()) {
        return Status::Invalid(op + ": input " + std::to_string(i) + " (" + dtype_name(xi->dtype()) + " " +
                               su::dims_str(xi->dims()) + ") differs from input 0 (" + dtype_name(x0->dtype()) +
                               " " + su::dims_str(x0->dims()) + ")");
      }
    }
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", 0), x0->rank() + 1, &axis));
    Dims out_dims = x0->dims();
    out_dims.insert(out_dims.begin() + axis, n);
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    axis_ = axis;
    y->set_shape(x0->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  // Y is the concatenation of the inputs along `axis`, each with a 1 inserted there.
  Status run(OpContext& ctx) override { return su::join_or_split(ctx, "Y", "X", axis_, /*join=*/true); }

 private:
  int axis_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Stack>("stack.any.ref", out);
}

}  // namespace stack_any_ref
}  // namespace kernels
}  // namespace tailor
