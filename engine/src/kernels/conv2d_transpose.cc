// conv2d_transpose.f32.ref — portable float32 conv2d_transpose / depthwise_conv2d_transpose
// (NCHW input, filter [C_in, C_out/groups, kh, kw]).
//
// Per (image, group): col = Filter_g^T x Input_g (GEMM), then col2im scatters col into the
// output — the adjoint of conv2d's im2col path. Output size follows Paddle Lite's
// ConvTransposeOpLite: (in-1)*stride - pads + dilation*(k-1) + 1, then `output_size` (which
// must lie in [that, that + stride)) or `output_padding` (< max(stride, dilation)).
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/f32-im2col/ref.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace conv2d_transpose_f32_ref {
namespace {

namespace gemm = helpers::f32_gemm_ref;
namespace im2col = helpers::f32_im2col_ref;
namespace win = helpers::window_ref;
namespace shp = helpers::tensor_checks;

constexpr int64_t kMaxScratchBytes = int64_t(1) << 30;

class Conv2dTransposeRef final : public Kernel {
 public:
  explicit Conv2dTransposeRef(const Activation& act) : act_(act) {}

  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* x = ctx.input("Input");
    const Tensor* filter = ctx.input("Filter");
    Tensor* y = ctx.output("Output");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, filter, "Filter"));
    if (!y) return Status::BadModel(op + ": missing output Output");
    if (x->rank() != 4 || filter->rank() != 4)
      return Status::Unsupported(op + ": Input " + shp::str(x->dims()) + " and Filter " +
                                 shp::str(filter->dims()) + " must both be 4-D");
    groups_ = desc.get_int("groups", 1);
    batch_ = x->dim(0);
    in_c_ = x->dim(1);
    in_h_ = x->dim(2);
    in_w_ = x->dim(3);
    if (groups_ < 1 || in_c_ % groups_ != 0 || filter->dim(0) != in_c_)
      return Status::BadModel(op + ": groups=" + std::to_string(groups_) + " does not fit Input " +
                              shp::str(x->dims()) + " and Filter " + shp::str(filter->dims()));
    if (!win::mul_ok(filter->dim(1), groups_, &out_c_))
      return Status::BadModel(op + ": bad Filter " + shp::str(filter->dims()));

    w_ = win::Window2d();
    w_.kernel_h = filter->dim(2);
    w_.kernel_w = filter->dim(3);
    if (w_.kernel_h < 1 || w_.kernel_w < 1 || w_.kernel_h > win::kMaxWindowParam ||
        w_.kernel_w > win::kMaxWindowParam)
      return Status::BadModel(op + ": bad filter size " + shp::str(filter->dims()));
    TAILOR_RETURN_IF_ERROR(win::read_pair(desc, "strides", 1, 1, &w_.stride_h, &w_.stride_w));
    TAILOR_RETURN_IF_ERROR(
        win::read_pair(desc, "dilations", 1, 1, &w_.dilation_h, &w_.dilation_w));
    TAILOR_RETURN_IF_ERROR(win::read_paddings(desc, &w_));
    TAILOR_RETURN_IF_ERROR(win::apply_padding_algorithm(desc, in_h_, in_w_, true, &w_));

    // Every factor is bounded (dims by the element cap, window params by kMaxWindowParam).
    out_h_ = (in_h_ - 1) * w_.stride_h - w_.pad_top - w_.pad_bottom +
             w_.dilation_h * (w_.kernel_h - 1) + 1;
    out_w_ = (in_w_ - 1) * w_.stride_w - w_.pad_left - w_.pad_right +
             w_.dilation_w * (w_.kernel_w - 1) + 1;
    const std::vector<int64_t> size = desc.get_ints("output_size");
    const std::vector<int64_t> extra = desc.get_ints("output_padding");
    if (!size.empty()) {
      if (size.size() != 2)
        return Status::BadModel(op + ": output_size must have 2 values");
      const int64_t base[2] = {out_h_, out_w_}, stride[2] = {w_.stride_h, w_.stride_w};
      for (int i = 0; i < 2; ++i)
        if (size[size_t(i)] < base[i] || size[size_t(i)] >= base[i] + stride[i])
          return Status::BadModel(op + ": output_size " + std::to_string(size[size_t(i)]) +
                                  " must be in [" + std::to_string(base[i]) + ", " +
                                  std::to_string(base[i] + stride[i]) + ")");
      out_h_ = size[0];
      out_w_ = size[1];
    } else if (!extra.empty()) {
      if (extra.size() != 2) return Status::BadModel(op + ": output_padding must have 2 values");
      const int64_t limit[2] = {std::max(w_.stride_h, w_.dilation_h),
                                std::max(w_.stride_w, w_.dilation_w)};
      for (int i = 0; i < 2; ++i)
        if (extra[size_t(i)] < 0 || extra[size_t(i)] >= limit[i])
          return Status::BadModel(op + ": output_padding " + std::to_string(extra[size_t(i)]) +
                                  " must be in [0, " + std::to_string(limit[i]) + ")");
      out_h_ += extra[0];
      out_w_ += extra[1];
    }
    if (out_h_ < 1 || out_w_ < 1)
      return Status::Invalid(op + ": paddings leave no output for Input " + shp::str(x->dims()));
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
    int64_t col = 0;
    if (!win::mul_ok(out_c_ / groups_ * w_.kernel_h * w_.kernel_w, in_h_ * in_w_, &col) ||
        !win::mul_ok(col, int64_t(sizeof(float)), &col) || col > kMaxScratchBytes)
      return Status::Invalid(op + ": column buffer too large for Input " + shp::str(x->dims()));
    ctx.request_scratch(static_cast<size_t>(col));
    y->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("Input")->data<float>();
    const float* filter = ctx.input("Filter")->data<float>();
    const float* bias = has_bias_ ? ctx.input("Bias")->data<float>() : nullptr;
    Tensor* y_t = ctx.output("Output");
    float* y = y_t->mutable_data<float>();
    float* col = static_cast<float*>(ctx.scratch());
    if (!x || !filter || !y || !col || (has_bias_ && !bias))
      return Status::Internal(ctx.op().type + ": unbound tensor data");

    const int64_t ic_g = in_c_ / groups_, oc_g = out_c_ / groups_;
    const int64_t rows = oc_g * w_.kernel_h * w_.kernel_w;  // col rows per group
    const int64_t in_plane = in_h_ * in_w_, out_plane = out_h_ * out_w_;
    std::memset(y, 0, static_cast<size_t>(y_t->numel()) * sizeof(float));
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t g = 0; g < groups_; ++g) {
        const float* in_g = x + (n * in_c_ + g * ic_g) * in_plane;
        // Filter_g is [ic_g, rows]; col = Filter_g^T x Input_g.
        gemm::gemm(true, false, rows, in_plane, ic_g, 1.f, filter + g * ic_g * rows, rows, in_g,
                   in_plane, 0.f, col, in_plane);
        im2col::col2im_add(col, oc_g, out_h_, out_w_, w_, in_h_, in_w_,
                           y + (n * out_c_ + g * oc_g) * out_plane);
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
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Activation act;
  if (op.get_bool("with_act", false)) {
    TAILOR_RETURN_IF_ERROR(init.activation(op.get_string("act_type", ""), &act));
  }
  out->reset(new Conv2dTransposeRef(act));
  return Status::Ok();
}

}  // namespace conv2d_transpose_f32_ref
}  // namespace kernels
}  // namespace tailor
