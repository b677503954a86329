// conv2d-shape: attribute decoding and shape inference of conv2d / depthwise_conv2d as
// Paddle Lite 2.13 defines them (lite/operators/conv_op.{h,cc}), for the SIMD conv units.
#pragma once
#include <cstdint>
#include <string>

#include "core/kernel.h"
#include "core/status.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace helpers {
namespace conv2d_shape {

// What create() can know: attributes and the fused activation.
struct ConvAttrs {
  std::string op;              // op type, for messages
  window_ref::Window2d window;  // strides, dilations, paddings as written (no kernel size yet)
  int64_t groups = 1;
  Activation act;               // with_act + act_type (or legacy fuse_relu); identity otherwise
};

// What infer() derives from the input and filter shapes (NCHW, filter OIHW).
struct ConvShape {
  int64_t batch = 0, in_c = 0, in_h = 0, in_w = 0;
  int64_t out_c = 0, out_h = 0, out_w = 0;
  int64_t groups = 1;
  window_ref::Window2d window;  // final: kernel size set, padding_algorithm applied
  bool has_bias = false;
};

// Reads strides, dilations, paddings and groups, refuses what these units do not
// implement (NHWC, fused elementwise inputs, prelu), and resolves the activation.
Status read_attrs(const KernelInit& init, ConvAttrs* attrs);

// Validates Input / Filter / optional Bias (float32, NCHW, groups dividing the channels,
// bias of out_c values), applies padding_algorithm, and declares Output.
Status infer(OpContext& ctx, const ConvAttrs& attrs, ConvShape* shape);

}  // namespace conv2d_shape
}  // namespace helpers
}  // namespace tailor
