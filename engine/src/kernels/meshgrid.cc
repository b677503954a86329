// meshgrid (any dtype): k 1-D inputs X[i] of sizes n_i give k outputs Out[i]
// of shape [n_0, ..., n_k-1], Out[i] holding X[i] broadcast along dim i.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace meshgrid_any_ref {

namespace su = helpers::shape_util;

namespace {

class Meshgrid final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const int n = ctx.input_count("X");
    if (n < 1 || n > su::kMaxRank) return Status::Invalid(op + ": needs 1 to 9 X inputs, got " + std::to_string(n));
    if (ctx.output_count("Out") != n) {
      return Status::Invalid(op + ": " + std::to_string(n) + " inputs but " + std::to_string(ctx.output_count("Out")) +
                             " outputs");
    }
    Dims grid;
    DType dtype = DType::kF32;
    for (int i = 0; i < n; ++i) {
      const Tensor* x = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", i, &x));
      if (x->rank() > 1) {
        return Status::Invalid(op + ": input " + std::to_string(i) + " is not 1-D: " + su::dims_str(x->dims()));
      }
      if (i > 0 && x->dtype() != dtype) return Status::Invalid(op + ": inputs differ in dtype");
      dtype = x->dtype();
      grid.push_back(x->numel());
    }
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", grid));
    for (int i = 0; i < n; ++i) {
      Tensor* out = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", i, &out));
      out->set_shape(dtype, grid);
    }
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const int n = ctx.input_count("X");
    for (int i = 0; i < n; ++i) {
      const Tensor* x = ctx.input("X", i);
      Tensor* out = ctx.output("Out", i);
      if (!x || !out || !x->raw() || !out->raw_mut()) {
        return Status::Internal(ctx.op().type + ": tensors not bound at run");
      }
      // Stride 1 along the input's own dim, 0 (re-read) along the others.
      std::vector<int64_t> strides(static_cast<size_t>(n), 0);
      strides[static_cast<size_t>(i)] = 1;
      su::strided_copy(out->raw_mut(), x->raw(), dtype_size(x->dtype()), out->dims(), strides);
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Meshgrid>("meshgrid.any.ref", out);
}

}  // namespace meshgrid_any_ref
}  // namespace kernels
}  // namespace tailor
