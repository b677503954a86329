// concat (any dtype): joins the X inputs along `axis` (negative counts from
// the end; an AxisTensor, when present, overrides the attribute).
#include <cstring>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace concat_any_ref {

namespace su = helpers::shape_util;

namespace {

class Concat final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const int n = ctx.input_count("X");
    if (n < 1) return Status::BadModel(op + ": no X inputs");
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const Tensor* x0 = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x0));
    const int rank = x0->rank();
    if (rank == 0) return Status::Invalid(op + ": cannot concatenate 0-D tensors");

    int64_t axis_value = ctx.op().get_int("axis", 0);
    if (su::has_input(ctx, "AxisTensor")) {
      std::vector<int64_t> v;
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "AxisTensor", *ctx.input("AxisTensor", 0), &v));
      if (v.size() != 1) return Status::Invalid(op + ": AxisTensor must hold one value");
      axis_value = v[0];
    }
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", axis_value, rank, &axis));

    Dims out_dims = x0->dims();
    out_dims[static_cast<size_t>(axis)] = 0;
    for (int i = 0; i < n; ++i) {
      const Tensor* xi = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", i, &xi));
      if (xi->dtype() != x0->dtype() || xi->rank() != rank) {
        return Status::Invalid(op + ": input " + std::to_string(i) + " (" + dtype_name(xi->dtype()) + " " +
                               su::dims_str(xi->dims()) + ") does not match input 0 (" + dtype_name(x0->dtype()) +
                               " " + su::dims_str(x0->dims()) + ")");
      }
      for (int d = 0; d < rank; ++d) {
        if (d != axis && xi->dim(d) != x0->dim(d)) {
          return Status::Invalid(op + ": input " + std::to_string(i) + " shape " + su::dims_str(xi->dims()) +
                                 " differs from input 0 " + su::dims_str(x0->dims()) + " off axis " +
                                 std::to_string(axis));
        }
      }
      out_dims[static_cast<size_t>(axis)] += xi->dim(axis);  // each <= kMaxElements, n bounded by slots
      if (out_dims[static_cast<size_t>(axis)] > su::kMaxElements) {
        return Status::Invalid(op + ": output is too large");
      }
    }
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    axis_ = axis;
    out->set_shape(x0->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* out = ctx.output("Out", 0);
    if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": output not bound at run");
    const size_t elem = dtype_size(out->dtype());
    int64_t outer = 1;
    for (int d = 0; d < axis_; ++d) outer *= out->dim(d);
    const int64_t out_row = out->numel() / outer * static_cast<int64_t>(elem);  // bytes per outer index
    char* dst = static_cast<char*>(out->raw_mut());
    int64_t offset = 0;
    const int n = ctx.input_count("X");
    for (int i = 0; i < n; ++i) {
      const Tensor* xi = ctx.input("X", i);
      if (!xi || !xi->raw()) return Status::Internal(ctx.op().type + ": input not bound at run");
      const int64_t row = xi->numel() / outer * static_cast<int64_t>(elem);
      const char* src = static_cast<const char*>(xi->raw());
      for (int64_t o = 0; o < outer; ++o) {
        std::memcpy(dst + o * out_row + offset, src + o * row, static_cast<size_t>(row));
      }
      offset += row;
    }
    return Status::Ok();
  }

 private:
  int axis_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Concat>("concat.any.ref", out);
}

}  // namespace concat_any_ref
}  // namespace kernels
}  // namespace tailor
