// pixel_shuffle (any dtype, NCHW): [N, C*r*r, H, W] -> [N, C, H*r, W*r] with
// Out[n, c, h*r + i, w*r + j] = X[n, c*r*r + i*r + j, h, w], r = upscale_factor.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace pixel_shuffle_any_ref {

namespace su = helpers::shape_util;

namespace {

class PixelShuffle final : public su::StridedCopyKernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    const std::string layout = ctx.op().get_string("data_format", "NCHW");
    if (layout != "NCHW") return Status::Unsupported(op + ": data_format '" + layout + "' (only NCHW)");
    if (x->rank() != 4) return Status::Invalid(op + ": X must be 4-D NCHW, got " + su::dims_str(x->dims()));
    const int64_t r = ctx.op().get_int("upscale_factor", 1);
    const int64_t n = x->dim(0), c = x->dim(1), h = x->dim(2), w = x->dim(3);
    if (r < 1 || r > c || c % (r * r) != 0) {
      return Status::Invalid(op + ": upscale_factor " + std::to_string(r) + " does not divide " + std::to_string(c) +
                             " channels into r*r groups");
    }
    const int64_t oc = c / (r * r);
    // Walk Out as [N, C', H, r, W, r]: the X element of each position.
    copy_dims_ = {n, oc, h, r, w, r};
    src_strides_ = {c * h * w, r * r * h * w, w, r * h * w, 1, h * w};
    out->set_shape(x->dtype(), {n, oc, h * r, w * r});
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<PixelShuffle>("pixel_shuffle.any.ref", out);
}

}  // namespace pixel_shuffle_any_ref
}  // namespace kernels
}  // namespace tailor
