// matrix_nms: Matrix NMS (SOLOv2): per image and class (but background_label), the nms_top_k boxes
// scoring above score_threshold, sorted by score, have their scores decayed by their IoU with each
// higher-scored box, relative to how much that box is itself overlapped: linear (1 - iou) / (1 - max_iou)
// or gaussian exp((max_iou^2 - iou^2) * gaussian_sigma), the smallest decay applying. Boxes whose decayed
// score is > post_threshold are kept (the best box with its own score); the keep_top_k best of all
// classes, by decayed score, are output. BBoxes [N, M, 4], Scores [N, C, M] -> Out [K, 6] (label,
// decayed score, box), Index [K, 1] int32 (image * M + box), RoisNum [N] int32. Computes Paddle Lite's
// host kernel; equal scores are ordered by class then box index (Lite's partial_sort leaves them
// unspecified).
//
// K depends on the data: infer() declares the largest K the attributes allow and run() shrinks Out and
// Index to the rows written (see multiclass_nms.cc).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace matrix_nms_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

using Cand = du::NmsCandidate;
using du::align64;

class MatrixNms final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const OpDesc& d = ctx.op();
    const Tensor *boxes = nullptr, *scores = nullptr;
    Tensor *out = nullptr, *index = nullptr;
    TAILOR_RETURN_IF_ERROR(du::nms_inputs(ctx, op, &boxes, &scores, &n_, &c_, &m_));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Index", 0, &index));
    bg_ = d.get_int("background_label", 0);
    nms_top_k_ = d.get_int("nms_top_k", -1);
    keep_top_k_ = d.get_int("keep_top_k", -1);
    thr_ = static_cast<float>(d.get_float("score_threshold", 0.0));
    post_thr_ = static_cast<float>(d.get_float("post_threshold", 0.0));
    sigma_ = static_cast<float>(d.get_float("gaussian_sigma", 2.0));
    gaussian_ = d.get_bool("use_gaussian", false);
    normalized_ = d.get_bool("normalized", true);
    k_ = nms_top_k_ > -1 ? std::min(m_, nms_top_k_) : m_;
    const int64_t classes = c_ - (bg_ >= 0 && bg_ < c_ ? 1 : 0);
    int64_t per_image = classes * k_;
    if (keep_top_k_ > -1) per_image = std::min(per_image, keep_top_k_);
    rows_ = std::max<int64_t>(n_ * per_image, 1);
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Out", Dims{rows_, 6}));
    out->set_shape(DType::kF32, Dims{rows_, 6});
    index->set_shape(DType::kI32, Dims{rows_, 1});
    rois_num_ = ctx.output_count("RoisNum") > 0 && ctx.output("RoisNum", 0) != nullptr;
    if (rois_num_) ctx.output("RoisNum", 0)->set_shape(DType::kI32, Dims{n_});
    // Scratch: the lower triangle of one class's IoU matrix, each box's max IoU, one class's candidates,
    // the kept candidates of all classes. Bounded by nms_top_k (or M) squared.
    const uint64_t tri = static_cast<uint64_t>(k_) * static_cast<uint64_t>(k_ > 0 ? k_ - 1 : 0) / 2;
    // Sized in 64 bits first: on 32-bit ABIs size_t would wrap.
    const uint64_t need = tri * sizeof(float) + static_cast<uint64_t>(k_ + m_ + c_ * k_) * sizeof(Cand);
    if (need > (uint64_t{1} << 30))
      return Status::Invalid(op + ": classes x nms_top_k too large for the NMS working memory");
    max_off_ = align64(static_cast<size_t>(tri) * sizeof(float));
    cand_off_ = max_off_ + align64(static_cast<size_t>(k_) * sizeof(float));
    all_off_ = cand_off_ + align64(static_cast<size_t>(m_) * sizeof(Cand));
    ctx.request_scratch(all_off_ + static_cast<size_t>(c_ * k_) * sizeof(Cand));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* boxes = ctx.input("BBoxes", 0);
    const Tensor* scores = ctx.input("Scores", 0);
    Tensor* out = ctx.output("Out", 0);
    Tensor* index = ctx.output("Index", 0);
    Tensor* rois_num = rois_num_ ? ctx.output("RoisNum", 0) : nullptr;
    unsigned char* scratch = static_cast<unsigned char*>(ctx.scratch());
    if (!boxes || !scores || !out || !index || !boxes->raw() || !scores->raw() || !out->raw_mut() ||
        !index->raw_mut() || (rois_num_ && (!rois_num || !rois_num->raw_mut())) || !scratch)
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    float* iou = reinterpret_cast<float*>(scratch);
    float* iou_max = reinterpret_cast<float*>(scratch + max_off_);
    Cand* cand = reinterpret_cast<Cand*>(scratch + cand_off_);
    Cand* all = reinterpret_cast<Cand*>(scratch + all_off_);
    float* o = out->mutable_data<float>();
    int32_t* oi = index->mutable_data<int32_t>();
    int64_t rows = 0;
    for (int64_t i = 0; i < n_; ++i) {
      const float* bx = boxes->data<float>() + i * m_ * 4;
      const float* sc = scores->data<float>() + i * c_ * m_;
      int64_t na = 0;
      for (int64_t c = 0; c < c_; ++c) {
        if (c == bg_) continue;
        const float* s = sc + c * m_;
        int64_t np = 0;
        for (int64_t k = 0; k < m_; ++k) {
          if (s[k] > thr_) cand[np++] = Cand{s[k], static_cast<int32_t>(c), static_cast<int32_t>(k)};
        }
        if (nms_top_k_ > -1 && np > nms_top_k_) {
          std::partial_sort(cand, cand + nms_top_k_, cand + np, du::nms_before);
          np = nms_top_k_;
        } else {
          std::sort(cand, cand + np, du::nms_before);
        }
        if (np == 0) continue;  // also nms_top_k 0, where Lite indexes an empty vector
        iou_max[0] = 0.f;
        for (int64_t a = 1; a < np; ++a) {
          float mx = 0.f;
          for (int64_t b = 0; b < a; ++b) {
            const float v = du::jaccard(bx + int64_t{cand[a].idx} * 4, bx + int64_t{cand[b].idx} * 4, normalized_);
            mx = std::max(mx, v);
            iou[a * (a - 1) / 2 + b] = v;
          }
          iou_max[a] = mx;
        }
        if (cand[0].score > post_thr_) all[na++] = cand[0];
        for (int64_t a = 1; a < np; ++a) {
          float min_decay = 1.f;
          for (int64_t b = 0; b < a; ++b) {
            const float v = iou[a * (a - 1) / 2 + b], mx = iou_max[b];
            const float decay = gaussian_ ? std::exp((mx * mx - v * v) * sigma_) : (1.f - v) / (1.f - mx);
            min_decay = std::min(min_decay, decay);
          }
          const float ds = min_decay * cand[a].score;
          if (ds > post_thr_) all[na++] = Cand{ds, cand[a].cls, cand[a].idx};
        }
      }
      int64_t dets = na;
      if (keep_top_k_ > -1 && dets > keep_top_k_) dets = keep_top_k_;
      std::partial_sort(all, all + dets, all + na, du::nms_before);
      if (rows + dets > rows_) return Status::Internal(ctx.op().type + ": more detections than planned");
      for (int64_t r = 0; r < dets; ++r, ++rows) {
        float* row = o + rows * 6;
        row[0] = static_cast<float>(all[r].cls);
        row[1] = all[r].score;
        std::memcpy(row + 2, bx + int64_t{all[r].idx} * 4, 4 * sizeof(float));
        oi[rows] = static_cast<int32_t>(i * m_ + all[r].idx);
      }
      if (rois_num) rois_num->mutable_data<int32_t>()[i] = static_cast<int32_t>(dets);
    }
    out->set_shape(DType::kF32, Dims{rows, 6});
    index->set_shape(DType::kI32, Dims{rows, 1});
    ctx.outputs_resized();
    return Status::Ok();
  }

 private:
  int64_t n_ = 0, c_ = 0, m_ = 0, bg_ = 0, nms_top_k_ = -1, keep_top_k_ = -1, k_ = 0, rows_ = 1;
  float thr_ = 0, post_thr_ = 0, sigma_ = 2;
  bool gaussian_ = false, normalized_ = true, rois_num_ = false;
  size_t max_off_ = 0, cand_off_ = 0, all_off_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<MatrixNms>("matrix_nms.f32.ref", out);
}

}  // namespace matrix_nms_f32_ref
}  // namespace kernels
}  // namespace tailor
