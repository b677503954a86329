// equal: Out = X == Y (bool) for float32/float64/int32/int64 X, Y of one dtype, with Paddle's
// `axis` broadcasting. Floats are equal as Lite decides it, |x - y| < 1e-8 with the difference taken
// in the input type (so inf == inf is false, as in Lite).
#include <cmath>
#include <type_traits>

#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace equal_any_ref {

namespace {

template <typename T>
struct Equal {
  bool operator()(T a, T b) const {
    if constexpr (std::is_floating_point<T>::value) {
      return (std::fabs(static_cast<double>(a - b)) < 1e-8);
    } else {
      return a == b;
    }
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::logic_util::create_comparison<Equal>("equal.any.ref", out);
}

}  // namespace equal_any_ref
}  // namespace kernels
}  // namespace tailor
