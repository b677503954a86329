#include "helpers/f32-dwconv3x3/dwconv3x3.h"

#include <cstring>
#include <string>

#include "helpers/conv2d-shape/conv2d_shape.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace f32_dwconv3x3 {

namespace {

class DwConv3x3 final : public Kernel {
 public:
  DwConv3x3(const conv2d_shape::ConvAttrs& attrs, const PlaneKernels& kernels, const char* unit)
      : attrs_(attrs), kernels_(kernels), unit_(unit) {}

  Status infer(OpContext& ctx) override {
    TAILOR_RETURN_IF_ERROR(conv2d_shape::infer(ctx, attrs_, &shape_));
    const window_ref::Window2d& w = shape_.window;
    // One formatting call, made only on failure (no string built on the success path).
    auto fail = [this](const char* what) {
      return Status::Format(StatusCode::kInvalidArgument, "%s (%s): %s", attrs_.op.c_str(), unit_, what);
    };
    if (shape_.groups != shape_.in_c || shape_.in_c == 0)
      return fail("needs groups == input channels");
    if (w.kernel_h != 3 || w.kernel_w != 3) return fail("needs a 3x3 filter");
    if (w.dilation_h != 1 || w.dilation_w != 1) return fail("needs dilation 1");
    if (w.stride_h != w.stride_w || (w.stride_h != 1 && w.stride_h != 2))
      return fail("needs stride 1 or 2 in both dims");
    if (w.pad_top > 1 || w.pad_bottom > 1 || w.pad_left > 1 || w.pad_right > 1)
      return fail("needs padding 0 or 1");
    padded_h_ = shape_.in_h + w.pad_top + w.pad_bottom;
    padded_w_ = shape_.in_w + w.pad_left + w.pad_right;
    int64_t plane = 0;
    if (!window_ref::mul_ok(padded_h_, padded_w_, &plane) || plane > tensor_checks::kMaxElements)
      return fail("input plane too large");
    ctx.request_scratch(static_cast<size_t>(plane + kPlaneSlack) * sizeof(float));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* input = ctx.input("Input")->data<float>();
    const float* filter = ctx.input("Filter")->data<float>();
    const float* bias = shape_.has_bias ? ctx.input("Bias")->data<float>() : nullptr;
    float* output = ctx.output("Output")->mutable_data<float>();
    float* padded = static_cast<float*>(ctx.scratch());
    if (!input || !filter || !output || (shape_.has_bias && !bias) || !padded)
      return Status::Format(StatusCode::kInternal, "%s: unbound tensor data", attrs_.op.c_str());
    const window_ref::Window2d& w = shape_.window;
    const PlaneFn plane_fn = w.stride_h == 1 ? kernels_.stride1 : kernels_.stride2;
    const int64_t multiplier = shape_.out_c / shape_.in_c;
    const int64_t in_plane = shape_.in_h * shape_.in_w;
    const int64_t out_plane = shape_.out_h * shape_.out_w;
    // Borders and slack stay zero; only the interior is rewritten per channel.
    std::memset(padded, 0, static_cast<size_t>(padded_h_ * padded_w_ + kPlaneSlack) * sizeof(float));
    for (int64_t n = 0; n < shape_.batch; ++n) {
      for (int64_t c = 0; c < shape_.in_c; ++c) {
        const float* src = input + (n * shape_.in_c + c) * in_plane;
        for (int64_t y = 0; y < shape_.in_h; ++y)
          std::memcpy(padded + (y + w.pad_top) * padded_w_ + w.pad_left, src + y * shape_.in_w,
                      static_cast<size_t>(shape_.in_w) * sizeof(float));
        for (int64_t m = 0; m < multiplier; ++m) {
          const int64_t oc = c * multiplier + m;
          float* out = output + (n * shape_.out_c + oc) * out_plane;
          plane_fn(padded, padded_w_, filter + oc * 9, bias ? bias[oc] : 0.f, out, shape_.out_h,
                   shape_.out_w);
          attrs_.act.apply(out, out_plane);
        }
      }
    }
    return Status::Ok();
  }

 private:
  conv2d_shape::ConvAttrs attrs_;
  PlaneKernels kernels_;
  const char* unit_;
  conv2d_shape::ConvShape shape_;
  int64_t padded_h_ = 0, padded_w_ = 0;
};

}  // namespace

Status create(const KernelInit& init, const PlaneKernels& kernels, const char* unit,
              std::unique_ptr<Kernel>* out) {
  conv2d_shape::ConvAttrs attrs;
  TAILOR_RETURN_IF_ERROR(conv2d_shape::read_attrs(init, &attrs));
  out->reset(new DwConv3x3(attrs, kernels, unit));
  return Status::Ok();
}

}  // namespace f32_dwconv3x3
}  // namespace helpers
}  // namespace tailor
