// argsort.f32.ref — sorts X along `axis` (ascending, or descending): Out the sorted values, Indices
// (int64) their positions; ties keep index order and NaN sorts above every number (helpers/sort).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/sort/sort.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace argsort_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class ArgsortRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    Tensor* indices = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Indices", 0, &indices));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", -1), x->rank(), &axis));
    TAILOR_RETURN_IF_ERROR(shp::split_at_axis(op, x->dims(), axis, &outer_, &n_, &inner_));
    descending_ = ctx.op().get_bool("descending", false);
    out->set_shape(DType::kF32, x->dims());
    indices->set_shape(DType::kI64, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    Tensor* indices = ctx.output("Indices", 0);
    if (!x || !out || !indices || !x->raw() || !out->raw_mut() || !indices->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    helpers::sort_ref::sorted_slices(x->data<float>(), outer_, n_, inner_, n_, descending_,
                                     out->mutable_data<float>(), indices->mutable_data<int64_t>(), &order_);
    return Status::Ok();
  }

 private:
  bool descending_ = false;
  int64_t outer_ = 1, n_ = 1, inner_ = 1;
  std::vector<int64_t> order_;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<ArgsortRef>("argsort.f32.ref", out);
}

}  // namespace argsort_f32_ref
}  // namespace kernels
}  // namespace tailor
