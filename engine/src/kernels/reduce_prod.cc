// reduce_prod (float32/float64/int32/int64): product over `dim`.
// Dims, keep_dim and reduce_all follow shape_util::plan_reduce. Floats multiply in double; integers
// in uint64_t, so that overflow wraps like Paddle's instead of being undefined.
#include <cstring>
#include <type_traits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reduce_prod_any_ref {

namespace su = helpers::shape_util;

namespace {

struct Prod {
  static constexpr size_t kAccBytes = 8;
  template <typename T>
  using Acc = std::conditional_t<std::is_floating_point<T>::value, double, uint64_t>;
  template <typename T>
  static Acc<T> first() {
    return 1;
  }
  template <typename T>
  static void combine(Acc<T>& acc, T x) {
    if constexpr (std::is_floating_point<T>::value) {
      acc *= static_cast<double>(x);
    } else {
      acc *= static_cast<uint64_t>(static_cast<int64_t>(x));
    }
  }
  template <typename T>
  static T finish(Acc<T> acc, int64_t /*count*/) {
    if constexpr (std::is_floating_point<T>::value) {
      return static_cast<T>(acc);
    } else {
      int64_t v = 0;
      std::memcpy(&v, &acc, sizeof v);  // two's complement reinterpretation
      return static_cast<T>(v);
    }
  }
};

class ReduceProd final : public su::ReduceKernel {
 public:
  Status infer(OpContext& ctx) override { return infer_fold<Prod>(ctx); }
  Status run(OpContext& ctx) override { return run_fold<Prod>(ctx); }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ReduceProd>("reduce_prod.any.ref", out);
}

}  // namespace reduce_prod_any_ref
}  // namespace kernels
}  // namespace tailor
