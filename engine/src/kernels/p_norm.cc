// p_norm.f32.ref — the vector p-norm of X along `axis` (or of all elements with `asvector`), as
// Paddle computes it: porder 0 counts the nonzero elements, inf / -inf take max / min |x|, any
// other p gives (sum |x|^p)^(1/p) (epsilon only matters for the gradient). keepdim keeps the axis
// as 1. Paddle Lite's host kernel is not followed where it is wrong: it truncates porder to an int
// (inf overflows), raises x rather than |x| to the power and ignores asvector.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace p_norm_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class PNormRef final : public Kernel {
 public:
  explicit PNormRef(float porder) : porder_(porder) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    const bool keepdim = ctx.op().get_bool("keepdim", false);
    Dims out_dims;
    if (ctx.op().get_bool("asvector", false)) {
      outer_ = inner_ = 1;
      size_ = x->numel();
      if (keepdim) out_dims.assign(x->dims().size(), 1);
    } else {
      int axis = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", -1), x->rank(), &axis));
      TAILOR_RETURN_IF_ERROR(shp::split_at_axis(op, x->dims(), axis, &outer_, &size_, &inner_));
      for (int d = 0; d < x->rank(); ++d) {
        if (d != axis) {
          out_dims.push_back(x->dim(d));
        } else if (keepdim) {
          out_dims.push_back(1);
        }
      }
    }
    if (out_dims.empty()) out_dims.push_back(1);  // Paddle gives 0-D, Lite [1]
    out->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const float* in = x->data<float>();
    float* o = out->mutable_data<float>();
    for (int64_t a = 0; a < outer_; ++a)
      for (int64_t k = 0; k < inner_; ++k) o[a * inner_ + k] = norm(in + a * size_ * inner_ + k);
    return Status::Ok();
  }

 private:
  float norm(const float* p) const {
    if (porder_ == 0.f) {
      int64_t nonzero = 0;
      for (int64_t i = 0; i < size_; ++i) nonzero += p[i * inner_] != 0.f;
      return static_cast<float>(nonzero);
    }
    if (std::isinf(porder_)) {
      float m = std::fabs(p[0]);
      for (int64_t i = 1; i < size_; ++i)
        m = porder_ > 0 ? std::max(m, std::fabs(p[i * inner_])) : std::min(m, std::fabs(p[i * inner_]));
      return m;
    }
    double sum = 0;
    for (int64_t i = 0; i < size_; ++i)
      sum += std::pow(std::fabs(static_cast<double>(p[i * inner_])), static_cast<double>(porder_));
    return static_cast<float>(std::pow(sum, 1.0 / porder_));
  }

  float porder_;
  int64_t outer_ = 1, size_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const double porder = init.op().get_float("porder", 2.0);
  if (std::isnan(porder)) return Status::BadModel("p_norm: porder is NaN");
  out->reset(new (std::nothrow) PNormRef(static_cast<float>(porder)));
  return *out ? Status::Ok() : Status::NoMemory("p_norm.f32.ref: out of memory creating kernel");
}

}  // namespace p_norm_f32_ref
}  // namespace kernels
}  // namespace tailor
