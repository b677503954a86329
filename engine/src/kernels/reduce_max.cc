// reduce_max (float32/float64/int32/int64): maximum over `dim`.
// Dims, keep_dim and reduce_all follow shape_util::plan_reduce.
#include <limits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_max_any_ref {

namespace su = helpers::shape_util;

namespace {

struct Max : su::InPlaceFold {
  // The fold's identity (-inf for floats), so that every output element is
  // written even when its first input is NaN.
  template <typename T>
  static T first() {
    return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                : std::numeric_limits<T>::lowest();
  }
  template <typename T>
  static void combine(T& acc, T x) {
    if (x > acc) acc = x;
  }
};

class ReduceMax final : public su::ReduceKernel {
 public:
  Status infer(OpContext& ctx) override { return infer_fold<Max>(ctx); }
  Status run(OpContext& ctx) override { return run_fold<Max>(ctx); }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ReduceMax>("reduce_max.any.ref", out);
}

}  // namespace reduce_max_any_ref
}  // namespace kernels
}  // namespace tailor
