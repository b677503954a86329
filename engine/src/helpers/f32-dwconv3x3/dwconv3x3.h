// f32-dwconv3x3: depthwise 3x3 convolution (dilation 1, stride 1 or 2, padding 0 or 1 per
// side, any channel multiplier) driven over per-plane SIMD micro-kernels. The SIMD units
// (depthwise_conv2d.f32.dw3x3.*) are this driver plus their ISA's plane kernels.
//
// Each input plane is first copied into a zero-bordered scratch plane, so the plane
// kernels see no padding and no bounds: they read rows oh*stride .. oh*stride+2 of the
// padded plane. The scratch plane has kPlaneSlack extra floats at its end so that a
// kernel's last vector load may run a few elements past the last row.
#pragma once
#include <cstdint>
#include <memory>

#include "core/kernel.h"
#include "core/status.h"

namespace tailor {
namespace helpers {
namespace f32_dwconv3x3 {

constexpr int64_t kPlaneSlack = 32;

// out[oh * out_w + ow] = bias + sum_{i,j < 3} w[i * 3 + j] * in[(oh * s + i) * in_stride + ow * s + j]
// for oh < out_h, ow < out_w, where s is the kernel's stride.
using PlaneFn = void (*)(const float* in, int64_t in_stride, const float* w, float bias, float* out,
                         int64_t out_h, int64_t out_w);

struct PlaneKernels {
  PlaneFn stride1;
  PlaneFn stride2;
};

// Serves depthwise_conv2d and conv2d whose filter is [C * multiplier, 1, 3, 3] with
// groups == C; infer() refuses anything else with a message naming `unit`.
Status create(const KernelInit& init, const PlaneKernels& kernels, const char* unit,
              std::unique_ptr<Kernel>* out);

}  // namespace f32_dwconv3x3
}  // namespace helpers
}  // namespace tailor
