// crop (legacy, any dtype): Out = the box at `offsets` in X whose shape is
// Y's dims when input Y is given, else the `shape` attribute. Offsets: the
// Offsets tensor (a constant) else the attribute (empty: all 0).
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace crop_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class Crop final : public mu::OffsetCopyKernel {
 public:
  Crop() : OffsetCopyKernel("X") {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    std::vector<int64_t> shape, offsets;
    if (su::has_input(ctx, "Y")) {
      const Dims& y = ctx.input("Y", 0)->dims();
      shape.assign(y.begin(), y.end());
    } else {
      shape = ctx.op().get_ints("shape");
    }
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "Offsets", nullptr, "offsets", &offsets));
    std::vector<int64_t> begin;
    Dims size;
    TAILOR_RETURN_IF_ERROR(mu::plan_crop(op, x->dims(), shape, offsets, /*minus_one_rest=*/false, &begin, &size));
    set_walk(x->dims(), begin, size, std::vector<int64_t>(size.size(), 1));
    out->set_shape(x->dtype(), std::move(size));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Crop>("crop.any.ref", out);
}

}  // namespace crop_any_ref
}  // namespace kernels
}  // namespace tailor
