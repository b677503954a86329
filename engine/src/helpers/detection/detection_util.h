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

// NMS (multiclass_nms*, matrix_nms) -------------------------------------------------------------

// A candidate box of one class of one image.
struct NmsCandidate {
  float score;
  int32_t cls;
  int32_t idx;
};

// Score descending, then class and box ascending: the order of Lite's stable sorts over candidates
// listed by class and box.
inline bool nms_before(const NmsCandidate& a, const NmsCandidate& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.cls != b.cls) return a.cls < b.cls;
  return a.idx < b.idx;
}

// Scratch offsets: each region 64-byte aligned.
inline size_t align64(size_t n) { return (n + 63) & ~size_t{63}; }

// BBoxes [N, M, 4] and Scores [N, C, M], float32, box indices within int32 (N*M); sets n, c, m.
// 2-D Scores (which need LoD) are refused as unsupported.
Status nms_inputs(const OpContext& ctx, const std::string& op, const Tensor** boxes, const Tensor** scores,
                  int64_t* n, int64_t* c, int64_t* m);

}  // namespace detection_util
}  // namespace helpers
}  // namespace tailor
