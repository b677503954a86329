// polygon_box_transform.f32.ref — EAST's geometry decoding on NCHW Input: plane p of the N * C planes
// (p = n * C + c) becomes 4 * column - x when p is even and 4 * row - x when p is odd (the offsets of the
// quadrangle corners, relative to a 4x downsampled grid, turned into absolute coordinates).
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace polygon_box_transform_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class PolygonBoxTransformRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    Tensor* out = ctx.output("Output");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    if (!out) return Status::BadModel(op + ": missing output Output");
    if (x->rank() != 4) return Status::Invalid(op + ": Input " + shp::str(x->dims()) + " must be 4-D NCHW");
    out->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("Input");
    Tensor* out_t = ctx.output("Output");
    const float* x = x_t->data<float>();
    float* out = out_t->mutable_data<float>();
    if (!x || !out) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t planes = x_t->dim(0) * x_t->dim(1), h = x_t->dim(2), w = x_t->dim(3);
    for (int64_t p = 0; p < planes; ++p) {
      for (int64_t r = 0; r < h; ++r) {
        const int64_t base = (p * h + r) * w;
        for (int64_t c = 0; c < w; ++c) {
          const float grid = static_cast<float>(4 * (p % 2 == 0 ? c : r));
          out[base + c] = grid - x[base + c];
        }
      }
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new PolygonBoxTransformRef());
  return Status::Ok();
}

}  // namespace polygon_box_transform_f32_ref
}  // namespace kernels
}  // namespace tailor
