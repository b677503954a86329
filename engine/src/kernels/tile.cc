// tile (any dtype): Out = X repeated repeat_times[i] times along each dim.
//
// repeat_times: RepeatTimes tensor > repeat_times_tensor list > attribute
// (Paddle Lite's priority). The shorter of X's dims and repeat_times is
// left-padded with 1s, as Paddle does.
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace tile_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class Tile final : public su::StridedCopyKernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    std::vector<int64_t> reps;
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "RepeatTimes", "repeat_times_tensor", "repeat_times", &reps));
    if (reps.size() > static_cast<size_t>(su::kMaxRank)) {
      return Status::Invalid(op + ": repeat_times " + su::ints_str(reps) + " has too many entries");
    }
    if (reps.size() < x->dims().size()) reps.insert(reps.begin(), x->dims().size() - reps.size(), 1);
    Dims out_dims;
    TAILOR_RETURN_IF_ERROR(mu::plan_repeat(op, x->dims(), reps, &out_dims, &copy_dims_, &src_strides_));
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Tile>("tile.any.ref", out);
}

}  // namespace tile_any_ref
}  // namespace kernels
}  // namespace tailor
