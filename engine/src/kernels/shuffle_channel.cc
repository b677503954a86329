// shuffle_channel (any dtype): ShuffleNet's channel shuffle on NCHW. The C
// channels, seen as [group, C/group], are transposed to [C/group, group].
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace shuffle_channel_any_ref {

namespace su = helpers::shape_util;

namespace {

class ShuffleChannel final : public su::StridedCopyKernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (x->rank() != 4) return Status::Invalid(op + ": input must be 4-D NCHW, got " + su::dims_str(x->dims()));
    const int64_t group = ctx.op().get_int("group", 1);
    const int64_t c = x->dim(1);
    if (group < 1 || c % group != 0) {
      return Status::Invalid(op + ": group " + std::to_string(group) + " does not divide " + std::to_string(c) +
                             " channels");
    }
    const int64_t hw = x->dim(2) * x->dim(3);
    const int64_t per_group = c / group;
    // Output viewed as [N, C/group, group, HW]; the source of (n, j, i, s) is
    // channel i * C/group + j.
    copy_dims_ = {x->dim(0), per_group, group, hw};
    src_strides_ = {c * hw, hw, per_group * hw, 1};
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ShuffleChannel>("shuffle_channel.any.ref", out);
}

}  // namespace shuffle_channel_any_ref
}  // namespace kernels
}  // namespace tailor
