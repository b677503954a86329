// int8-quant: the arithmetic Paddle Lite's ARM int8 kernels share (lite/backends/arm/math/type_trans.cc,
// gemm_prepacked_int8.cc, gemv_arm_int8.cc and the PrepareForRun of conv/fc int8 kernels).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "core/status.h"

namespace tailor {
namespace helpers {
namespace int8_quant {

// float -> int8 as Lite writes int8 tensors: values below -127 become -127 (so the range is symmetric),
// then round half away from zero (FCVTAS / roundf), saturating at 127. NaN gives -127, as the vector path.
int8_t to_int8(float v);

// Whether an int8 kernel writes int8 or float32, from its kernel alias (Lite registers conv as
// int8_out / fp32_out and fc as int8out / fp32out).
Status output_is_int8(const OpDesc& op, bool* int8_out);

// What Lite applies to an int32 sum of output channel c: v = sum * mul[c] + bias[c], then the activation,
// then (int8 output) to_int8. Float output: mul = w_scale * in_scale, bias as stored. Int8 output:
// mul = w_scale * in_scale / out_scale and bias / out_scale, the activation in output-scale units.
struct Requant {
  std::vector<float> mul;
  std::vector<float> bias;  // empty: no bias
  Activation act;
  bool int8_out = false;
  float out_scale = 1.f;
};

// Reads `<in_attr>` (one input scale), `<w_attr>` (1 or `channels` weight scales) and, for int8 output,
// `<out_attr>`; all must be finite and positive. `act` is the fused activation as decoded for float; for
// int8 output its parameters are rescaled (relu6 threshold / out_scale), and activations whose rescaling
// this unit does not know are refused.
Status make_requant(const OpDesc& op, const char* in_attr, const char* w_attr, const char* out_attr,
                    int64_t channels, const Activation& act, const std::string& act_type, Requant* rq);

// Sets rq->bias from a float32 Bias tensor of `channels` values (nullptr: no bias).
Status set_bias(const std::string& op, const Tensor* bias, int64_t channels, Requant* rq);

// Writes sum of channel c to out[i] (float or int8 by rq.int8_out).
inline void write(const Requant& rq, int64_t c, int64_t sum, void* out, int64_t i) {
  float v = static_cast<float>(sum) * rq.mul[static_cast<size_t>(c)];
  if (!rq.bias.empty()) v += rq.bias[static_cast<size_t>(c)];
  rq.act.apply(&v, 1);
  if (rq.int8_out)
    static_cast<int8_t*>(out)[i] = to_int8(v);
  else
    static_cast<float*>(out)[i] = v;
}

}  // namespace int8_quant
}  // namespace helpers
}  // namespace tailor
