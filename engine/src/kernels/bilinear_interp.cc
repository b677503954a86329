// bilinear_interp / bilinear_interp_v2 (float32, NCHW).
//
// Output size: shape_util::resolve_interp_size. Paddle Lite runs both versions
// through the same code, with ratio = in / out, or (in - 1) / (out - 1) under
// align_corners (1 when either side is 1). Source coordinate of output o:
//   align_corners:   ratio * o
//   align_mode == 1: ratio * o
//   align_mode == 0: max(ratio * (o + 0.5) - 0.5, 0)
// The left tap is floor(coordinate) clamped to the input, the right tap the
// next index clamped; weights are (1 - frac, frac). Rows are blended first,
// then columns of the two rows, in float like Lite.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace bilinear_interp_f32_ref {

namespace su = helpers::shape_util;

namespace {

struct Tap {
  int64_t i0, i1;
  float w0, w1;
};

void taps(std::vector<Tap>* t, int64_t in, int64_t out, bool align, int64_t align_mode) {
  float r;
  if (align) {
    r = (out > 1 && in > 1) ? static_cast<float>(in - 1) / static_cast<float>(out - 1) : 1.f;
  } else {
    r = static_cast<float>(in) / static_cast<float>(out);
  }
  t->resize(static_cast<size_t>(out));
  for (int64_t o = 0; o < out; ++o) {
    float f;
    if (align || align_mode == 1) {
      f = r * static_cast<float>(o);
    } else {
      f = r * (static_cast<float>(o) + 0.5f) - 0.5f;
      if (f < 0) f = 0;
    }
    int64_t i = static_cast<int64_t>(f);
    const float frac = f - static_cast<float>(i);
    if (i > in - 1) i = in - 1;
    Tap& tap = (*t)[static_cast<size_t>(o)];
    tap.i0 = i;
    tap.i1 = i + 1 < in - 1 ? i + 1 : in - 1;
    tap.w0 = 1.f - frac;
    tap.w1 = frac;
  }
}

class BilinearInterp final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (x->dtype() != DType::kF32) return Status::Unsupported(op + ": only float32 input, got " + dtype_name(x->dtype()));
    su::InterpSize size;
    TAILOR_RETURN_IF_ERROR(su::resolve_interp_size(ctx, op, *x, op == "bilinear_interp_v2", &size));
    const bool align = ctx.op().get_bool("align_corners", true);
    const int64_t align_mode = ctx.op().get_int("align_mode", 1);
    if (align_mode != 0 && align_mode != 1) {
      return Status::Invalid(op + ": align_mode " + std::to_string(align_mode) + " must be 0 or 1");
    }
    taps(&rows_, x->dim(2), size.out_h, align, align_mode);
    taps(&cols_, x->dim(3), size.out_w, align, align_mode);
    ctx.request_scratch(static_cast<size_t>(size.out_w) * 2 * sizeof(float));
    out->set_shape(DType::kF32, Dims{x->dim(0), x->dim(1), size.out_h, size.out_w});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    float* row0 = static_cast<float*>(ctx.scratch());
    if (!x || !out || !x->raw() || !out->raw_mut() || !row0) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    const int64_t planes = x->dim(0) * x->dim(1), in_h = x->dim(2), in_w = x->dim(3);
    const int64_t out_w = static_cast<int64_t>(cols_.size());
    float* row1 = row0 + out_w;
    const float* src = x->data<float>();
    float* dst = out->mutable_data<float>();
    for (int64_t p = 0; p < planes; ++p) {
      const float* plane = src + p * in_h * in_w;
      for (const Tap& ry : rows_) {
        const float* s0 = plane + ry.i0 * in_w;
        const float* s1 = plane + ry.i1 * in_w;
        for (int64_t ow = 0; ow < out_w; ++ow) {
          const Tap& cx = cols_[static_cast<size_t>(ow)];
          row0[ow] = s0[cx.i0] * cx.w0 + s0[cx.i1] * cx.w1;
          row1[ow] = s1[cx.i0] * cx.w0 + s1[cx.i1] * cx.w1;
        }
        for (int64_t ow = 0; ow < out_w; ++ow) *dst++ = row0[ow] * ry.w0 + row1[ow] * ry.w1;
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<Tap> rows_, cols_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<BilinearInterp>("bilinear_interp.f32.ref", out);
}

}  // namespace bilinear_interp_f32_ref
}  // namespace kernels
}  // namespace tailor
