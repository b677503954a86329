#include "helpers/conv2d-shape/conv2d_shape.h"

#include <cinttypes>

#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace conv2d_shape {

Status read_attrs(const KernelInit& init, ConvAttrs* attrs) {
  const OpDesc& op = init.op();
  *attrs = ConvAttrs();
  attrs->op = op.type;
  window_ref::Window2d& w = attrs->window;
  TAILOR_RETURN_IF_ERROR(window_ref::read_pair(op, "strides", 1, 1, &w.stride_h, &w.stride_w));
  TAILOR_RETURN_IF_ERROR(window_ref::read_pair(op, "dilations", 1, 1, &w.dilation_h, &w.dilation_w));
  TAILOR_RETURN_IF_ERROR(window_ref::read_paddings(op, &w));
  attrs->groups = op.get_int("groups", 1);
  if (attrs->groups < 1 || attrs->groups > window_ref::kMaxWindowParam)
    return Status::Format(StatusCode::kInvalidModel, "%s: groups %" PRId64 " out of range", op.type.c_str(),
                          attrs->groups);
  const std::string format = op.get_string("data_format", "NCHW");
  if (format != "NCHW" && format != "AnyLayout")
    return Status::Format(StatusCode::kUnsupported, "%s: data_format '%s' not supported", op.type.c_str(),
                          format.c_str());
  if (op.has_attr("fuse_elementwise_op_type"))
    return Status::Format(StatusCode::kUnsupported, "%s: fused elementwise (SecondInput) not supported",
                          op.type.c_str());
  if (op.get_bool("with_act", false)) {
    const std::string act = op.get_string("act_type", "");
    if (act == "prelu")
      return Status::Format(StatusCode::kUnsupported, "%s: fused prelu not supported", op.type.c_str());
    TAILOR_RETURN_IF_ERROR(init.activation(act, &attrs->act));
  } else if (op.get_bool("fuse_relu", false)) {
    // Pre-`with_act` models spell a fused relu this way (as conv2d.f32.ref reads it).
    TAILOR_RETURN_IF_ERROR(init.activation("relu", &attrs->act));
  }
  return Status::Ok();
}

Status infer(OpContext& ctx, const ConvAttrs& attrs, ConvShape* s) {
  const std::string& op = attrs.op;
  const char* name = op.c_str();
  using tensor_checks::str;
  const Tensor* input = ctx.input("Input");
  const Tensor* filter = ctx.input("Filter");
  Tensor* output = ctx.output("Output");
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, input, "Input"));
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, filter, "Filter"));
  if (!output) return Status::Format(StatusCode::kInvalidModel, "%s: missing output Output", name);
  if (ctx.input_count("ResidualData") > 0 || ctx.input_count("SecondInput") > 0)
    return Status::Format(StatusCode::kUnsupported, "%s: fused residual input not supported", name);
  const Dims& in = input->dims();
  const Dims& f = filter->dims();
  if (in.size() != 4)
    return Status::Format(StatusCode::kInvalidArgument, "%s: Input must be NCHW, got %s", name, str(in).c_str());
  if (f.size() != 4)
    return Status::Format(StatusCode::kInvalidModel, "%s: Filter must be OIHW, got %s", name, str(f).c_str());

  *s = ConvShape();
  s->batch = in[0];
  s->in_c = in[1];
  s->in_h = in[2];
  s->in_w = in[3];
  s->out_c = f[0];
  s->groups = attrs.groups;
  if (s->in_c != f[1] * attrs.groups || s->out_c % attrs.groups != 0 || s->out_c == 0)
    return Status::Format(StatusCode::kInvalidArgument, "%s: Input %s and Filter %s disagree with groups %" PRId64,
                          name, str(in).c_str(), str(f).c_str(), attrs.groups);
  if (f[2] < 1 || f[3] < 1 || f[2] > window_ref::kMaxWindowParam || f[3] > window_ref::kMaxWindowParam)
    return Status::Format(StatusCode::kInvalidModel, "%s: bad filter size %s", name, str(f).c_str());

  window_ref::Window2d w = attrs.window;
  w.kernel_h = f[2];
  w.kernel_w = f[3];
  TAILOR_RETURN_IF_ERROR(window_ref::apply_padding_algorithm(ctx.op(), s->in_h, s->in_w, true, &w));
  s->window = w;
  // Every window value is <= 2^16 and dims are checked, so these cannot overflow.
  const int64_t extent_h = w.dilation_h * (w.kernel_h - 1) + 1;
  const int64_t extent_w = w.dilation_w * (w.kernel_w - 1) + 1;
  const int64_t span_h = s->in_h + w.pad_top + w.pad_bottom - extent_h;
  const int64_t span_w = s->in_w + w.pad_left + w.pad_right - extent_w;
  if (span_h < 0 || span_w < 0)
    return Status::Format(StatusCode::kInvalidArgument, "%s: filter %s larger than padded input %s", name,
                          str(f).c_str(), str(in).c_str());
  s->out_h = span_h / w.stride_h + 1;
  s->out_w = span_w / w.stride_w + 1;

  const Tensor* bias = ctx.input_count("Bias") > 0 ? ctx.input("Bias") : nullptr;
  if (bias) {
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, bias, "Bias"));
    if (bias->numel() != s->out_c)
      return Status::Format(StatusCode::kInvalidArgument, "%s: Bias %s does not match %" PRId64 " output channels",
                            name, str(bias->dims()).c_str(), s->out_c);
    s->has_bias = true;
  }
  const Dims out_dims = {s->batch, s->out_c, s->out_h, s->out_w};
  TAILOR_RETURN_IF_ERROR(tensor_checks::check_dims(op, out_dims));
  output->set_shape(DType::kF32, out_dims);
  return Status::Ok();
}

}  // namespace conv2d_shape
}  // namespace helpers
}  // namespace tailor
