// strided_slice (any dtype): Input[start:end:stride] along each dim of
// `axes` (Python slicing as Paddle computes it), then drops the
// `decrease_axis` dims (all dropped -> [1]).
//
// starts/ends/strides: the *Tensor (a constant) > the *TensorList > the
// attribute. Negative starts/ends count from the end, out-of-range ones are
// clamped to the dim; with a negative stride an end of -1 means "through
// index 0" (Paddle's encoding of an omitted end). A stride of 0 or a slice
// without elements is refused.
#include <algorithm>

#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace strided_slice_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class StridedSlice final : public mu::OffsetCopyKernel {
 public:
  StridedSlice() : OffsetCopyKernel("Input") {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Input", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const int rank = x->rank();
    const std::vector<int64_t> axes = ctx.op().get_ints("axes");
    const std::vector<int64_t> infer_flags = ctx.op().get_ints("infer_flags");
    std::vector<int64_t> starts, ends, strides;
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "StartsTensor", "StartsTensorList", "starts", &starts));
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "EndsTensor", "EndsTensorList", "ends", &ends));
    TAILOR_RETURN_IF_ERROR(mu::read_ints(ctx, op, "StridesTensor", "StridesTensorList", "strides", &strides));
    if (starts.size() != axes.size() || ends.size() != axes.size() || strides.size() != axes.size()) {
      return Status::Invalid(op + ": axes " + su::ints_str(axes) + ", starts " + su::ints_str(starts) + ", ends " +
                             su::ints_str(ends) + " and strides " + su::ints_str(strides) + " differ in length");
    }
    std::vector<bool> drop(static_cast<size_t>(rank), false);
    for (int64_t a : ctx.op().get_ints("decrease_axis")) {
      int d = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "decrease_axis entry", a, rank, &d));
      drop[static_cast<size_t>(d)] = true;
    }

    const Dims& in_dims = x->dims();
    Dims size = in_dims;
    std::vector<int64_t> begin(static_cast<size_t>(rank), 0), step(static_cast<size_t>(rank), 1);
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    for (size_t i = 0; i < axes.size(); ++i) {
      int axis = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axes entry", axes[i], rank, &axis));
      const size_t a = static_cast<size_t>(axis);
      if (seen[a]) return Status::Invalid(op + ": axis " + std::to_string(axis) + " repeated in axes");
      seen[a] = true;
      const int64_t dim = in_dims[a];
      const int64_t stride = strides[i];
      if (stride == 0) return Status::Invalid(op + ": stride 0 on axis " + std::to_string(axis));
      const bool flagged = i < infer_flags.size() && infer_flags[i] == -1;
      if (starts[i] == -1 && ends[i] == 0 && flagged && drop[a]) {  // x[-1] with decrease
        begin[a] = dim - 1;
        size[a] = 1;
        continue;
      }
      const bool omitted_end = stride < 0 && ends[i] == -1;
      // Clamp first so hostile int64 values cannot overflow; the slice is the same.
      int64_t start = std::min(std::max(starts[i], -dim - 2), dim + 2);
      int64_t end = std::min(std::max(ends[i], -dim - 2), dim + 2);
      if (start < 0) start += dim;
      if (end < 0 && !omitted_end) end += dim;
      // Positive stride: [lo, hi) from lo upwards; negative: (lo, hi] from hi downwards.
      int64_t lo = 0, hi = 0;
      if (stride > 0) {
        lo = std::max<int64_t>(0, start);
        hi = std::min(dim, end);
      } else {
        lo = std::max<int64_t>(0, end + 1);
        hi = std::min(dim, start + 1);
      }
      if (hi <= lo) {
        return Status::Invalid(op + ": empty slice [" + std::to_string(starts[i]) + ":" + std::to_string(ends[i]) +
                               ":" + std::to_string(stride) + "] on axis " + std::to_string(axis) + " of size " +
                               std::to_string(dim));
      }
      // A step beyond the dim takes one element, like a step of `dim`.
      const int64_t mag = stride > 0 ? std::min(stride, dim) : (stride < -dim ? dim : -stride);
      size[a] = (hi - lo + mag - 1) / mag;
      begin[a] = stride > 0 ? lo : hi - 1;
      step[a] = stride > 0 ? mag : -mag;
    }

    Dims out_dims;
    for (int d = 0; d < rank; ++d) {
      const size_t a = static_cast<size_t>(d);
      if (!drop[a]) {
        out_dims.push_back(size[a]);
      } else if (size[a] != 1) {
        return Status::Invalid(op + ": decrease_axis " + std::to_string(d) + " has size " + std::to_string(size[a]) +
                               ", not 1");
      }
    }
    if (out_dims.empty()) out_dims.push_back(1);
    set_walk(in_dims, begin, size, step);
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<StridedSlice>("strided_slice.any.ref", out);
}

}  // namespace strided_slice_any_ref
}  // namespace kernels
}  // namespace tailor
