// affine_grid.f32.ref — the sampling grid of an affine transform: for Theta [N, 2, 3] and output
// size H x W (the `output_shape` attribute [N, C, H, W], or the constant OutputShape input),
// Output[n, h, w] = Theta[n] * (x_w, y_h, 1) with x_w, y_h evenly spaced over [-1, 1]
// (align_corners) or over [-1 + 1/W, 1 - 1/W] (pixel centres, align_corners false). Output is
// [N, H, W, 2].
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace affine_grid_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class AffineGridRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* theta = ctx.input("Theta");
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, theta, "Theta"));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Output", 0, &out));
    if (theta->rank() != 3 || theta->dim(1) != 2 || theta->dim(2) != 3)
      return Status::Invalid(op + ": Theta " + shp::str(theta->dims()) + " must be [N, 2, 3]");
    std::vector<int64_t> shape;
    if (su::has_input(ctx, "OutputShape")) {
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "OutputShape", *ctx.input("OutputShape"), &shape));
    } else {
      shape = ctx.op().get_ints("output_shape");
    }
    if (shape.size() != 4 || shape[2] < 1 || shape[3] < 1)
      return Status::Invalid(op + ": output shape " + su::ints_str(shape) +
                             " must be [N, C, H, W] with H, W >= 1");
    align_ = ctx.op().get_bool("align_corners", true);
    Dims od = {theta->dim(0), shape[2], shape[3], 2};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, od));
    out->set_shape(DType::kF32, std::move(od));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* theta_t = ctx.input("Theta");
    Tensor* out_t = ctx.output("Output");
    if (!theta_t || !out_t || !theta_t->raw() || !out_t->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t n = out_t->dim(0), h = out_t->dim(1), w = out_t->dim(2);
    const float* theta = theta_t->data<float>();
    float* out = out_t->mutable_data<float>();
    for (int64_t b = 0; b < n; ++b) {
      const float* t = theta + b * 6;
      for (int64_t i = 0; i < h; ++i) {
        const float y = coord(i, h);
        for (int64_t j = 0; j < w; ++j) {
          const float x = coord(j, w);
          *out++ = t[0] * x + t[1] * y + t[2];
          *out++ = t[3] * x + t[4] * y + t[5];
        }
      }
    }
    return Status::Ok();
  }

 private:
  // The i-th of `size` points evenly spaced over [-1, 1], scaled by (size - 1) / size without
  // align_corners; a single point is -1 (Paddle's linspace), 0 once scaled.
  float coord(int64_t i, int64_t size) const {
    if (size == 1) return align_ ? -1.f : 0.f;
    const float v = -1.f + 2.f * static_cast<float>(i) / static_cast<float>(size - 1);
    return align_ ? v : v * static_cast<float>(size - 1) / static_cast<float>(size);
  }

  bool align_ = true;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<AffineGridRef>("affine_grid.f32.ref", out);
}

}  // namespace affine_grid_f32_ref
}  // namespace kernels
}  // namespace tailor
