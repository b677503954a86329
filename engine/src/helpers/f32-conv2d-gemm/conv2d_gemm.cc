#include "helpers/f32-conv2d-gemm/conv2d_gemm.h"

#include <string>

#include "helpers/conv2d-shape/conv2d_shape.h"
#include "helpers/f32-im2col/ref.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace f32_conv2d_gemm {

namespace {

class GemmConv final : public Kernel {
 public:
  GemmConv(const conv2d_shape::ConvAttrs& attrs, const f32_gemm::GemmBackend& gemm, Variant variant,
           const char* unit)
      : attrs_(attrs), gemm_(gemm), variant_(variant), unit_(unit) {}

  Status infer(OpContext& ctx) override {
    TAILOR_RETURN_IF_ERROR(conv2d_shape::infer(ctx, attrs_, &shape_));
    const window_ref::Window2d& w = shape_.window;
    // One formatting call, made only on failure (no string built on the success path).
    auto fail = [this](const char* what) {
      return Status::Format(StatusCode::kInvalidArgument, "%s (%s): %s", attrs_.op.c_str(), unit_, what);
    };
    if (shape_.groups != 1) return fail("needs groups == 1");
    direct_ = w.kernel_h == 1 && w.kernel_w == 1 && w.stride_h == 1 && w.stride_w == 1 &&
              w.pad_top == 0 && w.pad_bottom == 0 && w.pad_left == 0 && w.pad_right == 0;
    if (variant_ == Variant::k1x1 && !direct_)
      return fail("needs a 1x1 filter, stride 1 and no padding");
    size_t scratch = gemm_.scratch_bytes;
    if (!direct_) {
      // The unfolded image: Cin*KH*KW rows of OH*OW columns, after the GEMM's packing buffers.
      int64_t rows = 0, cols = 0, elems = 0;
      if (!window_ref::mul_ok(shape_.in_c, w.kernel_h * w.kernel_w, &rows) ||
          !window_ref::mul_ok(shape_.out_h, shape_.out_w, &cols) ||
          !window_ref::mul_ok(rows, cols, &elems) || elems > tensor_checks::kMaxElements)
        return fail("im2col buffer too large");
      scratch += static_cast<size_t>(elems) * sizeof(float);
    }
    ctx.request_scratch(scratch);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* input = ctx.input("Input")->data<float>();
    const float* filter = ctx.input("Filter")->data<float>();
    const float* bias = shape_.has_bias ? ctx.input("Bias")->data<float>() : nullptr;
    float* output = ctx.output("Output")->mutable_data<float>();
    void* scratch = ctx.scratch();
    if (!input || !filter || !output || (shape_.has_bias && !bias) || !scratch)
      return Status::Format(StatusCode::kInternal, "%s: unbound tensor data", attrs_.op.c_str());
    const window_ref::Window2d& w = shape_.window;
    const int64_t k = shape_.in_c * w.kernel_h * w.kernel_w;
    const int64_t in_plane = shape_.in_h * shape_.in_w;
    const int64_t out_plane = shape_.out_h * shape_.out_w;
    float* col = reinterpret_cast<float*>(static_cast<unsigned char*>(scratch) + gemm_.scratch_bytes);
    const auto bias_kind = bias ? f32_gemm::BiasKind::kPerRow : f32_gemm::BiasKind::kNone;
    for (int64_t n = 0; n < shape_.batch; ++n) {
      const float* image = input + n * shape_.in_c * in_plane;
      float* out = output + n * shape_.out_c * out_plane;
      const float* b = image;
      if (!direct_) {
        f32_im2col_ref::im2col(image, shape_.in_c, shape_.in_h, shape_.in_w, w, shape_.out_h,
                               shape_.out_w, col);
        b = col;
      }
      gemm_.gemm(false, false, shape_.out_c, out_plane, k, filter, k, b, out_plane, out, out_plane,
                 bias, bias_kind, scratch);
      attrs_.act.apply(out, shape_.out_c * out_plane);
    }
    return Status::Ok();
  }

 private:
  conv2d_shape::ConvAttrs attrs_;
  f32_gemm::GemmBackend gemm_;
  Variant variant_;
  const char* unit_;
  conv2d_shape::ConvShape shape_;
  bool direct_ = false;
};

}  // namespace

Status create(const KernelInit& init, const f32_gemm::GemmBackend& gemm, Variant variant,
              const char* unit, std::unique_ptr<Kernel>* out) {
  conv2d_shape::ConvAttrs attrs;
  TAILOR_RETURN_IF_ERROR(conv2d_shape::read_attrs(init, &attrs));
  out->reset(new GemmConv(attrs, gemm, variant, unit));
  return Status::Ok();
}

}  // namespace f32_conv2d_gemm
}  // namespace helpers
}  // namespace tailor
