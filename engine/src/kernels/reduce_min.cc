// reduce_min (float32/float64/int32/int64): minimum over `dim`.
// Dims, keep_dim and reduce_all follow shape_util::plan_reduce.
#include <limits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_min_any_ref {

namespace su = helpers::shape_util;

namespace {

struct Min : su::InPlaceFold {
  // The fold's identity (+inf for floats), so that every output element is
  // written even when its first input is NaN.
  template <typename T>
  static T first() {
    return std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity()
                                                : std::numeric_limits<T>::max();
  }
  template <typename T>
  static void combine(T& acc, T x) {
    if (x < acc) acc = x;
  }
};

class ReduceMin final : public su::ReduceKernel {
 public:
  Status infer(OpContext& ctx) override { return infer_fold<Min>(ctx); }
  Status run(OpContext& ctx) override { return run_fold<Min>(ctx); }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ReduceMin>("reduce_min.any.ref", out);
}

}  // namespace reduce_min_any_ref
}  // namespace kernels
}  // namespace tailor
