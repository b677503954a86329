// f32-matmul.batched: matmul and matmul_v2 as batched GEMMs on a SIMD GEMM backend. The SIMD
// units matmul.f32.gemm.* are this driver plus their ISA's GEMM.
//
// Semantics (Paddle Lite 2.13, lite/operators/{matmul,matmul_v2}_op.cc): batched
// op(X) x op(Y) with numpy broadcasting of the batch dims, 1-D operands promoted ([K] -> [1,K]
// for X, [K,1] for Y) and squeezed from the result, times `alpha` when present.
#pragma once
#include <memory>

#include "core/kernel.h"
#include "core/status.h"
#include "helpers/f32-gemm/simd.h"

namespace tailor {
namespace helpers {
namespace f32_matmul_batched {

// Serves matmul and matmul_v2; `unit` names the catalog unit in error messages.
Status create(const KernelInit& init, const f32_gemm::GemmBackend& gemm, const char* unit,
              std::unique_ptr<Kernel>* out);

}  // namespace f32_matmul_batched
}  // namespace helpers
}  // namespace tailor
