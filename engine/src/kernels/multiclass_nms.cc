// multiclass_nms, multiclass_nms2 (+ Index), multiclass_nms3 (+ NmsRoisNum): per image and class (but
// background_label), greedy NMS over the boxes scoring above score_threshold (the nms_top_k best, by
// score then index), a box kept while its IoU with every kept box is <= the threshold, which nms_eta < 1
// lowers after each kept box while it is > 0.5; then the keep_top_k best of all classes.
// BBoxes [N, M, 4], Scores [N, C, M] -> Out [K, 6] (label, score, box) ordered by image, class, then
// score; Index [K, 1] int32 (image * M + box); NmsRoisNum [N] int32. Computes Paddle Lite's host kernel
// (lite/kernels/host/multiclass_nms_compute.cc). 2-D Scores (boxes per class, with LoD) are refused: the
// engine carries no LoD.
//
// K depends on the data: infer() declares the largest K the attributes allow (kernel.h) and run()
// shrinks Out and Index to the rows it wrote, never beyond what infer() declared, so the planned
// storage always holds them. Zero detections give Out [0, 6] and Index [0, 1] like Lite, or without an
// Index output (multiclass_nms) Out [[-1]].
#include <algorithm>
#include <cstring>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace multiclass_nms_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

using Cand = du::NmsCandidate;
using du::align64;

class MulticlassNms final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const OpDesc& d = ctx.op();
    const Tensor *boxes = nullptr, *scores = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(du::nms_inputs(ctx, op, &boxes, &scores, &n_, &c_, &m_));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    bg_ = d.get_int("background_label", 0);
    nms_top_k_ = d.get_int("nms_top_k", -1);
    keep_top_k_ = d.get_int("keep_top_k", -1);
    thr_ = static_cast<float>(d.get_float("score_threshold", 0.0));
    nms_thr_ = static_cast<float>(d.get_float("nms_threshold", 0.3));
    eta_ = static_cast<float>(d.get_float("nms_eta", 1.0));
    normalized_ = d.get_bool("normalized", true);
    // Rows one image can keep.
    const int64_t classes = c_ - (bg_ >= 0 && bg_ < c_ ? 1 : 0);
    const int64_t per_class = nms_top_k_ > -1 ? std::min(m_, nms_top_k_) : m_;
    int64_t per_image = classes * per_class;
    if (keep_top_k_ > -1) per_image = std::min(per_image, keep_top_k_);
    // At least one row: the planned tensor is never empty (Index-less multiclass_nms also writes [[-1]]).
    rows_ = std::max<int64_t>(n_ * per_image, 1);
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Out", Dims{rows_, 6}));
    out->set_shape(DType::kF32, Dims{rows_, 6});
    index_ = ctx.output_count("Index") > 0 ? ctx.output("Index", 0) != nullptr : false;
    if (index_) ctx.output("Index", 0)->set_shape(DType::kI32, Dims{rows_, 1});
    rois_num_ = ctx.output_count("NmsRoisNum") > 0 && ctx.output("NmsRoisNum", 0) != nullptr;
    if (rois_num_) ctx.output("NmsRoisNum", 0)->set_shape(DType::kI32, Dims{n_});
    // Scratch: kept boxes per class, their counts, the sorted candidates of one class, all candidates.
    // Sized in 64 bits first: on 32-bit ABIs size_t would wrap.
    const uint64_t cm = static_cast<uint64_t>(c_ * m_);
    if (cm * (sizeof(int32_t) + sizeof(Cand)) + static_cast<uint64_t>(m_ + c_) * sizeof(Cand) > (uint64_t{1} << 30))
      return Status::Invalid(op + ": classes x boxes too large for the NMS working memory");
    sel_off_ = 0;
    cnt_off_ = align64(static_cast<size_t>(cm) * sizeof(int32_t));
    sort_off_ = cnt_off_ + align64(static_cast<size_t>(c_) * sizeof(int32_t));
    all_off_ = sort_off_ + align64(static_cast<size_t>(m_) * sizeof(Cand));
    ctx.request_scratch(all_off_ + static_cast<size_t>(cm) * sizeof(Cand));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* boxes = ctx.input("BBoxes", 0);
    const Tensor* scores = ctx.input("Scores", 0);
    Tensor* out = ctx.output("Out", 0);
    Tensor* index = index_ ? ctx.output("Index", 0) : nullptr;
    Tensor* rois_num = rois_num_ ? ctx.output("NmsRoisNum", 0) : nullptr;
    unsigned char* scratch = static_cast<unsigned char*>(ctx.scratch());
    if (!boxes || !scores || !out || !boxes->raw() || !scores->raw() || !out->raw_mut() ||
        (index_ && (!index || !index->raw_mut())) || (rois_num_ && (!rois_num || !rois_num->raw_mut())) || !scratch)
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    int32_t* sel = reinterpret_cast<int32_t*>(scratch + sel_off_);
    int32_t* cnt = reinterpret_cast<int32_t*>(scratch + cnt_off_);
    Cand* sorted = reinterpret_cast<Cand*>(scratch + sort_off_);
    Cand* all = reinterpret_cast<Cand*>(scratch + all_off_);
    float* o = out->mutable_data<float>();
    int32_t* oi = index ? index->mutable_data<int32_t>() : nullptr;
    int64_t rows = 0;
    for (int64_t i = 0; i < n_; ++i) {
      const float* bx = boxes->data<float>() + i * m_ * 4;
      const float* sc = scores->data<float>() + i * c_ * m_;
      int64_t dets = 0;
      for (int64_t c = 0; c < c_; ++c) {
        cnt[c] = 0;
        if (c == bg_) continue;
        const float* s = sc + c * m_;
        int64_t ns = 0;
        for (int64_t k = 0; k < m_; ++k) {
          if (s[k] > thr_) sorted[ns++] = Cand{s[k], static_cast<int32_t>(c), static_cast<int32_t>(k)};
        }
        std::sort(sorted, sorted + ns, du::nms_before);
        if (nms_top_k_ > -1 && nms_top_k_ < ns) ns = nms_top_k_;
        int32_t* kept = sel + c * m_;
        float adaptive = nms_thr_;
        for (int64_t k = 0; k < ns; ++k) {
          const float* b = bx + int64_t{sorted[k].idx} * 4;
          bool keep = true;
          for (int32_t j = 0; j < cnt[c] && keep; ++j)
            keep = du::jaccard(b, bx + int64_t{kept[j]} * 4, normalized_) <= adaptive;
          if (!keep) continue;
          kept[cnt[c]++] = sorted[k].idx;
          if (eta_ < 1 && adaptive > 0.5f) adaptive *= eta_;
        }
        dets += cnt[c];
      }
      if (keep_top_k_ > -1 && dets > keep_top_k_) {
        int64_t na = 0;
        for (int64_t c = 0; c < c_; ++c) {
          for (int32_t j = 0; j < cnt[c]; ++j) {
            const int32_t k = sel[c * m_ + j];
            all[na++] = Cand{sc[c * m_ + k], static_cast<int32_t>(c), k};
          }
        }
        std::sort(all, all + na, du::nms_before);
        // Lite regroups the survivors by class, each class in score order.
        std::sort(all, all + keep_top_k_,
                  [](const Cand& a, const Cand& b) { return a.cls != b.cls ? a.cls < b.cls : du::nms_before(a, b); });
        dets = keep_top_k_;
      } else {
        int64_t na = 0;
        for (int64_t c = 0; c < c_; ++c) {
          for (int32_t j = 0; j < cnt[c]; ++j) {
            const int32_t k = sel[c * m_ + j];
            all[na++] = Cand{sc[c * m_ + k], static_cast<int32_t>(c), k};
          }
        }
      }
      if (rows + dets > rows_) return Status::Internal(ctx.op().type + ": more detections than planned");
      for (int64_t r = 0; r < dets; ++r, ++rows) {
        const Cand& a = all[r];
        float* row = o + rows * 6;
        row[0] = static_cast<float>(a.cls);
        row[1] = a.score;
        std::memcpy(row + 2, bx + int64_t{a.idx} * 4, 4 * sizeof(float));
        if (oi) oi[rows] = static_cast<int32_t>(i * m_ + a.idx);
      }
      if (rois_num) rois_num->mutable_data<int32_t>()[i] = static_cast<int32_t>(dets);
    }
    if (rows == 0 && !index) {
      out->set_shape(DType::kF32, Dims{1, 1});  // Lite's "no detection" marker without Index
      o[0] = -1.f;
      ctx.outputs_resized();
      return Status::Ok();
    }
    out->set_shape(DType::kF32, Dims{rows, 6});
    if (index) index->set_shape(DType::kI32, Dims{rows, 1});
    ctx.outputs_resized();
    return Status::Ok();
  }

 private:
  int64_t n_ = 0, c_ = 0, m_ = 0, bg_ = 0, nms_top_k_ = -1, keep_top_k_ = -1, rows_ = 1;
  float thr_ = 0, nms_thr_ = 0.3f, eta_ = 1;
  bool normalized_ = true, index_ = false, rois_num_ = false;
  size_t sel_off_ = 0, cnt_off_ = 0, sort_off_ = 0, all_off_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<MulticlassNms>("multiclass_nms.f32.ref", out);
}

}  // namespace multiclass_nms_f32_ref
}  // namespace kernels
}  // namespace tailor
