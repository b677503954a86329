// f32-conv2d-gemm: conv2d (groups == 1) as GEMM on a SIMD GEMM backend. The SIMD conv
// units (conv2d.f32.gemm1x1.*, conv2d.f32.im2col.*) are this driver plus their ISA's GEMM.
//
//   Output[n] (Cout x OH*OW) = Filter (Cout x Cin*KH*KW) * col(Input[n]) (Cin*KH*KW x OH*OW) + Bias
//
// where col() is the identity for a 1x1 / stride 1 / no-padding filter and im2col otherwise.
#pragma once
#include <memory>

#include "core/kernel.h"
#include "core/status.h"
#include "helpers/f32-gemm/simd.h"

namespace tailor {
namespace helpers {
namespace f32_conv2d_gemm {

enum class Variant {
  k1x1,     // refuses in infer() anything but a 1x1 filter, stride 1, no padding
  kIm2col,  // any filter, stride, padding, dilation
};

// `unit` names the catalog unit in error messages.
Status create(const KernelInit& init, const f32_gemm::GemmBackend& gemm, Variant variant,
              const char* unit, std::unique_ptr<Kernel>* out);

}  // namespace f32_conv2d_gemm
}  // namespace helpers
}  // namespace tailor
