// reduce_max (float32/float64/int32/int64): maximum over `dim`.
// Dims, keep_dim and reduce_all follow shape_util::plan_reduce.
#include <limits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_max_any_ref {

namespace su = helpers::shape_util;

namespace {

template <typename T>
void reduce(const su::ReducePlan& p, const T* x, T* out, int64_t out_n) {
  // Start from the identity of the fold (+-inf for floats) so every output
  // element is written even when its first input is NaN.
  const T init = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                      : std::numeric_limits<T>::lowest();
  for (int64_t i = 0; i < out_n; ++i) out[i] = init;
  su::for_each_reduced(p, [&](int64_t o, int64_t i) {
    if (x[i] > out[o]) out[o] = x[i];
  });
}

class ReduceMax final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const DType t = x->dtype();
    if (t != DType::kF32 && t != DType::kF64 && t != DType::kI32 && t != DType::kI64) {
      return Status::Unsupported(op + ": unsupported dtype " + dtype_name(t));
    }
    TAILOR_RETURN_IF_ERROR(su::plan_reduce(ctx, op, *x, &plan_));
    out->set_shape(t, plan_.out_dims);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const int64_t n = out->numel();
    switch (x->dtype()) {
      case DType::kF32: reduce(plan_, x->data<float>(), out->mutable_data<float>(), n); break;
      case DType::kF64: reduce(plan_, x->data<double>(), out->mutable_data<double>(), n); break;
      case DType::kI32: reduce(plan_, x->data<int32_t>(), out->mutable_data<int32_t>(), n); break;
      case DType::kI64: reduce(plan_, x->data<int64_t>(), out->mutable_data<int64_t>(), n); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }

 private:
  su::ReducePlan plan_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ReduceMax>("reduce_max.any.ref", out);
}

}  // namespace reduce_max_any_ref
}  // namespace kernels
}  // namespace tailor
