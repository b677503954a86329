// crop_tensor (any dtype): Out = the box of `shape` at `offsets` in X.
// shape: Shape tensor > ShapeTensor list > attribute; offsets: Offsets tensor
// > OffsetsTensor list > attribute (all constants). A shape entry of -1 takes
// the rest of the dim after its offset (Paddle; Paddle Lite's host kernel
// takes the whole dim there and reads past X).
#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace crop_tensor_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class CropTensor final : public mu::OffsetCopyKernel {
 public:
  CropTensor() : OffsetCopyKernel("X") {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    std::vector<int64_t> shape, offsets;
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "Shape", "ShapeTensor", "shape", &shape));
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "Offsets", "OffsetsTensor", "offsets", &offsets));
    std::vector<int64_t> begin;
    Dims size;
    TAILOR_RETURN_IF_ERROR(mu::plan_crop(op, x->dims(), shape, offsets, /*minus_one_rest=*/true, &begin, &size));
    set_walk(x->dims(), begin, size, std::vector<int64_t>(size.size(), 1));
    out->set_shape(x->dtype(), std::move(size));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<CropTensor>("crop_tensor.any.ref", out);
}

}  // namespace crop_tensor_any_ref
}  // namespace kernels
}  // namespace tailor
