// nearest_interp / nearest_interp_v2 (float32, NCHW).
//
// Output size: shape_util::resolve_interp_size. Source index per output
// coordinate o, with Paddle Lite's float math:
//   align_corners: int(ratio * o + 0.5), ratio = (in - 1) / (out - 1)
//   otherwise:     int(ratio * o),       ratio = in / out (v1), or 1 / scale
//                                        when v2 was given a scale factor.
// A 1-wide output reads index 0. Indices are clamped to the input.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace nearest_interp_f32_ref {

namespace su = helpers::shape_util;

namespace {

float ratio(int64_t in, int64_t out, bool align, float scale, bool v2) {
  if (out <= 1) return 0.f;
  if (align) return static_cast<float>(in - 1) / static_cast<float>(out - 1);
  if (v2 && scale > 0) return static_cast<float>(1. / scale);
  return static_cast<float>(in) / static_cast<float>(out);
}

void source_index(std::vector<int64_t>* idx, int64_t in, int64_t out, float r, bool align) {
  idx->resize(static_cast<size_t>(out));
  for (int64_t o = 0; o < out; ++o) {
    // ratio * o is small and non-negative, so the int conversion is defined.
    int64_t i = align ? static_cast<int64_t>(r * static_cast<float>(o) + 0.5f) : static_cast<int64_t>(r * static_cast<float>(o));
    (*idx)[static_cast<size_t>(o)] = i < in ? i : in - 1;
  }
}

class NearestInterp final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (x->dtype() != DType::kF32) return Status::Unsupported(op + ": only float32 input, got " + dtype_name(x->dtype()));
    const bool v2 = op == "nearest_interp_v2";
    su::InterpSize size;
    TAILOR_RETURN_IF_ERROR(su::resolve_interp_size(ctx, op, *x, v2, &size));
    const bool align = ctx.op().get_bool("align_corners", true);
    const int64_t in_h = x->dim(2), in_w = x->dim(3);
    source_index(&rows_, in_h, size.out_h, ratio(in_h, size.out_h, align, size.scale_h, v2), align);
    source_index(&cols_, in_w, size.out_w, ratio(in_w, size.out_w, align, size.scale_w, v2), align);
    out->set_shape(DType::kF32, Dims{x->dim(0), x->dim(1), size.out_h, size.out_w});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t planes = x->dim(0) * x->dim(1), in_h = x->dim(2), in_w = x->dim(3);
    const int64_t out_h = static_cast<int64_t>(rows_.size()), out_w = static_cast<int64_t>(cols_.size());
    const float* src = x->data<float>();
    float* dst = out->mutable_data<float>();
    for (int64_t p = 0; p < planes; ++p) {
      const float* plane = src + p * in_h * in_w;
      for (int64_t oh = 0; oh < out_h; ++oh) {
        const float* row = plane + rows_[static_cast<size_t>(oh)] * in_w;
        for (int64_t ow = 0; ow < out_w; ++ow) *dst++ = row[cols_[static_cast<size_t>(ow)]];
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<int64_t> rows_, cols_;  // source row / column of each output row / column
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<NearestInterp>("nearest_interp.f32.ref", out);
}

}  // namespace nearest_interp_f32_ref
}  // namespace kernels
}  // namespace tailor
