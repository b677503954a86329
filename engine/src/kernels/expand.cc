// expand (v1, any dtype): Out dim i = X dim i * expand_times[i].
//
// expand_times: ExpandTimes tensor > expand_times_tensor list > attribute
// (Paddle Lite's priority); it must have one entry per dim of X.
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace expand_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class Expand final : public su::StridedCopyKernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    std::vector<int64_t> times;
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "ExpandTimes", "expand_times_tensor", "expand_times", &times));
    if (times.size() != x->dims().size()) {
      return Status::Invalid(op + ": expand_times " + su::ints_str(times) + " must have one entry per dim of " +
                             su::dims_str(x->dims()));
    }
    Dims out_dims;
    TAILOR_RETURN_IF_ERROR(mu::plan_repeat(op, x->dims(), times, &out_dims, &copy_dims_, &src_strides_));
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Expand>("expand.any.ref", out);
}

}  // namespace expand_any_ref
}  // namespace kernels
}  // namespace tailor
