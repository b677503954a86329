// generate_proposals_v2.f32.ref — RPN proposals (Faster/Mask R-CNN), as Paddle 2.6 and Lite 2.13 compute them.
// Per image: the H * W * A anchors ([H, W, A, 4] Anchors / Variances, Scores [N, A, H, W] and BboxDeltas
// [N, 4A, H, W] read in that order) keep the pre_nms_topN best scores, are decoded (box_coder
// decode_center_size with variances, log-size deltas clipped at log(1000 / 16)), clipped to ImShape [N, 2]
// (h, w), filtered by min_size (and, with pixel_offset, centres inside the image), then greedy NMS (IoU >
// nms_thresh suppresses; eta < 1 shrinks the threshold while above 0.5) keeps at most post_nms_topN, best
// first. pixel_offset adds 1 to widths and heights as Paddle's pixel convention does. An image left with no
// box gives one zero box of score 0. RpnRois [R, 4], RpnRoiProbs [R, 1], RpnRoisNum [N] (int32, rows per image).
//
// R depends on the data: infer() declares the most rows possible and run() shrinks RpnRois / RpnRoiProbs.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace generate_proposals_v2_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

struct Params {
  int64_t pre_nms = 0, post_nms = 0;
  float nms_thresh = 0, min_size = 0, eta = 1;
  bool pixel_offset = true;
};

// Sort key of a score: NaN ranks below everything, so that the comparators stay strict weak orders.
float key(float s) { return std::isnan(s) ? -INFINITY : s; }

float box_area(const float* b, bool normalized) {
  if (b[2] < b[0] || b[3] < b[1]) return 0.f;
  const float w = b[2] - b[0], h = b[3] - b[1];
  return normalized ? w * h : (w + 1) * (h + 1);
}

float iou(const float* a, const float* b, bool normalized) {
  if (b[0] > a[2] || b[2] < a[0] || b[1] > a[3] || b[3] < a[1]) return 0.f;
  const float norm = normalized ? 0.f : 1.f;
  const float iw = std::max(0.f, std::min(a[2], b[2]) - std::max(a[0], b[0]) + norm);
  const float ih = std::max(0.f, std::min(a[3], b[3]) - std::max(a[1], b[1]) + norm);
  const float inter = iw * ih;
  return inter / (box_area(a, normalized) + box_area(b, normalized) - inter);
}

// Greedy NMS over boxes[n * 4] / scores[n]: indices kept, best first. Equal scores: the later index first
// (Paddle sorts ascending, stably, and takes from the back).
std::vector<int64_t> nms(const std::vector<float>& boxes, const std::vector<float>& scores, const Params& p) {
  std::vector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return key(scores[size_t(a)]) < key(scores[size_t(b)]);
  });
  std::vector<int64_t> kept;
  float threshold = p.nms_thresh;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    bool keep = true;
    for (int64_t k : kept) {
      if (iou(&boxes[size_t(*it) * 4], &boxes[size_t(k) * 4], !p.pixel_offset) > threshold) {
        keep = false;
        break;
      }
    }
    if (keep) {
      kept.push_back(*it);
      if (p.eta < 1 && threshold > 0.5f) threshold *= p.eta;
    }
  }
  return kept;
}

class GenerateProposalsV2Ref final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* scores = ctx.input("Scores");
    const Tensor* deltas = ctx.input("BboxDeltas");
    const Tensor* im = ctx.input("ImShape");
    const Tensor* anchors = ctx.input("Anchors");
    const Tensor* vars = ctx.input("Variances");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, scores, "Scores"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, deltas, "BboxDeltas"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, im, "ImShape"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, anchors, "Anchors"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, vars, "Variances"));
    Tensor* rois = ctx.output("RpnRois");
    Tensor* probs = ctx.output("RpnRoiProbs");
    if (!rois || !probs) return Status::BadModel(op + ": missing output RpnRois or RpnRoiProbs");
    if (scores->rank() != 4 || deltas->rank() != 4)
      return Status::Invalid(op + ": Scores " + shp::str(scores->dims()) + " and BboxDeltas " +
                             shp::str(deltas->dims()) + " must be 4-D");
    n_ = scores->dim(0);
    a_ = scores->dim(1);
    h_ = scores->dim(2);
    w_ = scores->dim(3);
    if (deltas->dims() != Dims{n_, 4 * a_, h_, w_})
      return Status::Invalid(op + ": BboxDeltas " + shp::str(deltas->dims()) + " must be [N, 4A, H, W] of Scores " +
                             shp::str(scores->dims()));
    if (im->rank() != 2 || im->dim(0) != n_ || im->dim(1) < 2)
      return Status::Invalid(op + ": ImShape " + shp::str(im->dims()) + " must be [N, 2] (height, width)");
    const int64_t boxes = h_ * w_ * a_;
    if (anchors->numel() != boxes * 4 || vars->numel() != boxes * 4)
      return Status::Invalid(op + ": Anchors " + shp::str(anchors->dims()) + " and Variances " +
                             shp::str(vars->dims()) + " must hold H * W * A boxes of Scores " +
                             shp::str(scores->dims()));
    p_.pre_nms = desc.get_int("pre_nms_topN", 6000);
    p_.post_nms = desc.get_int("post_nms_topN", 1000);
    p_.nms_thresh = static_cast<float>(desc.get_float("nms_thresh", 0.5));
    p_.min_size = static_cast<float>(desc.get_float("min_size", 0.1));
    p_.eta = static_cast<float>(desc.get_float("eta", 1.0));
    p_.pixel_offset = desc.get_bool("pixel_offset", true);
    // Most rows one image can give: the pre-NMS selection, cut to post_nms_topN when NMS runs, at least 1.
    int64_t per_image = p_.pre_nms > 0 && p_.pre_nms < boxes ? p_.pre_nms : boxes;
    if (p_.nms_thresh > 0 && p_.post_nms > 0) per_image = std::min(per_image, p_.post_nms);
    max_rows_ = n_ * std::max<int64_t>(per_image, 1);
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, {max_rows_, 4}));
    rois->set_shape(DType::kF32, {max_rows_, 4});
    probs->set_shape(DType::kF32, {max_rows_, 1});
    if (Tensor* num = ctx.output("RpnRoisNum")) num->set_shape(DType::kI32, {n_});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* scores = ctx.input("Scores")->data<float>();
    const float* deltas = ctx.input("BboxDeltas")->data<float>();
    const float* im = ctx.input("ImShape")->data<float>();
    const float* anchors = ctx.input("Anchors")->data<float>();
    const float* vars = ctx.input("Variances")->data<float>();
    Tensor* rois_t = ctx.output("RpnRois");
    Tensor* probs_t = ctx.output("RpnRoiProbs");
    Tensor* num_t = ctx.output("RpnRoisNum");
    float* rois = rois_t->mutable_data<float>();
    float* probs = probs_t->mutable_data<float>();
    int32_t* num = num_t ? num_t->mutable_data<int32_t>() : nullptr;
    if (!scores || !deltas || !im || !anchors || !vars || !rois || !probs || (num_t && !num))
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t im_stride = ctx.input("ImShape")->dim(1);
    int64_t total = 0;
    for (int64_t b = 0; b < n_; ++b) {
      std::vector<float> boxes, box_scores;
      propose(scores + b * a_ * h_ * w_, deltas + b * 4 * a_ * h_ * w_, im + b * im_stride, anchors, vars, &boxes,
              &box_scores);
      const int64_t rows = static_cast<int64_t>(box_scores.size());
      if (total + rows > max_rows_) return Status::Internal(ctx.op().type + ": more proposals than declared");
      std::copy(boxes.begin(), boxes.end(), rois + total * 4);
      std::copy(box_scores.begin(), box_scores.end(), probs + total);
      if (num) num[b] = static_cast<int32_t>(rows);
      total += rows;
    }
    rois_t->set_shape(DType::kF32, {total, 4});
    probs_t->set_shape(DType::kF32, {total, 1});
    ctx.outputs_resized();  // later ops infer again from the rows kept
    return Status::Ok();
  }

 private:
  // The proposals of one image (boxes [k * 4], scores [k]).
  void propose(const float* scores, const float* deltas, const float* im, const float* anchors, const float* vars,
               std::vector<float>* out_boxes, std::vector<float>* out_scores) const {
    const int64_t plane = h_ * w_, count = plane * a_;
    // Box i = (pixel p, anchor k) in [H, W, A] order; its score sits at Scores[k, p].
    auto score_of = [&](int64_t i) { return scores[(i % a_) * plane + i / a_]; };
    std::vector<int64_t> idx(static_cast<size_t>(count));
    std::iota(idx.begin(), idx.end(), 0);
    auto better = [&](int64_t x, int64_t y) { return key(score_of(x)) > key(score_of(y)); };
    if (p_.pre_nms <= 0 || p_.pre_nms >= count) {
      std::stable_sort(idx.begin(), idx.end(), better);
    } else {
      // Paddle keeps the pre_nms_topN best unsorted (nth_element); NMS sorts them afterwards.
      std::nth_element(idx.begin(), idx.begin() + p_.pre_nms, idx.end(), better);
      idx.resize(static_cast<size_t>(p_.pre_nms));
    }
    const float offset = p_.pixel_offset ? 1.f : 0.f;
    const float clip = static_cast<float>(std::log(1000.0 / 16.0));
    const float im_h = im[0], im_w = im[1];
    const float min_size = std::max(p_.min_size, 1.f);
    std::vector<float> boxes, box_scores;
    for (int64_t i : idx) {
      const float* an = anchors + i * 4;
      const float* v = vars + i * 4;
      const int64_t k = i % a_, pix = i / a_;
      float d[4];
      for (int j = 0; j < 4; ++j) d[j] = deltas[(k * 4 + j) * plane + pix];
      const float aw = an[2] - an[0] + offset, ah = an[3] - an[1] + offset;
      const float acx = an[0] + 0.5f * aw, acy = an[1] + 0.5f * ah;
      const float cx = v[0] * d[0] * aw + acx, cy = v[1] * d[1] * ah + acy;
      const float bw = std::exp(std::min(v[2] * d[2], clip)) * aw;
      const float bh = std::exp(std::min(v[3] * d[3], clip)) * ah;
      float box[4] = {cx - bw / 2, cy - bh / 2, cx + bw / 2 - offset, cy + bh / 2 - offset};
      box[0] = std::max(std::min(box[0], im_w - offset), 0.f);
      box[1] = std::max(std::min(box[1], im_h - offset), 0.f);
      box[2] = std::max(std::min(box[2], im_w - offset), 0.f);
      box[3] = std::max(std::min(box[3], im_h - offset), 0.f);
      const float ws = box[2] - box[0] + offset, hs = box[3] - box[1] + offset;
      bool keep = ws >= min_size && hs >= min_size;
      if (keep && p_.pixel_offset) keep = box[0] + ws / 2 <= im_w && box[1] + hs / 2 <= im_h;
      if (!keep) continue;
      boxes.insert(boxes.end(), box, box + 4);
      box_scores.push_back(score_of(i));
    }
    if (box_scores.empty()) {  // Paddle's "no box left": one zero box
      out_boxes->assign(4, 0.f);
      out_scores->assign(1, 0.f);
      return;
    }
    if (p_.nms_thresh <= 0) {
      *out_boxes = std::move(boxes);
      *out_scores = std::move(box_scores);
      return;
    }
    std::vector<int64_t> kept = nms(boxes, box_scores, p_);
    if (p_.post_nms > 0 && p_.post_nms < static_cast<int64_t>(kept.size())) kept.resize(static_cast<size_t>(p_.post_nms));
    for (int64_t j : kept) {
      out_boxes->insert(out_boxes->end(), &boxes[size_t(j) * 4], &boxes[size_t(j) * 4] + 4);
      out_scores->push_back(box_scores[size_t(j)]);
    }
  }

  Params p_;
  int64_t n_ = 0, a_ = 0, h_ = 0, w_ = 0, max_rows_ = 0;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new GenerateProposalsV2Ref());
  return Status::Ok();
}

}  // namespace generate_proposals_v2_f32_ref
}  // namespace kernels
}  // namespace tailor
