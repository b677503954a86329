// f32-matmul.flat: fc and mul as one GEMM of a flattened [M,K] input and a [K,N] weight, on
// a SIMD GEMM backend. The SIMD units fc.f32.gemm.* are this driver plus their ISA's GEMM.
//
// Semantics (Paddle Lite 2.13, lite/operators/{fc,mul}_op.cc):
// - fc: Out = flatten(Input, in_num_col_dims) x W[K,N] + Bias, then `activation_type`;
//   with op_type matmul / matmul_v2 the flattening uses rank(Input) - 1 instead.
// - mul: Out = flatten(X, x_num_col_dims) x flatten(Y, y_num_col_dims), shaped
//   X.dims[:x_num_col_dims] + Y.dims[y_num_col_dims:].
#pragma once
#include <memory>

#include "core/kernel.h"
#include "core/status.h"
#include "helpers/f32-gemm/simd.h"

namespace tailor {
namespace helpers {
namespace f32_matmul_flat {

// Serves fc and mul; `unit` names the catalog unit in error messages.
Status create(const KernelInit& init, const f32_gemm::GemmBackend& gemm, const char* unit,
              std::unique_ptr<Kernel>* out);

}  // namespace f32_matmul_flat
}  // namespace helpers
}  // namespace tailor
