// grid_sampler.f32.ref — samples NCHW X at the points of Grid [N, out_h, out_w, 2] (x, y in
// [-1, 1]): Output [N, C, out_h, out_w]. A grid value g maps to the pixel coordinate
// (g + 1) / 2 * (size - 1) with align_corners, else ((g + 1) * size - 1) / 2; padding_mode "border"
// clamps it to [0, size - 1], "reflection" reflects it off the borders (at the pixel centres with
// align_corners, else at the outer edges) then clamps, "zeros" keeps it. mode "bilinear" weighs the
// four neighbours, "nearest" takes the rounded one (halves away from zero); neighbours outside the
// image count as 0. Non-finite coordinates sample 0.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace grid_sampler_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

enum class Padding { kZeros, kBorder, kReflection };

// Reflects c into [lo2 / 2, hi2 / 2] (bounds given doubled, as they may be half-integers).
float reflect(float c, float lo2, float hi2) {
  if (lo2 == hi2) return 0.f;
  const float lo = lo2 / 2, span = (hi2 - lo2) / 2;
  c = std::fabs(c - lo);
  const float extra = std::fmod(c, span);
  const float flips = std::floor(c / span);
  return std::fmod(flips, 2.f) == 0.f ? extra + lo : span - extra + lo;
}

class GridSamplerRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    const Tensor* grid = ctx.input("Grid");
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, grid, "Grid"));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Output", 0, &out));
    if (x->rank() != 4) return Status::Unsupported(op + ": X " + shp::str(x->dims()) + " must be 4-D NCHW");
    if (grid->rank() != 4 || grid->dim(0) != x->dim(0) || grid->dim(3) != 2)
      return Status::Invalid(op + ": Grid " + shp::str(grid->dims()) + " must be [N, H, W, 2] with N of X " +
                             shp::str(x->dims()));
    const std::string mode = ctx.op().get_string("mode", "bilinear");
    if (mode != "bilinear" && mode != "nearest") return Status::Unsupported(op + ": mode '" + mode + "'");
    nearest_ = mode == "nearest";
    const std::string pad = ctx.op().get_string("padding_mode", "zeros");
    if (pad == "zeros") {
      padding_ = Padding::kZeros;
    } else if (pad == "border") {
      padding_ = Padding::kBorder;
    } else if (pad == "reflection") {
      padding_ = Padding::kReflection;
    } else {
      return Status::Unsupported(op + ": padding_mode '" + pad + "'");
    }
    align_ = ctx.op().get_bool("align_corners", true);
    Dims od = {x->dim(0), x->dim(1), grid->dim(1), grid->dim(2)};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, od));
    out->set_shape(DType::kF32, std::move(od));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X");
    const Tensor* g_t = ctx.input("Grid");
    Tensor* out_t = ctx.output("Output");
    if (!x_t || !g_t || !out_t || !x_t->raw() || !g_t->raw() || !out_t->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t n = x_t->dim(0), c = x_t->dim(1), h = x_t->dim(2), w = x_t->dim(3);
    const int64_t oh = g_t->dim(1), ow = g_t->dim(2), plane = oh * ow;
    const float* x = x_t->data<float>();
    const float* grid = g_t->data<float>();
    float* out = out_t->mutable_data<float>();
    for (int64_t b = 0; b < n; ++b) {
      for (int64_t p = 0; p < plane; ++p) {
        const float* g = grid + (b * plane + p) * 2;
        const float sx = source(g[0], w), sy = source(g[1], h);
        for (int64_t ch = 0; ch < c; ++ch) {
          const float* img = x + (b * c + ch) * h * w;
          out[(b * c + ch) * plane + p] = nearest_ ? sample_nearest(img, h, w, sx, sy)
                                                   : sample_bilinear(img, h, w, sx, sy);
        }
      }
    }
    return Status::Ok();
  }

 private:
  float source(float g, int64_t size) const {
    const float s = static_cast<float>(size);
    float c = align_ ? (g + 1) / 2 * (s - 1) : ((g + 1) * s - 1) / 2;
    if (padding_ == Padding::kReflection)
      c = align_ ? reflect(c, 0, 2 * (s - 1)) : reflect(c, -1, 2 * s - 1);
    if (padding_ != Padding::kZeros) c = std::fmin(std::fmax(c, 0.f), s - 1);
    return c;
  }

  // Whether a coordinate is close enough to the image to be converted to an integer safely.
  static bool near(float c, int64_t size) { return c > -2.f && c < static_cast<float>(size) + 1.f; }

  static float at(const float* img, int64_t h, int64_t w, int64_t y, int64_t x) {
    return (y >= 0 && y < h && x >= 0 && x < w) ? img[y * w + x] : 0.f;
  }

  static float sample_nearest(const float* img, int64_t h, int64_t w, float sx, float sy) {
    if (!near(sx, w) || !near(sy, h)) return 0.f;
    return at(img, h, w, static_cast<int64_t>(std::round(sy)), static_cast<int64_t>(std::round(sx)));
  }

  static float sample_bilinear(const float* img, int64_t h, int64_t w, float sx, float sy) {
    if (!near(sx, w) || !near(sy, h)) return 0.f;
    const float fx = std::floor(sx), fy = std::floor(sy);
    const int64_t x0 = static_cast<int64_t>(fx), y0 = static_cast<int64_t>(fy);
    const float dx = sx - fx, dy = sy - fy;
    return at(img, h, w, y0, x0) * (1 - dx) * (1 - dy) + at(img, h, w, y0, x0 + 1) * dx * (1 - dy) +
           at(img, h, w, y0 + 1, x0) * (1 - dx) * dy + at(img, h, w, y0 + 1, x0 + 1) * dx * dy;
  }

  bool nearest_ = false, align_ = true;
  Padding padding_ = Padding::kZeros;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<GridSamplerRef>("grid_sampler.f32.ref", out);
}

}  // namespace grid_sampler_f32_ref
}  // namespace kernels
}  // namespace tailor
