// not_equal: Out = X != Y (bool) for float32/float64/int32/int64 X, Y of one dtype, with Paddle's
// `axis` broadcasting. Floats differ unless |x - y| < 1e-8 (Lite's equality, see equal.cc).
#include <cmath>
#include <type_traits>

#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace not_equal_any_ref {

namespace {

template <typename T>
struct NotEqual {
  bool operator()(T a, T b) const {
    if constexpr (std::is_floating_point<T>::value) {
      return !(std::fabs(static_cast<double>(a - b)) < 1e-8);
    } else {
      return a != b;
    }
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::logic_util::create_comparison<NotEqual>("not_equal.any.ref", out);
}

}  // namespace not_equal_any_ref
}  // namespace kernels
}  // namespace tailor
