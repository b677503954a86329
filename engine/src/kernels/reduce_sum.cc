// reduce_sum (float32/float64/int32/int64): sum over `dim`.
// Dims, keep_dim and reduce_all follow shape_util::plan_reduce; the sum is
// shape_util::WideSum (double for floats, wrap-around 64-bit for integers).
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_sum_any_ref {

namespace su = helpers::shape_util;

namespace {

struct Sum : su::WideSum {
  template <typename T>
  static T finish(Acc<T> acc, int64_t /*count*/) {
    return static_cast<T>(total<T>(acc));
  }
};

class ReduceSum final : public su::ReduceKernel {
 public:
  Status infer(OpContext& ctx) override { return infer_fold<Sum>(ctx); }
  Status run(OpContext& ctx) override { return run_fold<Sum>(ctx); }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ReduceSum>("reduce_sum.any.ref", out);
}

}  // namespace reduce_sum_any_ref
}  // namespace kernels
}  // namespace tailor
