// flip (any dtype): reverses X along each dim of `axis` (negative entries
// count from the end; an axis listed twice is refused).
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace flip_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class Flip final : public mu::OffsetCopyKernel {
 public:
  Flip() : OffsetCopyKernel("X") {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    const Dims& dims = x->dims();
    const size_t rank = dims.size();
    std::vector<int64_t> begin(rank, 0), step(rank, 1);
    for (int64_t a : ctx.op().get_ints("axis")) {
      int axis = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis entry", a, x->rank(), &axis));
      const size_t d = static_cast<size_t>(axis);
      if (step[d] < 0) return Status::Invalid(op + ": axis " + std::to_string(axis) + " repeated");
      begin[d] = dims[d] - 1;  // walk the dim from its last element down
      step[d] = -1;
    }
    set_walk(dims, begin, dims, step);
    out->set_shape(x->dtype(), dims);
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Flip>("flip.any.ref", out);
}

}  // namespace flip_any_ref
}  // namespace kernels
}  // namespace tailor
