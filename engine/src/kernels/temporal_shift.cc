// temporal_shift (any dtype): X [N*T, C, H, W] (T = seg_num) seen as
// [N, T, C, H, W]; the first C*shift_ratio channels take their values from
// frame t-1, the next ones up to C*2*shift_ratio from frame t+1, the rest stay;
// a frame outside [0, T) gives zeros. data_format NCHW or NHWC.
#include <cstring>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace temporal_shift_any_ref {

namespace su = helpers::shape_util;

namespace {

class TemporalShift final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    const std::string layout = ctx.op().get_string("data_format", "NCHW");
    if (layout != "NCHW" && layout != "NHWC") return Status::Unsupported(op + ": data_format '" + layout + "'");
    if (x->rank() != 4) return Status::Invalid(op + ": X must be 4-D, got " + su::dims_str(x->dims()));
    nhwc_ = layout == "NHWC";
    seg_ = ctx.op().get_int("seg_num", 1);
    if (seg_ < 1 || x->dim(0) % seg_ != 0) {
      return Status::Invalid(op + ": seg_num " + std::to_string(seg_) + " does not divide batch " +
                             std::to_string(x->dim(0)));
    }
    const double ratio = ctx.op().get_float("shift_ratio", 0.25);
    if (!(ratio >= 0.0 && ratio <= 0.5)) return Status::Invalid(op + ": shift_ratio must be in [0, 0.5]");
    channels_ = x->dim(nhwc_ ? 3 : 1);
    // Paddle: static_cast<int>(c * shift_ratio) with a float ratio.
    const float r = static_cast<float>(ratio);
    c1_ = static_cast<int64_t>(static_cast<float>(channels_) * r);
    c2_ = static_cast<int64_t>(static_cast<float>(channels_ * 2) * r);
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
      return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
    }
    const int64_t elem = static_cast<int64_t>(dtype_size(x->dtype()));
    const int64_t frame = x->numel() / x->dim(0);  // elements per frame
    const int64_t plane = frame / channels_;        // elements per channel (H*W)
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(out->raw_mut());
    for (int64_t f = 0; f < x->dim(0); ++f) {
      const int64_t t = f % seg_;
      for (int64_t c = 0; c < channels_; ++c) {
        const int64_t from_t = c < c1_ ? t - 1 : (c < c2_ ? t + 1 : t);
        const bool inside = from_t >= 0 && from_t < seg_;
        const int64_t from_f = f - t + from_t;
        if (!nhwc_) {  // one contiguous H*W plane per channel
          char* d = dst + (f * frame + c * plane) * elem;
          if (inside) {
            std::memcpy(d, src + (from_f * frame + c * plane) * elem, static_cast<size_t>(plane * elem));
          } else {
            std::memset(d, 0, static_cast<size_t>(plane * elem));
          }
          continue;
        }
        for (int64_t p = 0; p < plane; ++p) {  // NHWC: channel c of every pixel
          char* d = dst + (f * frame + p * channels_ + c) * elem;
          if (inside) {
            std::memcpy(d, src + (from_f * frame + p * channels_ + c) * elem, static_cast<size_t>(elem));
          } else {
            std::memset(d, 0, static_cast<size_t>(elem));
          }
        }
      }
    }
    return Status::Ok();
  }

 private:
  bool nhwc_ = false;
  int64_t seg_ = 1, channels_ = 1, c1_ = 0, c2_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<TemporalShift>("temporal_shift.any.ref", out);
}

}  // namespace temporal_shift_any_ref
}  // namespace kernels
}  // namespace tailor
