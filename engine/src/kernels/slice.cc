// slice (any dtype): Input[starts:ends] along `axes`, then drops the
// `decrease_axis` dims (all dropped -> [1], as Paddle Lite).
//
// starts/ends: StartsTensor > StartsTensorList > attribute (same for ends),
// values are clamped like Paddle Lite's ARM kernel: negative counts from the
// end, start >= 0, end <= dim, and an empty range is refused. Negative axes
// count from the end.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace slice_any_ref {

namespace su = helpers::shape_util;

namespace {

Status read_bounds(const OpContext& ctx, const std::string& op, const char* tensor_slot, const char* list_slot,
                   const char* attr, std::vector<int64_t>* out) {
  if (su::has_input(ctx, tensor_slot)) return su::read_int_tensor(op, tensor_slot, *ctx.input(tensor_slot, 0), out);
  if (ctx.input_count(list_slot) > 0) return su::read_int_list(ctx, op, list_slot, out);
  *out = ctx.op().get_ints(attr);
  return Status::Ok();
}

class Slice final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Input", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const int rank = x->rank();
    const std::vector<int64_t> axes = ctx.op().get_ints("axes");
    const std::vector<int64_t> infer_flags = ctx.op().get_ints("infer_flags");
    std::vector<int64_t> starts, ends;
    TAILOR_RETURN_IF_ERROR(read_bounds(ctx, op, "StartsTensor", "StartsTensorList", "starts", &starts));
    TAILOR_RETURN_IF_ERROR(read_bounds(ctx, op, "EndsTensor", "EndsTensorList", "ends", &ends));
    if (starts.size() != axes.size() || ends.size() != axes.size()) {
      return Status::Invalid(op + ": axes " + su::ints_str(axes) + ", starts " + su::ints_str(starts) + " and ends " +
                             su::ints_str(ends) + " differ in length");
    }
    std::vector<int> decrease;
    for (int64_t a : ctx.op().get_ints("decrease_axis")) {
      int d = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "decrease_axis entry", a, rank, &d));
      decrease.push_back(d);
    }

    const Dims& in_dims = x->dims();
    Dims sliced = in_dims;
    std::vector<int64_t> begin(static_cast<size_t>(rank), 0);
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    for (size_t i = 0; i < axes.size(); ++i) {
      int axis = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axes entry", axes[i], rank, &axis));
      if (seen[static_cast<size_t>(axis)]) return Status::Invalid(op + ": axis " + std::to_string(axis) + " repeated in axes");
      seen[static_cast<size_t>(axis)] = true;
      const int64_t dim = in_dims[static_cast<size_t>(axis)];
      int64_t start = starts[i], end = ends[i];
      // x[-1] with decrease: Paddle writes start=-1, end=0 and infer_flags=-1.
      const bool flagged = i < infer_flags.size() && infer_flags[i] == -1;
      bool decreased = false;
      for (int d : decrease) decreased = decreased || d == axis;
      if (start == -1 && end == 0 && flagged && decreased) end = dim;
      // Clamp before shifting so hostile int64 values cannot overflow.
      start = start < -dim ? -dim : (start > dim ? dim : start);
      end = end < -dim ? -dim : (end > dim ? dim : end);
      if (start < 0) start += dim;
      if (end < 0) end += dim;
      if (end <= start) {
        return Status::Invalid(op + ": empty slice [" + std::to_string(starts[i]) + ", " + std::to_string(ends[i]) +
                               ") on axis " + std::to_string(axis) + " of size " + std::to_string(dim));
      }
      begin[static_cast<size_t>(axis)] = start;
      sliced[static_cast<size_t>(axis)] = end - start;
    }

    Dims out_dims;
    std::vector<bool> drop(static_cast<size_t>(rank), false);
    for (int d : decrease) {
      if (sliced[static_cast<size_t>(d)] != 1) {
        return Status::Invalid(op + ": decrease_axis " + std::to_string(d) + " has size " +
                               std::to_string(sliced[static_cast<size_t>(d)]) + ", not 1");
      }
      drop[static_cast<size_t>(d)] = true;
    }
    for (int d = 0; d < rank; ++d) {
      if (!drop[static_cast<size_t>(d)]) out_dims.push_back(sliced[static_cast<size_t>(d)]);
    }
    if (!decrease.empty() && out_dims.empty()) out_dims.push_back(1);

    src_strides_ = su::strides_of(in_dims);
    src_offset_ = 0;
    for (int d = 0; d < rank; ++d) src_offset_ += begin[static_cast<size_t>(d)] * src_strides_[static_cast<size_t>(d)];
    copy_dims_ = sliced;
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("Input", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
      return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
    }
    const size_t elem = dtype_size(x->dtype());
    const char* src = static_cast<const char*>(x->raw()) + src_offset_ * static_cast<int64_t>(elem);
    su::strided_copy(out->raw_mut(), src, elem, copy_dims_, src_strides_);
    return Status::Ok();
  }

 private:
  Dims copy_dims_;                    // sliced extent per input dim (before decrease)
  std::vector<int64_t> src_strides_;  // input element strides
  int64_t src_offset_ = 0;            // first element, in elements
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Slice>("slice.any.ref", out);
}

}  // namespace slice_any_ref
}  // namespace kernels
}  // namespace tailor
