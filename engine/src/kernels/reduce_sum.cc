// reduce_sum (float32/float64/int32/int64): sum over `dim`.
// Dims, keep_dim and reduce_all follow shape_util::plan_reduce. Floats
// accumulate in double (scratch), integers in 64-bit wrap-around arithmetic.
#include <cstring>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_sum_any_ref {

namespace su = helpers::shape_util;

namespace {

template <typename T, typename Acc>
void reduce(const su::ReducePlan& p, const T* x, Acc* acc, T* out, int64_t out_n) {
  for (int64_t i = 0; i < out_n; ++i) acc[i] = 0;
  su::for_each_reduced(p, [&](int64_t o, int64_t i) { acc[o] += static_cast<Acc>(x[i]); });
  for (int64_t i = 0; i < out_n; ++i) out[i] = static_cast<T>(acc[i]);
}

// Signed integer sums wrap like Paddle's instead of overflowing (undefined in C++).
template <typename T>
void reduce_int(const su::ReducePlan& p, const T* x, uint64_t* acc, T* out, int64_t out_n) {
  for (int64_t i = 0; i < out_n; ++i) acc[i] = 0;
  su::for_each_reduced(p, [&](int64_t o, int64_t i) { acc[o] += static_cast<uint64_t>(static_cast<int64_t>(x[i])); });
  for (int64_t i = 0; i < out_n; ++i) {
    int64_t v = 0;
    std::memcpy(&v, &acc[i], sizeof v);  // two's complement reinterpretation
    out[i] = static_cast<T>(v);
  }
}

class ReduceSum final : public Kernel {
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
    ctx.request_scratch(static_cast<size_t>(dims_numel(plan_.out_dims)) * 8);  // double / uint64 accumulators
    out->set_shape(t, plan_.out_dims);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    void* scratch = ctx.scratch();
    if (!x || !out || !x->raw() || !out->raw_mut() || !scratch) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    const int64_t n = out->numel();
    switch (x->dtype()) {
      case DType::kF32:
        reduce(plan_, x->data<float>(), static_cast<double*>(scratch), out->mutable_data<float>(), n);
        break;
      case DType::kF64:
        reduce(plan_, x->data<double>(), static_cast<double*>(scratch), out->mutable_data<double>(), n);
        break;
      case DType::kI32:
        reduce_int(plan_, x->data<int32_t>(), static_cast<uint64_t*>(scratch), out->mutable_data<int32_t>(), n);
        break;
      case DType::kI64:
        reduce_int(plan_, x->data<int64_t>(), static_cast<uint64_t*>(scratch), out->mutable_data<int64_t>(), n);
        break;
      default:
        return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }

 private:
  su::ReducePlan plan_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ReduceSum>("reduce_sum.any.ref", out);
}

}  // namespace reduce_sum_any_ref
}  // namespace kernels
}  // namespace tailor
