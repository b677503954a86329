#include "helpers/int8-quant/quant.h"

#include <cmath>

#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace int8_quant {

int8_t to_int8(float v) {
  if (!(v >= -127.f)) return -127;
  if (v >= 127.f) return 127;
  return static_cast<int8_t>(std::round(v));  // std::round: half away from zero
}

Status output_is_int8(const OpDesc& op, bool* int8_out) {
  const std::string& a = op.key.alias;
  if (a == "int8_out" || a == "int8out") {
    *int8_out = true;
  } else if (a == "fp32_out" || a == "fp32out") {
    *int8_out = false;
  } else {
    return Status::Unsupported(op.type + ": int8 kernel alias '" + a + "' (expected int8_out or fp32_out)");
  }
  return Status::Ok();
}

namespace {

Status read_scale(const OpDesc& op, const char* attr, std::vector<float>* out) {
  const std::vector<double> v = op.get_floats(attr);
  if (v.empty()) return Status::BadModel(op.type + ": int8 op without " + attr);
  out->clear();
  for (double d : v) {
    const float f = static_cast<float>(d);
    if (!std::isfinite(f) || !(f > 0.f))
      return Status::BadModel(op.type + ": " + attr + " holds a non-positive or non-finite scale");
    out->push_back(f);
  }
  return Status::Ok();
}

}  // namespace

Status make_requant(const OpDesc& op, const char* in_attr, const char* w_attr, const char* out_attr,
                    int64_t channels, const Activation& act, const std::string& act_type, Requant* rq) {
  TAILOR_RETURN_IF_ERROR(output_is_int8(op, &rq->int8_out));
  std::vector<float> in, w, out;
  TAILOR_RETURN_IF_ERROR(read_scale(op, in_attr, &in));
  TAILOR_RETURN_IF_ERROR(read_scale(op, w_attr, &w));
  if (w.size() != 1 && static_cast<int64_t>(w.size()) != channels)
    return Status::BadModel(op.type + ": " + w_attr + " has " + std::to_string(w.size()) + " scales for " +
                            std::to_string(channels) + " output channels");
  rq->out_scale = 1.f;
  if (rq->int8_out) {
    TAILOR_RETURN_IF_ERROR(read_scale(op, out_attr, &out));
    rq->out_scale = out[0];
  }
  rq->mul.assign(static_cast<size_t>(channels), 0.f);
  for (int64_t c = 0; c < channels; ++c) {
    const float ws = w.size() == 1 ? w[0] : w[static_cast<size_t>(c)];
    // Same float operations, in the same order, as Lite's PrepareForRun.
    rq->mul[static_cast<size_t>(c)] = rq->int8_out ? ws * in[0] / rq->out_scale : ws * in[0];
  }
  rq->act = act;
  if (rq->int8_out && act.fn) {
    if (act_type == "relu6") {
      rq->act.alpha = act.alpha / rq->out_scale;
    } else if (act_type != "relu" && act_type != "leaky_relu") {
      return Status::Unsupported(op.type + ": fused " + act_type + " with int8 output");
    }
  }
  return Status::Ok();
}

Status set_bias(const std::string& op, const Tensor* bias, int64_t channels, Requant* rq) {
  rq->bias.clear();
  if (!bias) return Status::Ok();
  TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, bias, "Bias"));
  if (bias->numel() != channels)
    return Status::BadModel(op + ": Bias " + tensor_checks::str(bias->dims()) + " must have " +
                            std::to_string(channels) + " elements");
  const float* b = bias->data<float>();
  if (!b) return Status::Unsupported(op + ": Bias must be a constant");
  rq->bias.resize(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c)
    rq->bias[static_cast<size_t>(c)] = rq->int8_out ? b[c] / rq->out_scale : b[c];
  return Status::Ok();
}

}  // namespace int8_quant
}  // namespace helpers
}  // namespace tailor
