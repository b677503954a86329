// f32-pool2d: pool2d (max / avg; global, adaptive, exclusive, ceil_mode, padding_algorithm)
// driven over SIMD row primitives. The SIMD units (pool2d.f32.rows.*) are this driver plus
// their ISA's primitives.
//
// Semantics follow Paddle Lite 2.13 (lite/operators/pool_op.{h,cc}, and the window rules of
// lite/backends/x86/math/pooling.cc): a window [start, start + k) clipped to the padded
// input gives the inclusive (exclusive == false) divisor, clipped to the input the cells
// that are read and the exclusive divisor; adaptive avg windows are [floor(i*in/out),
// ceil((i+1)*in/out)) (adaptive max keeps the ksize/stride window and only sets the output
// size to ksize, as Paddle does). A window with no input cell yields 0. Like Lite (and pool2d.f32.avg.ref),
// the padded input ends at in + pad_top / in + pad_left: with asymmetric padding the
// inclusive divisor of the last window counts the top/left padding size, not the bottom/right.
//
// Each output row is computed in two passes: the window's input rows are reduced into one
// row buffer (vectorised across the width), then each output reduces its columns of it.
#pragma once
#include <cstdint>
#include <memory>

#include "core/kernel.h"
#include "core/status.h"

namespace tailor {
namespace helpers {
namespace f32_pool2d {

struct PoolKernels {
  // acc[i] = max(acc[i], row[i]) (is_max) or acc[i] + row[i], i < n.
  void (*accumulate_row)(float* acc, const float* row, int64_t n, bool is_max);
  // max or sum of p[0..n), n >= 1.
  float (*reduce)(const float* p, int64_t n, bool is_max);
  // out[i] = max or sum of buf[i .. i + k), i < n: the stride-1 horizontal pass.
  void (*windows_stride1)(const float* buf, int64_t k, float* out, int64_t n, bool is_max);
};

Status create(const KernelInit& init, const PoolKernels& kernels, const char* unit,
              std::unique_ptr<Kernel>* out);

}  // namespace f32_pool2d
}  // namespace helpers
}  // namespace tailor
