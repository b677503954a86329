// squeeze / squeeze2 (any dtype): drops size-1 dims. With empty `axes` every
// size-1 dim goes; listed axes whose dim is not 1 are kept (Paddle Lite's
// run-time rule), out-of-range axes are refused.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace squeeze_any_ref {

namespace su = helpers::shape_util;

namespace {

class Squeeze final : public su::ReshapeLike {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const Dims x_dims = x->dims();
    const int rank = x->rank();
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
    Dims out_dims;
    for (int i = 0; i < rank; ++i) {
      if (!drop[static_cast<size_t>(i)]) out_dims.push_back(x_dims[static_cast<size_t>(i)]);
    }
    out->set_shape(x->dtype(), std::move(out_dims));
    return su::declare_xshape(ctx, x_dims);
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
