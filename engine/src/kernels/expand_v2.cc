// expand_v2 (any dtype): broadcasts X to a target shape.
//
// Target: Shape tensor > expand_shapes_tensor list > `shape` attribute (Paddle
// Lite's priority). X is right-aligned with it; -1 keeps X's dim; any other
// value must equal X's dim or X's dim must be 1.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace expand_v2_any_ref {

namespace su = helpers::shape_util;

namespace {

class ExpandV2 final : public su::StridedCopyKernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    std::vector<int64_t> shape;
    if (su::has_input(ctx, "Shape")) {
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "Shape", *ctx.input("Shape", 0), &shape));
    } else if (ctx.input_count("expand_shapes_tensor") > 0) {
      TAILOR_RETURN_IF_ERROR(su::read_int_list(ctx, op, "expand_shapes_tensor", &shape));
    } else {
      shape = ctx.op().get_ints("shape");
    }
    const Dims& x_dims = x->dims();
    if (shape.size() < x_dims.size() || shape.size() > static_cast<size_t>(su::kMaxRank)) {
      return Status::Invalid(op + ": target shape " + su::ints_str(shape) + " does not fit input " +
                             su::dims_str(x_dims));
    }
    const size_t lead = shape.size() - x_dims.size();
    const std::vector<int64_t> x_strides = su::strides_of(x_dims);
    Dims out_dims(shape.size());
    src_strides_.assign(shape.size(), 0);
    for (size_t i = 0; i < shape.size(); ++i) {
      const int64_t in = i < lead ? 1 : x_dims[i - lead];
      const int64_t want = shape[i] == -1 ? in : shape[i];
      if (want != in && in != 1) {
        return Status::Invalid(op + ": cannot expand input " + su::dims_str(x_dims) + " to " + su::ints_str(shape));
      }
      out_dims[i] = want;  // <= 0 is refused by check_shape below
      // A broadcast dim re-reads the same data: stride 0.
      src_strides_[i] = (i < lead || in == 1) ? 0 : x_strides[i - lead];
    }
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    copy_dims_ = out_dims;
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ExpandV2>("expand_v2.any.ref", out);
}

}  // namespace expand_v2_any_ref
}  // namespace kernels
}  // namespace tailor
