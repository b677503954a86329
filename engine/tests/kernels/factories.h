// Declarations of the numeric units' entries (normally the generated registry declares them).
#pragma once
#include <memory>

#include "core/kernel.h"
#include "core/registry.h"
#include "harness/kernel_harness.h"

#define TAILOR_DECLARE_KERNEL(id) \
  namespace tailor { namespace kernels { namespace id { \
  Status create(const KernelInit& init, std::unique_ptr<Kernel>* out); } } }
#define TAILOR_DECLARE_EPILOGUE(id) \
  namespace tailor { namespace kernels { namespace id { \
  void apply(float* data, int64_t n, const Activation& act); } } }

TAILOR_DECLARE_KERNEL(conv2d_f32_ref)
TAILOR_DECLARE_KERNEL(conv2d_transpose_f32_ref)
TAILOR_DECLARE_KERNEL(pool2d_max_f32_ref)
TAILOR_DECLARE_KERNEL(pool2d_avg_f32_ref)
TAILOR_DECLARE_KERNEL(fc_f32_ref)
TAILOR_DECLARE_KERNEL(mul_f32_ref)
TAILOR_DECLARE_KERNEL(matmul_f32_ref)
TAILOR_DECLARE_KERNEL(elementwise_add_f32_ref)
TAILOR_DECLARE_KERNEL(elementwise_sub_f32_ref)
TAILOR_DECLARE_KERNEL(elementwise_mul_f32_ref)
TAILOR_DECLARE_KERNEL(elementwise_div_f32_ref)
TAILOR_DECLARE_KERNEL(elementwise_max_f32_ref)
TAILOR_DECLARE_KERNEL(elementwise_min_f32_ref)
TAILOR_DECLARE_KERNEL(elementwise_pow_f32_ref)
TAILOR_DECLARE_KERNEL(relu_f32_ref)
TAILOR_DECLARE_KERNEL(relu6_f32_ref)
TAILOR_DECLARE_KERNEL(leaky_relu_f32_ref)
TAILOR_DECLARE_KERNEL(hard_swish_f32_ref)
TAILOR_DECLARE_KERNEL(hard_sigmoid_f32_ref)
TAILOR_DECLARE_KERNEL(sigmoid_f32_ref)
TAILOR_DECLARE_KERNEL(tanh_f32_ref)
TAILOR_DECLARE_KERNEL(swish_f32_ref)

TAILOR_DECLARE_KERNEL(exp_f32_ref)
TAILOR_DECLARE_KERNEL(log_f32_ref)
TAILOR_DECLARE_KERNEL(sqrt_f32_ref)
TAILOR_DECLARE_KERNEL(rsqrt_f32_ref)
TAILOR_DECLARE_KERNEL(abs_f32_ref)
TAILOR_DECLARE_KERNEL(square_f32_ref)
TAILOR_DECLARE_KERNEL(pow_f32_ref)
TAILOR_DECLARE_KERNEL(elu_f32_ref)
TAILOR_DECLARE_KERNEL(gelu_f32_ref)
TAILOR_DECLARE_KERNEL(dropout_f32_ref)
TAILOR_DECLARE_KERNEL(scale_f32_ref)
TAILOR_DECLARE_KERNEL(clip_f32_ref)
TAILOR_DECLARE_KERNEL(prelu_f32_ref)
TAILOR_DECLARE_KERNEL(softmax_f32_ref)
TAILOR_DECLARE_KERNEL(log_softmax_f32_ref)
TAILOR_DECLARE_KERNEL(batch_norm_f32_ref)
TAILOR_DECLARE_KERNEL(layer_norm_f32_ref)
TAILOR_DECLARE_KERNEL(instance_norm_f32_ref)

namespace tailor { namespace kernels { namespace dequant_ref {
Status dequantize(DType stored, const void* src, const Dims& dims, const double* scales,
                  int64_t num_scales, int axis, float* dst); } } }

TAILOR_DECLARE_EPILOGUE(relu_f32_epilogue)
TAILOR_DECLARE_EPILOGUE(relu6_f32_epilogue)
TAILOR_DECLARE_EPILOGUE(leaky_relu_f32_epilogue)
TAILOR_DECLARE_EPILOGUE(hard_swish_f32_epilogue)
TAILOR_DECLARE_EPILOGUE(hard_sigmoid_f32_epilogue)
TAILOR_DECLARE_EPILOGUE(sigmoid_f32_epilogue)
TAILOR_DECLARE_EPILOGUE(tanh_f32_epilogue)
TAILOR_DECLARE_EPILOGUE(swish_f32_epilogue)

namespace tailor {
namespace test {
// Every epilogue of this part, for OpRunner::epilogues().
inline std::vector<EpilogueFn> all_epilogues() {
  return {
      {"relu", &kernels::relu_f32_epilogue::apply},
      {"relu6", &kernels::relu6_f32_epilogue::apply},
      {"leaky_relu", &kernels::leaky_relu_f32_epilogue::apply},
      {"hard_swish", &kernels::hard_swish_f32_epilogue::apply},
      {"hard_sigmoid", &kernels::hard_sigmoid_f32_epilogue::apply},
      {"sigmoid", &kernels::sigmoid_f32_epilogue::apply},
      {"tanh", &kernels::tanh_f32_epilogue::apply},
      {"swish", &kernels::swish_f32_epilogue::apply},
  };
}
}  // namespace test
}  // namespace tailor
