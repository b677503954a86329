// norm.f32.ref — the norm op (L2 normalization along `axis`):
// Out = X / sqrt(sum(X^2 over axis) + epsilon); the optional Norm output (X's dims with the axis
// as 1) gets the divisor sqrt(sum + epsilon).
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace norm_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class NormRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    eps_ = static_cast<float>(ctx.op().get_float("epsilon", 1e-10));
    if (!(eps_ >= 0.f)) return Status::BadModel(op + ": epsilon must not be negative");
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", -1), x->rank(), &axis));
    TAILOR_RETURN_IF_ERROR(shp::split_at_axis(op, x->dims(), axis, &outer_, &size_, &inner_));
    out->set_shape(DType::kF32, x->dims());
    if (Tensor* norm = ctx.output("Norm")) {
      Dims nd = x->dims();
      nd[static_cast<size_t>(axis)] = 1;
      norm->set_shape(DType::kF32, std::move(nd));
    }
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    Tensor* norm_t = ctx.output("Norm");
    if (!x || !out || !x->raw() || !out->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const float* in = x->data<float>();
    float* o = out->mutable_data<float>();
    float* norm = norm_t ? norm_t->mutable_data<float>() : nullptr;  // optional: written when bound
    for (int64_t a = 0; a < outer_; ++a) {
      for (int64_t k = 0; k < inner_; ++k) {
        const float* p = in + a * size_ * inner_ + k;
        float* q = o + a * size_ * inner_ + k;
        double sum = 0;
        for (int64_t i = 0; i < size_; ++i) sum += static_cast<double>(p[i * inner_]) * p[i * inner_];
        const float d = static_cast<float>(std::sqrt(sum + eps_));
        for (int64_t i = 0; i < size_; ++i) q[i * inner_] = p[i * inner_] / d;
        if (norm) norm[a * inner_ + k] = d;
      }
    }
    return Status::Ok();
  }

 private:
  float eps_ = 1e-10f;
  int64_t outer_ = 1, size_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<NormRef>("norm.f32.ref", out);
}

}  // namespace norm_f32_ref
}  // namespace kernels
}  // namespace tailor
