// conv2d.f32.ref — portable float32 conv2d / depthwise_conv2d (NCHW, OIHW filter).
//
// im2col + GEMM per (image, group); a 1x1/stride-1/no-padding conv skips im2col and
// multiplies the input directly. Serves every conv shape (groups, dilation, asymmetric
// padding, SAME/VALID), with the optional Bias input (folded batch norm) and the
// activation paddle_lite_opt fuses in (`with_act`/`act_type`, older `fuse_relu`).
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/f32-im2col/ref.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace conv2d_f32_ref {
namespace {

namespace gemm = helpers::f32_gemm_ref;
namespace im2col = helpers::f32_im2col_ref;
namespace win = helpers::window_ref;
namespace shp = helpers::tensor_checks;

// Scratch (the im2col buffer) is capped; a larger request means a broken model.
constexpr int64_t kMaxScratchBytes = int64_t(1) << 30;

class Conv2dRef final : public Kernel {
 public:
  explicit Conv2dRef(const Activation& act) : act_(act) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    const Tensor* filter = ctx.input("Filter");
    Tensor* y = ctx.output("Output");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, filter, "Filter"));
    if (!y) return Status::BadModel(op + ": missing output Output");
    if (x->rank() != 4 || filter->rank() != 4)
      return Status::Unsupported(op + ": Input " + shp::str(x->dims()) + " and Filter " +
                                 shp::str(filter->dims()) + " must both be 4-D (NCHW, OIHW)");
    if (ctx.op().has_attr("fuse_elementwise_op_type") || ctx.input_count("ResidualData") > 0)
      return Status::Unsupported(op + ": fused residual input is not supported");

    const int64_t groups = ctx.op().get_int("groups", 1);
    batch_ = x->dim(0);
    in_c_ = x->dim(1);
    in_h_ = x->dim(2);
    in_w_ = x->dim(3);
    out_c_ = filter->dim(0);
    if (groups < 1 || groups > in_c_ || in_c_ % groups != 0 || out_c_ % groups != 0 ||
        filter->dim(1) * groups != in_c_)
      return Status::BadModel(op + ": groups=" + std::to_string(groups) + " does not fit Input " +
                              shp::str(x->dims()) + " and Filter " + shp::str(filter->dims()));
    groups_ = groups;

    w_ = win::Window2d();
    w_.kernel_h = filter->dim(2);
    w_.kernel_w = filter->dim(3);
    if (w_.kernel_h < 1 || w_.kernel_w < 1 || w_.kernel_h > win::kMaxWindowParam ||
        w_.kernel_w > win::kMaxWindowParam)
      return Status::BadModel(op + ": bad filter size " + shp::str(filter->dims()));
    TAILOR_RETURN_IF_ERROR(win::read_pair(ctx.op(), "strides", 1, 1, &w_.stride_h, &w_.stride_w));
    TAILOR_RETURN_IF_ERROR(
        win::read_pair(ctx.op(), "dilations", 1, 1, &w_.dilation_h, &w_.dilation_w));
    TAILOR_RETURN_IF_ERROR(win::read_paddings(ctx.op(), &w_));
    TAILOR_RETURN_IF_ERROR(win::apply_padding_algorithm(ctx.op(), in_h_, in_w_, true, &w_));

    const int64_t ext_h = w_.dilation_h * (w_.kernel_h - 1) + 1;
    const int64_t ext_w = w_.dilation_w * (w_.kernel_w - 1) + 1;
    const int64_t span_h = in_h_ + w_.pad_top + w_.pad_bottom - ext_h;
    const int64_t span_w = in_w_ + w_.pad_left + w_.pad_right - ext_w;
    if (span_h < 0 || span_w < 0)
      return Status::Invalid(op + ": filter window larger than padded input " +
                             shp::str(x->dims()));
    out_h_ = span_h / w_.stride_h + 1;
    out_w_ = span_w / w_.stride_w + 1;
    Dims out_dims = {batch_, out_c_, out_h_, out_w_};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out_dims));

    has_bias_ = false;
    if (const Tensor* bias = ctx.input("Bias")) {
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, bias, "Bias"));
      if (bias->numel() != out_c_)
        return Status::BadModel(op + ": Bias " + shp::str(bias->dims()) + " must have " +
                                std::to_string(out_c_) + " elements");
      has_bias_ = true;
    }

    direct_ = w_.kernel_h == 1 && w_.kernel_w == 1 && w_.stride_h == 1 && w_.stride_w == 1 &&
              w_.pad_top == 0 && w_.pad_bottom == 0 && w_.pad_left == 0 && w_.pad_right == 0;
    if (!direct_) {
      int64_t col = 0;
      if (!win::mul_ok(in_c_ / groups_ * w_.kernel_h * w_.kernel_w, out_h_ * out_w_, &col) ||
          !win::mul_ok(col, int64_t(sizeof(float)), &col) || col > kMaxScratchBytes)
        return Status::Invalid(op + ": im2col buffer too large for Input " + shp::str(x->dims()));
      ctx.request_scratch(static_cast<size_t>(col));
    }
    y->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("Input")->data<float>();
    const float* filter = ctx.input("Filter")->data<float>();
    const Tensor* bias_t = ctx.input("Bias");
    const float* bias = has_bias_ && bias_t ? bias_t->data<float>() : nullptr;
    Tensor* y_t = ctx.output("Output");
    float* y = y_t->mutable_data<float>();
    float* col = direct_ ? nullptr : static_cast<float*>(ctx.scratch());
    if (!x || !filter || !y || (!direct_ && !col) || (has_bias_ && !bias))
      return Status::Internal(ctx.op().type + ": unbound tensor data");

    const int64_t ic_g = in_c_ / groups_, oc_g = out_c_ / groups_;
    const int64_t k = ic_g * w_.kernel_h * w_.kernel_w;
    const int64_t in_plane = in_h_ * in_w_, out_plane = out_h_ * out_w_;
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t g = 0; g < groups_; ++g) {
        const float* in_g = x + (n * in_c_ + g * ic_g) * in_plane;
        const float* b = in_g;
        if (!direct_) {
          im2col::im2col(in_g, ic_g, in_h_, in_w_, w_, out_h_, out_w_, col);
          b = col;
        }
        float* out_g = y + (n * out_c_ + g * oc_g) * out_plane;
        gemm::gemm(false, false, oc_g, out_plane, k, 1.f, filter + g * oc_g * k, k, b, out_plane,
                   0.f, out_g, out_plane);
      }
      if (bias) {
        float* out_n = y + n * out_c_ * out_plane;
        for (int64_t c = 0; c < out_c_; ++c)
          for (int64_t i = 0; i < out_plane; ++i) out_n[c * out_plane + i] += bias[c];
      }
    }
    act_.apply(y, y_t->numel());
    return Status::Ok();
  }

 private:
  Activation act_;
  win::Window2d w_;
  int64_t batch_ = 0, in_c_ = 0, in_h_ = 0, in_w_ = 0, out_c_ = 0, out_h_ = 0, out_w_ = 0;
  int64_t groups_ = 1;
  bool has_bias_ = false;
  bool direct_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Activation act;
  if (op.get_bool("with_act", false)) {
    TAILOR_RETURN_IF_ERROR(init.activation(op.get_string("act_type", ""), &act));
  } else if (op.get_bool("fuse_relu", false)) {
    // Pre-`with_act` models spell a fused relu this way.
    TAILOR_RETURN_IF_ERROR(init.activation("relu", &act));
  }
  out->reset(new Conv2dRef(act));
  return Status::Ok();
}

}  // namespace conv2d_f32_ref
}  // namespace kernels
}  // namespace tailor
