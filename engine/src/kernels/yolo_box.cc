// yolo_box: decodes a YOLOv3 head X [N, A * (5 + classes), H, W] into Boxes [N, A*H*W, 4] (pixel corners
// of each image in ImgSize [N, 2] int32 = height, width) and Scores [N, A*H*W, classes] (objectness *
// class sigmoid). Cells whose objectness is below conf_thresh stay 0. Paddle's per-axis formula: x by the
// grid width and downsample * W, y by the grid height and downsample * H. Paddle Lite's host kernel (the
// one both ARM and x86 models use) uses the height on both axes, a defect that only shows on non-square
// grids (docs/engine-conformance.md); on square ones the two agree to the bit.
#include <cmath>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace yolo_box_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

inline float sigmoid(float x) { return 1.f / (1.f + std::exp(-x)); }

class YoloBox final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const OpDesc& d = ctx.op();
    const Tensor *x = nullptr, *img = nullptr;
    Tensor *boxes = nullptr, *scores = nullptr;
    TAILOR_RETURN_IF_ERROR(du::get_f32(ctx, op, "X", 4, &x));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "ImgSize", 0, &img));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Boxes", 0, &boxes));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Scores", 0, &scores));
    if (d.get_bool("iou_aware", false)) return Status::Unsupported(op + ": iou_aware is not supported");
    const std::vector<int64_t> anchors = d.get_ints("anchors");
    class_num_ = d.get_int("class_num", 0);
    downsample_ = d.get_int("downsample_ratio", 32);
    conf_thresh_ = static_cast<float>(d.get_float("conf_thresh", 0.01));
    clip_ = d.get_bool("clip_bbox", true);
    scale_ = static_cast<float>(d.get_float("scale_x_y", 1.0));
    if (anchors.empty() || anchors.size() % 2 || anchors.size() > 1024)
      return Status::Invalid(op + ": anchors must hold 1 to 512 (width, height) pairs");
    for (int64_t a : anchors) {
      if (a < 0 || a > (1 << 20)) return Status::Invalid(op + ": anchor size " + std::to_string(a) + " out of range");
    }
    if (class_num_ < 1 || class_num_ > (1 << 16)) return Status::Invalid(op + ": class_num must be in [1, 65536]");
    if (downsample_ < 1 || downsample_ > (1 << 16))
      return Status::Invalid(op + ": downsample_ratio must be in [1, 65536]");
    if (!std::isfinite(conf_thresh_) || !std::isfinite(scale_)) return Status::Invalid(op + ": non-finite attribute");
    anchors_.assign(anchors.begin(), anchors.end());
    const Dims& xd = x->dims();
    const int64_t an = static_cast<int64_t>(anchors.size() / 2);
    if (xd[1] != an * (5 + class_num_)) {
      return Status::Invalid(op + ": X has " + std::to_string(xd[1]) +
                             " channels, expected anchors * (5 + class_num) = " + std::to_string(an * (5 + class_num_)));
    }
    if (xd[2] * downsample_ > INT32_MAX)
      return Status::Invalid(op + ": grid height times downsample_ratio overflows");
    if (img->dtype() != DType::kI32 || img->rank() != 2 || img->dim(0) != xd[0] || img->dim(1) != 2) {
      return Status::Invalid(op + ": ImgSize must be int32 [N, 2] with N = " + std::to_string(xd[0]) + ", got " +
                             dtype_name(img->dtype()) + " " + su::dims_str(img->dims()));
    }
    const int64_t num = an * xd[2] * xd[3];
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Boxes", Dims{xd[0], num, 4}));
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "Scores", Dims{xd[0], num, class_num_}));
    boxes->set_shape(DType::kF32, Dims{xd[0], num, 4});
    scores->set_shape(DType::kF32, Dims{xd[0], num, class_num_});
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    const Tensor* img = ctx.input("ImgSize", 0);
    Tensor* boxes = ctx.output("Boxes", 0);
    Tensor* scores = ctx.output("Scores", 0);
    if (!x || !img || !boxes || !scores || !x->raw() || !img->raw() || !boxes->raw_mut() || !scores->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t n = x->dim(0), h = x->dim(2), w = x->dim(3), an = static_cast<int64_t>(anchors_.size() / 2);
    const int64_t stride = h * w, an_stride = (5 + class_num_) * stride, num = an * stride;
    const int grid_h = static_cast<int>(h), grid_w = static_cast<int>(w);
    const int input_h = static_cast<int>(downsample_ * h), input_w = static_cast<int>(downsample_ * w);
    const float bias = -0.5f * (scale_ - 1.f);
    const float* xd = x->data<float>();
    const int32_t* sizes = img->data<int32_t>();
    float* bo = boxes->mutable_data<float>();
    float* so = scores->mutable_data<float>();
    for (int64_t k = 0; k < boxes->numel(); ++k) bo[k] = 0.f;
    for (int64_t k = 0; k < scores->numel(); ++k) so[k] = 0.f;
    for (int64_t i = 0; i < n; ++i) {
      const int img_h = sizes[2 * i], img_w = sizes[2 * i + 1];
      for (int64_t a = 0; a < an; ++a) {
        const float* base = xd + (i * an + a) * an_stride;
        for (int64_t k = 0; k < h; ++k) {
          for (int64_t l = 0; l < w; ++l) {
            const int64_t hw = k * w + l;
            const float conf = sigmoid(base[4 * stride + hw]);
            if (conf < conf_thresh_) continue;
            // Same operation order as Lite (float math, int factors) for bit-close results.
            const float cx = (static_cast<float>(l) + sigmoid(base[hw]) * scale_ + bias) * img_w / grid_w;
            const float cy = (static_cast<float>(k) + sigmoid(base[stride + hw]) * scale_ + bias) * img_h / grid_h;
            const float bw = std::exp(base[2 * stride + hw]) * anchors_[2 * a] * img_w / input_w;
            const float bh = std::exp(base[3 * stride + hw]) * anchors_[2 * a + 1] * img_h / input_h;
            float* b = bo + (i * num + a * stride + hw) * 4;
            b[0] = cx - bw / 2;
            b[1] = cy - bh / 2;
            b[2] = cx + bw / 2;
            b[3] = cy + bh / 2;
            if (clip_) {
              b[0] = b[0] > 0 ? b[0] : 0.f;
              b[1] = b[1] > 0 ? b[1] : 0.f;
              const float max_x = static_cast<float>(int64_t{img_w} - 1);
              const float max_y = static_cast<float>(int64_t{img_h} - 1);
              b[2] = b[2] < max_x ? b[2] : max_x;
              b[3] = b[3] < max_y ? b[3] : max_y;
            }
            float* s = so + (i * num + a * stride + hw) * class_num_;
            for (int64_t c = 0; c < class_num_; ++c) s[c] = conf * sigmoid(base[(5 + c) * stride + hw]);
          }
        }
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<int> anchors_;
  int64_t class_num_ = 0, downsample_ = 32;
  float conf_thresh_ = 0.f, scale_ = 1.f;
  bool clip_ = true;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<YoloBox>("yolo_box.f32.ref", out);
}

}  // namespace yolo_box_f32_ref
}  // namespace kernels
}  // namespace tailor
