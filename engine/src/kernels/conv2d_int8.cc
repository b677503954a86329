// conv2d.i8.ref — int8 conv2d / depthwise_conv2d of fully quantized models (kernel keys with precision
// kInt8, alias int8_out or fp32_out), computing what Paddle Lite's ARM int8 conv kernels compute:
// int8 Input x int8 Filter (OIHW) summed exactly in integers per output element, then
// sum * (Filter0_scale[c] * Input0_scale [/ Output0_scale]) + Bias[c] [/ Output0_scale], the fused
// activation, and for int8_out the rounding of helpers/int8-quant. Direct loops: a reference kernel.
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/conv2d-shape/conv2d_shape.h"
#include "helpers/int8-quant/quant.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace conv2d_i8_ref {
namespace {

namespace cs = helpers::conv2d_shape;
namespace q8 = helpers::int8_quant;
namespace shp = helpers::tensor_checks;
namespace win = helpers::window_ref;

Status require_i8(const std::string& op, const Tensor* t, const char* what) {
  if (!t) return Status::BadModel(op + ": missing input " + what);
  if (t->dtype() != DType::kI8)
    return Status::Unsupported(op + ": input " + what + " has dtype " + dtype_name(t->dtype()) +
                               ", expected int8");
  return shp::check_dims(op, t->dims());
}

class Conv2dInt8 final : public Kernel {
 public:
  Conv2dInt8(const cs::ConvAttrs& attrs, std::string act_type) : attrs_(attrs), act_type_(std::move(act_type)) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = attrs_.op;
    const Tensor* x = ctx.input("Input");
    const Tensor* filter = ctx.input("Filter");
    Tensor* y = ctx.output("Output");
    TAILOR_RETURN_IF_ERROR(require_i8(op, x, "Input"));
    TAILOR_RETURN_IF_ERROR(require_i8(op, filter, "Filter"));
    if (!y) return Status::BadModel(op + ": missing output Output");
    if (x->rank() != 4 || filter->rank() != 4)
      return Status::Unsupported(op + ": Input " + shp::str(x->dims()) + " and Filter " +
                                 shp::str(filter->dims()) + " must both be 4-D (NCHW, OIHW)");
    if (ctx.input_count("ResidualData") > 0 || ctx.input_count("SecondInput") > 0)
      return Status::Unsupported(op + ": fused residual input is not supported");
    batch_ = x->dim(0);
    in_c_ = x->dim(1);
    in_h_ = x->dim(2);
    in_w_ = x->dim(3);
    out_c_ = filter->dim(0);
    groups_ = attrs_.groups;
    if (groups_ > in_c_ || in_c_ % groups_ != 0 || out_c_ % groups_ != 0 || filter->dim(1) * groups_ != in_c_)
      return Status::BadModel(op + ": groups=" + std::to_string(groups_) + " does not fit Input " +
                              shp::str(x->dims()) + " and Filter " + shp::str(filter->dims()));
    w_ = attrs_.window;
    w_.kernel_h = filter->dim(2);
    w_.kernel_w = filter->dim(3);
    if (w_.kernel_h < 1 || w_.kernel_w < 1 || w_.kernel_h > win::kMaxWindowParam ||
        w_.kernel_w > win::kMaxWindowParam)
      return Status::BadModel(op + ": bad filter size " + shp::str(filter->dims()));
    TAILOR_RETURN_IF_ERROR(win::apply_padding_algorithm(ctx.op(), in_h_, in_w_, true, &w_));
    const int64_t ext_h = w_.dilation_h * (w_.kernel_h - 1) + 1;
    const int64_t ext_w = w_.dilation_w * (w_.kernel_w - 1) + 1;
    const int64_t span_h = in_h_ + w_.pad_top + w_.pad_bottom - ext_h;
    const int64_t span_w = in_w_ + w_.pad_left + w_.pad_right - ext_w;
    if (span_h < 0 || span_w < 0)
      return Status::Invalid(op + ": filter window larger than padded input " + shp::str(x->dims()));
    out_h_ = span_h / w_.stride_h + 1;
    out_w_ = span_w / w_.stride_w + 1;
    Dims out_dims = {batch_, out_c_, out_h_, out_w_};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out_dims));
    // Scales and bias are constants of the op: fold them once, as Lite's PrepareForRun does.
    TAILOR_RETURN_IF_ERROR(q8::make_requant(ctx.op(), "Input0_scale", "Filter0_scale", "Output0_scale", out_c_,
                                            attrs_.act, act_type_, &rq_));
    TAILOR_RETURN_IF_ERROR(q8::set_bias(op, ctx.input("Bias"), out_c_, &rq_));
    y->set_shape(rq_.int8_out ? DType::kI8 : DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const int8_t* x = ctx.input("Input")->data<int8_t>();
    const int8_t* f = ctx.input("Filter")->data<int8_t>();
    void* y = ctx.output("Output")->raw_mut();
    if (!x || !f || !y) return Status::Internal(attrs_.op + ": unbound tensor data");
    const int64_t ic_g = in_c_ / groups_, oc_g = out_c_ / groups_;
    const int64_t ksize = ic_g * w_.kernel_h * w_.kernel_w;
    int64_t o = 0;
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t oc = 0; oc < out_c_; ++oc) {
        const int64_t g = oc / oc_g;
        const int8_t* fc = f + oc * ksize;
        for (int64_t oh = 0; oh < out_h_; ++oh) {
          for (int64_t ow = 0; ow < out_w_; ++ow, ++o) {
            int64_t sum = 0;  // exact: Lite's int32 sum wherever that does not overflow
            for (int64_t ic = 0; ic < ic_g; ++ic) {
              const int8_t* xc = x + ((n * in_c_) + g * ic_g + ic) * in_h_ * in_w_;
              const int8_t* fk = fc + ic * w_.kernel_h * w_.kernel_w;
              for (int64_t kh = 0; kh < w_.kernel_h; ++kh) {
                const int64_t ih = oh * w_.stride_h - w_.pad_top + kh * w_.dilation_h;
                if (ih < 0 || ih >= in_h_) continue;
                for (int64_t kw = 0; kw < w_.kernel_w; ++kw) {
                  const int64_t iw = ow * w_.stride_w - w_.pad_left + kw * w_.dilation_w;
                  if (iw < 0 || iw >= in_w_) continue;
                  sum += int64_t(xc[ih * in_w_ + iw]) * fk[kh * w_.kernel_w + kw];
                }
              }
            }
            q8::write(rq_, oc, sum, y, o);
          }
        }
      }
    }
    return Status::Ok();
  }

 private:
  cs::ConvAttrs attrs_;
  std::string act_type_;
  q8::Requant rq_;
  win::Window2d w_;
  int64_t batch_ = 0, in_c_ = 0, in_h_ = 0, in_w_ = 0, out_c_ = 0, out_h_ = 0, out_w_ = 0, groups_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  cs::ConvAttrs attrs;
  TAILOR_RETURN_IF_ERROR(cs::read_attrs(init, &attrs));
  const OpDesc& op = init.op();
  std::string act_type;
  if (op.get_bool("with_act", false))
    act_type = op.get_string("act_type", "");
  else if (op.get_bool("fuse_relu", false))
    act_type = "relu";
  out->reset(new Conv2dInt8(attrs, act_type));
  return Status::Ok();
}

}  // namespace conv2d_i8_ref
}  // namespace kernels
}  // namespace tailor
