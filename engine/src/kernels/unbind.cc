// unbind (any dtype): splits X along `axis` into X.dims[axis] outputs Out,
// each X without that dim.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace unbind_any_ref {

namespace su = helpers::shape_util;

namespace {

class Unbind final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", 0), x->rank(), &axis));
    const int64_t n = x->dim(axis);
    const int64_t num = ctx.op().get_int("num", n);
    if (num != n || ctx.output_count("Out") != n) {
      return Status::Invalid(op + ": X " + su::dims_str(x->dims()) + " has " + std::to_string(n) + " entries on axis " +
                             std::to_string(axis) + ", the op has " + std::to_string(ctx.output_count("Out")) +
                             " outputs" + (num != n ? " and num " + std::to_string(num) : std::string()));
    }
    Dims part = x->dims();
    part.erase(part.begin() + axis);
    if (part.empty()) part.push_back(1);
    for (int i = 0; i < n; ++i) {
      Tensor* out = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", i, &out));
      out->set_shape(x->dtype(), part);
    }
    axis_ = axis;
    return Status::Ok();
  }

  // Each output's bytes are one part of X split along the axis.
  Status run(OpContext& ctx) override { return su::join_or_split(ctx, "X", "Out", axis_, /*join=*/false); }

 private:
  int axis_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Unbind>("unbind.any.ref", out);
}

}  // namespace unbind_any_ref
}  // namespace kernels
}  // namespace tailor
