// dequant.ref — the weight dequantizer for weight-only quantized models (paddle_lite_opt
// --quant_model, `quantize_weight_bits` 8 or 16): value = scale[channel] * q, the channel
// running along `axis` (0 for conv filters, 1 for fc/mul weights), as in Paddle Lite's
// LightPredictor::DequantizeWeight. The product is taken in float, like Lite.
#include <cstring>
#include <string>

#include "core/registry.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace dequant_ref {

Status dequantize(DType stored, const void* src, const Dims& dims, const double* scales,
                  int64_t num_scales, int axis, float* dst) {
  if (stored != DType::kI8 && stored != DType::kI16)
    return Status::Unsupported(std::string("dequantize: stored dtype ") + dtype_name(stored) +
                               " is not int8 or int16");
  int64_t numel = 0;
  TAILOR_RETURN_IF_ERROR(helpers::tensor_checks::numel("dequantize", dims, &numel));
  if (numel > 0 && (!src || !dst || !scales))
    return Status::Internal("dequantize: null buffer");
  // outer x channels x inner around `axis`; a rank-0/1 tensor with axis past its end is one
  // channel run (Lite treats 1-D fc weights as [1, n]).
  int64_t outer = 1, channels = 1, inner = 1;
  const int rank = static_cast<int>(dims.size());
  if (axis < 0 || (axis >= rank && rank > 1))
    return Status::BadModel("dequantize: axis " + std::to_string(axis) + " out of range for " +
                            helpers::tensor_checks::str(dims));
  for (int i = 0; i < rank; ++i)
    (i < axis ? outer : i == axis ? channels : inner) *= dims[size_t(i)];
  if (num_scales != channels && num_scales != 1)
    return Status::BadModel("dequantize: " + std::to_string(num_scales) + " scales for " +
                            std::to_string(channels) + " channels of " +
                            helpers::tensor_checks::str(dims));
  const unsigned char* bytes = static_cast<const unsigned char*>(src);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const float scale = static_cast<float>(scales[num_scales == 1 ? 0 : c]);
      const int64_t base = (o * channels + c) * inner;
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t k = base + i;
        float q;
        if (stored == DType::kI8) {
          q = static_cast<float>(static_cast<int8_t>(bytes[k]));
        } else {
          int16_t v;  // parameter bytes need not be 2-aligned
          std::memcpy(&v, bytes + 2 * k, sizeof v);
          q = static_cast<float>(v);
        }
        dst[k] = scale * q;
      }
    }
  }
  return Status::Ok();
}

}  // namespace dequant_ref
}  // namespace kernels
}  // namespace tailor
