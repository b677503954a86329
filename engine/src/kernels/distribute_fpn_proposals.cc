// distribute_fpn_proposals.f32.ref — assigns each roi of FpnRois [R, 4] to an FPN level as Paddle Lite's host
// kernel does: level = floor(log2(sqrt(area) / refer_scale + 1e-6) + refer_level) clamped to [min_level,
// max_level], area with +1 on width and height when pixel_offset. MultiFpnRois[l] holds the rois of level
// min_level + l in input order, RestoreIndex [R, 1] (int32) the row of each input roi in their concatenation,
// MultiLevelRoIsNum[l] [N] (int32) the rois of each image on level l, the images given by RoisNum [N] (int32;
// without it every roi belongs to one image, which changes none of the other outputs).
//
// The level sizes depend on the data: infer() declares R rows for every level and run() shrinks them.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace distribute_fpn_proposals_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

// Levels are FPN strides' log2 (2..6 in practice); the bound keeps the output lists small.
constexpr int64_t kMaxLevels = 64;

class DistributeFpnProposalsRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* rois = ctx.input("FpnRois");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, rois, "FpnRois"));
    if (rois->rank() != 2 || rois->dim(1) != 4)
      return Status::Invalid(op + ": FpnRois " + shp::str(rois->dims()) + " must be [R, 4]");
    min_level_ = desc.get_int("min_level", 2);
    max_level_ = desc.get_int("max_level", 5);
    refer_level_ = desc.get_int("refer_level", 4);
    refer_scale_ = desc.get_int("refer_scale", 224);
    pixel_offset_ = desc.get_bool("pixel_offset", true);
    if (max_level_ < min_level_ || max_level_ - min_level_ >= kMaxLevels || min_level_ < -kMaxLevels ||
        max_level_ > kMaxLevels || refer_level_ < -kMaxLevels || refer_level_ > kMaxLevels)
      return Status::BadModel(op + ": bad min_level / max_level / refer_level");
    if (refer_scale_ <= 0) return Status::BadModel(op + ": refer_scale must be positive");
    const int levels = static_cast<int>(max_level_ - min_level_ + 1);
    if (ctx.output_count("MultiFpnRois") != levels)
      return Status::BadModel(op + ": MultiFpnRois must list max_level - min_level + 1 = " +
                              std::to_string(levels) + " outputs");
    const int nums = ctx.output_count("MultiLevelRoIsNum");
    if (nums != 0 && nums != levels)
      return Status::BadModel(op + ": MultiLevelRoIsNum must list one output per level");
    images_ = 1;
    has_rois_num_ = ctx.input_count("RoisNum") > 0 && ctx.input("RoisNum");
    if (has_rois_num_) {
      const Tensor* num = ctx.input("RoisNum");
      if (num->dtype() != DType::kI32 || num->rank() != 1)
        return Status::Invalid(op + ": RoisNum must be a 1-D int32 tensor");
      images_ = num->dim(0);
    }
    const int64_t r = rois->dim(0);
    for (int l = 0; l < levels; ++l) {
      Tensor* out = ctx.output("MultiFpnRois", l);
      if (!out) return Status::BadModel(op + ": missing output MultiFpnRois");
      out->set_shape(DType::kF32, {r, 4});
      if (nums) {
        Tensor* num = ctx.output("MultiLevelRoIsNum", l);
        if (!num) return Status::BadModel(op + ": missing output MultiLevelRoIsNum");
        num->set_shape(DType::kI32, {images_});
      }
    }
    Tensor* restore = ctx.output("RestoreIndex");
    if (!restore) return Status::BadModel(op + ": missing output RestoreIndex");
    restore->set_shape(DType::kI32, {r, 1});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* rois_t = ctx.input("FpnRois");
    const float* rois = rois_t->data<float>();
    int32_t* restore = ctx.output("RestoreIndex")->mutable_data<int32_t>();
    if (!rois || !restore) return Status::Internal(op + ": unbound tensor data");
    const int64_t r = rois_t->dim(0);
    const int levels = static_cast<int>(max_level_ - min_level_ + 1);

    // Rois per image, checked against R: the counts are data.
    std::vector<int64_t> per_image(static_cast<size_t>(images_), r);
    if (has_rois_num_) {
      const int32_t* num = ctx.input("RoisNum")->data<int32_t>();
      if (!num) return Status::Internal(op + ": unbound RoisNum");
      int64_t sum = 0;
      for (int64_t i = 0; i < images_; ++i) {
        if (num[i] < 0) return Status::Invalid(op + ": negative RoisNum");
        per_image[size_t(i)] = num[i];
        sum += num[i];
      }
      if (sum != r)
        return Status::Invalid(op + ": RoisNum adds up to " + std::to_string(sum) + ", FpnRois has " +
                               std::to_string(r) + " rois");
    }

    std::vector<int> level(static_cast<size_t>(r));
    std::vector<int64_t> count(static_cast<size_t>(levels), 0);
    for (int64_t i = 0; i < r; ++i) {
      const float* b = rois + i * 4;
      float area = 0.f;
      if (!(b[2] < b[0] || b[3] < b[1])) {
        const float w = b[2] - b[0], h = b[3] - b[1];
        area = pixel_offset_ ? (w + 1) * (h + 1) : w * h;
      }
      const float scale = std::sqrt(area);
      const float lv = std::floor(std::log2(scale / static_cast<float>(refer_scale_) + 1e-6f) +
                                  static_cast<float>(refer_level_));
      // Clamp as floats first: NaN and huge values must not reach an int conversion.
      int64_t l = min_level_;
      if (lv >= static_cast<float>(max_level_)) {
        l = max_level_;
      } else if (lv > static_cast<float>(min_level_)) {
        l = static_cast<int64_t>(lv);
      }
      level[size_t(i)] = static_cast<int>(l - min_level_);
      ++count[size_t(level[size_t(i)])];
    }

    // Start row of each level in the concatenation of the levels.
    std::vector<int64_t> start(static_cast<size_t>(levels) + 1, 0);
    for (int l = 0; l < levels; ++l) start[size_t(l) + 1] = start[size_t(l)] + count[size_t(l)];
    std::vector<int64_t> filled(static_cast<size_t>(levels), 0);
    std::vector<float*> dst(static_cast<size_t>(levels));
    for (int l = 0; l < levels; ++l) {
      dst[size_t(l)] = ctx.output("MultiFpnRois", l)->mutable_data<float>();
      if (!dst[size_t(l)]) return Status::Internal(op + ": unbound MultiFpnRois");
    }
    const int nums = ctx.output_count("MultiLevelRoIsNum");
    int64_t row = 0;
    for (int64_t img = 0; img < images_; ++img) {
      std::vector<int64_t> before(filled);
      for (int64_t j = 0; j < per_image[size_t(img)]; ++j, ++row) {
        const size_t l = size_t(level[size_t(row)]);
        std::memcpy(dst[l] + filled[l] * 4, rois + row * 4, 4 * sizeof(float));
        restore[row] = static_cast<int32_t>(start[l] + filled[l]);
        ++filled[l];
      }
      for (int l = 0; l < nums; ++l) {
        int32_t* num = ctx.output("MultiLevelRoIsNum", l)->mutable_data<int32_t>();
        if (!num) return Status::Internal(op + ": unbound MultiLevelRoIsNum");
        num[img] = static_cast<int32_t>(filled[size_t(l)] - before[size_t(l)]);
      }
    }
    for (int l = 0; l < levels; ++l) ctx.output("MultiFpnRois", l)->set_shape(DType::kF32, {count[size_t(l)], 4});
    ctx.outputs_resized();  // later ops infer again from the rows each level got
    return Status::Ok();
  }

 private:
  int64_t min_level_ = 2, max_level_ = 5, refer_level_ = 4, refer_scale_ = 224, images_ = 1;
  bool pixel_offset_ = true, has_rois_num_ = false;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new DistributeFpnProposalsRef());
  return Status::Ok();
}

}  // namespace distribute_fpn_proposals_f32_ref
}  // namespace kernels
}  // namespace tailor
