// squeeze / squeeze2 (any dtype): drops size-1 dims. With empty `axes` every
// size-1 dim goes; listed axes whose dim is not 1 are kept (Paddle Lite's
// run-time rule), out-of-range axes are refused.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace squeeze_any_ref {

namespace su = helpers::shape_util;

namespace {

class Squeeze final : public su::ReshapeRule {
 private:
  Status out_dims(const OpContext& ctx, const std::string& op, const Dims& x_dims, Dims* out) const override {
    const int rank = static_cast<int>(x_dims.size());
    std::vector<bool> drop(static_cast<size_t>(rank), false);
    const std::vector<int64_t> axes = ctx.op().get_ints("axes");
    if (axes.empty()) {
      for (int i = 0; i < rank; ++i) drop[static_cast<size_t>(i)] = x_dims[static_cast<size_t>(i)] == 1;
    } else {
      for (int64_t a : axes) {
        int axis = 0;
        TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axes entry", a, rank, &axis));
        if (x_dims[static_cast<size_t>(axis)] == 1) drop[static_cast<size_t>(axis)] = true;
      }
    }
    for (int i = 0; i < rank; ++i) {
      if (!drop[static_cast<size_t>(i)]) out->push_back(x_dims[static_cast<size_t>(i)]);
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Squeeze>("squeeze.any.ref", out);
}

}  // namespace squeeze_any_ref
}  // namespace kernels
}  // namespace tailor
