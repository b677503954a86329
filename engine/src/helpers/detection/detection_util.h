// detection-util: what the detection kernels (yolo_box, prior_box, box_coder, roi_align, the NMS ops, ...)
// share: typed input fetches and attribute lists as float, and Paddle Lite's box area / IoU.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/kernel.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {
namespace helpers {
namespace detection_util {

// Input slot[0] as a float32 tensor of rank `rank` (any rank when -1) with a valid, bounded shape.
Status get_f32(const OpContext& ctx, std::string_view op, std::string_view slot, int rank, const Tensor** out);

// A FLOATS attribute as float32 values, as Paddle Lite keeps them; empty when absent.
std::vector<float> float_list(const OpDesc& op, std::string_view name);

// Every value finite, else an error naming `what`.
Status check_finite(std::string_view op, std::string_view what, const std::vector<float>& v);

// Area of box [xmin, ymin, xmax, ymax]; 0 for an inverted box; +1 per side when not normalized
// (pixel coordinates), like Paddle Lite's BBoxArea.
float box_area(const float* b, bool normalized);
// Intersection over union of two boxes with the same conventions (Lite's JaccardOverlap).
float jaccard(const float* a, const float* b, bool normalized);

}  // namespace detection_util
}  // namespace helpers
}  // namespace tailor
