// transpose / transpose2 (any dtype): out dim i = in dim axis[i].
// `axis` must be a permutation of the input's dims; negative entries count
// from the end (Paddle 2.x accepts them, Lite's checks predate that).
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace transpose_any_ref {

namespace su = helpers::shape_util;

namespace {

class Transpose final : public su::StridedCopyKernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    const std::vector<int64_t> axis = ctx.op().get_ints("axis");
    const int rank = x->rank();
    if (axis.size() != static_cast<size_t>(rank)) {
      return Status::Invalid(op + ": axis " + su::ints_str(axis) + " does not match input rank " +
                             std::to_string(rank));
    }
    const Dims x_dims = x->dims();
    const std::vector<int64_t> x_strides = su::strides_of(x_dims);
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    Dims out_dims(static_cast<size_t>(rank));
    src_strides_.assign(static_cast<size_t>(rank), 0);
    for (int i = 0; i < rank; ++i) {
      int a = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis entry", axis[static_cast<size_t>(i)], rank, &a));
      if (seen[static_cast<size_t>(a)]) return Status::Invalid(op + ": axis " + su::ints_str(axis) + " is not a permutation");
      seen[static_cast<size_t>(a)] = true;
      out_dims[static_cast<size_t>(i)] = x_dims[static_cast<size_t>(a)];
      src_strides_[static_cast<size_t>(i)] = x_strides[static_cast<size_t>(a)];
    }
    copy_dims_ = out_dims;
    out->set_shape(x->dtype(), std::move(out_dims));
    return su::declare_xshape(ctx, x_dims);
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Transpose>("transpose.any.ref", out);
}

}  // namespace transpose_any_ref
}  // namespace kernels
}  // namespace tailor
