// less_than: Out = X < Y (bool) for float32/float64/int32/int64 X, Y of one dtype, with Paddle's
// `axis` broadcasting.
#include "helpers/logic/logic_util.h"

namespace tailor {
namespace kernels {
namespace less_than_any_ref {

namespace {

template <typename T>
struct Less {
  bool operator()(T a, T b) const {
    return a < b;
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return helpers::logic_util::create_comparison<Less>("less_than.any.ref", out);
}

}  // namespace less_than_any_ref
}  // namespace kernels
}  // namespace tailor
