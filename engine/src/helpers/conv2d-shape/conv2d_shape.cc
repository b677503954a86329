#include "helpers/conv2d-shape/conv2d_shape.h"

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
    return Status::BadModel(op.type + ": groups " + std::to_string(attrs->groups) + " out of range");
  const std::string format = op.get_string("data_format", "NCHW");
  if (format != "NCHW" && format != "AnyLayout")
    return Status::Unsupported(op.type + ": data_format '" + format + "' not supported");
  if (op.has_attr("fuse_elementwise_op_type"))
    return Status::Unsupported(op.type + ": fused elementwise (SecondInput) not supported");
  if (op.get_bool("with_act", false)) {
    const std::string act = op.get_string("act_type", "");
    if (act == "prelu") return Status::Unsupported(op.type + ": fused prelu not supported");
    TAILOR_RETURN_IF_ERROR(init.activation(act, &attrs->act));
  } else if (op.get_bool("fuse_relu", false)) {
    // Pre-`with_act` models spell a fused relu this way (as conv2d.f32.ref reads it).
    TAILOR_RETURN_IF_ERROR(init.activation("relu", &attrs->act));
  }
  return Status::Ok();
}

Status infer(OpContext& ctx, const ConvAttrs& attrs, ConvShape* s) {
  const std::string& op = attrs.op;
  const Tensor* input = ctx.input("Input");
  const Tensor* filter = ctx.input("Filter");
  Tensor* output = ctx.output("Output");
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, input, "Input"));
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, filter, "Filter"));
  if (!output) return Status::BadModel(op + ": missing output Output");
  if (ctx.input_count("ResidualData") > 0 || ctx.input_count("SecondInput") > 0)
    return Status::Unsupported(op + ": fused residual input not supported");
  const Dims& in = input->dims();
  const Dims& f = filter->dims();
  if (in.size() != 4) return Status::Invalid(op + ": Input must be NCHW, got " + tensor_checks::str(in));
  if (f.size() != 4) return Status::BadModel(op + ": Filter must be OIHW, got " + tensor_checks::str(f));

  *s = ConvShape();
  s->batch = in[0];
  s->in_c = in[1];
  s->in_h = in[2];
  s->in_w = in[3];
  s->out_c = f[0];
  s->groups = attrs.groups;
  if (s->in_c != f[1] * attrs.groups || s->out_c % attrs.groups != 0 || s->out_c == 0)
    return Status::Invalid(op + ": Input " + tensor_checks::str(in) + " and Filter " + tensor_checks::str(f) +
                           " disagree with groups " + std::to_string(attrs.groups));
  if (f[2] < 1 || f[3] < 1 || f[2] > window_ref::kMaxWindowParam || f[3] > window_ref::kMaxWindowParam)
    return Status::BadModel(op + ": bad filter size " + tensor_checks::str(f));

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
    return Status::Invalid(op + ": filter " + tensor_checks::str(f) + " larger than padded input " +
                           tensor_checks::str(in));
  s->out_h = span_h / w.stride_h + 1;
  s->out_w = span_w / w.stride_w + 1;

  const Tensor* bias = ctx.input_count("Bias") > 0 ? ctx.input("Bias") : nullptr;
  if (bias) {
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, bias, "Bias"));
    if (bias->numel() != s->out_c)
      return Status::Invalid(op + ": Bias " + tensor_checks::str(bias->dims()) + " does not match " +
                             std::to_string(s->out_c) + " output channels");
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
