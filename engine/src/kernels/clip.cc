// clip.f32.ref — Out = min(max(X, min), max); optional one-element Min / Max tensors override
// the attributes at run time (as Lite's ClipCompute does).
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace clip_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class ClipRef final : public Kernel {
 public:
  ClipRef(float lo, float hi) : lo_(lo), hi_(hi) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Out");
    for (const char* slot : {"Min", "Max"}) {
      if (const Tensor* t = ctx.input(slot)) {
        TAILOR_RETURN_IF_ERROR(shp::require_f32(op, t, slot));
        if (t->numel() < 1) return Status::Invalid(op + ": " + slot + " tensor is empty");
      }
    }
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X");
    const float* x = x_t->data<float>();
    float* y = ctx.output("Out")->mutable_data<float>();
    if (!x || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
    float lo = lo_, hi = hi_;
    if (const Tensor* t = ctx.input("Min")) {
      if (!t->raw()) return Status::Internal(ctx.op().type + ": unbound Min");
      lo = t->data<float>()[0];
    }
    if (const Tensor* t = ctx.input("Max")) {
      if (!t->raw()) return Status::Internal(ctx.op().type + ": unbound Max");
      hi = t->data<float>()[0];
    }
    const int64_t n = x_t->numel();
    for (int64_t i = 0; i < n; ++i) {
      const float v = x[i] < lo ? lo : x[i];
      y[i] = v > hi ? hi : v;
    }
    return Status::Ok();
  }

 private:
  float lo_, hi_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  out->reset(new ClipRef(static_cast<float>(op.get_float("min", -3.4e38)),
                         static_cast<float>(op.get_float("max", 3.4e38))));
  return Status::Ok();
}

}  // namespace clip_f32_ref
}  // namespace kernels
}  // namespace tailor
