// one_hot_v2: Out[..., k] = 1 where k == X[...], else 0; Out's shape is X's plus a last dim of
// `depth` (attribute, or a constant depth_tensor), its dtype `dtype` (float32 by default, also
// float64/int32/int64). X holds int32/int64 indices; one outside [0, depth) fails the run unless
// allow_out_of_range, which leaves its row all zeros.
#include <string>
#include <vector>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace one_hot_v2_any_ref {

namespace su = helpers::shape_util;

namespace {

template <typename I, typename O>
Status one_hot(const I* x, O* out, int64_t n, int64_t depth, bool allow_out_of_range, const std::string& op) {
  for (int64_t i = 0; i < n * depth; ++i) out[i] = O(0);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v = static_cast<int64_t>(x[i]);
    if (v < 0 || v >= depth) {
      if (allow_out_of_range) continue;
      return Status::Invalid(op + ": index " + std::to_string(v) + " out of range [0, " +
                             std::to_string(depth) + ")");
    }
    out[i * depth + v] = O(1);
  }
  return Status::Ok();
}

template <typename I>
Status dispatch(const I* x, Tensor* out, int64_t n, int64_t depth, bool allow, const std::string& op) {
  switch (out->dtype()) {
    case DType::kF32: return one_hot(x, out->mutable_data<float>(), n, depth, allow, op);
    case DType::kF64: return one_hot(x, out->mutable_data<double>(), n, depth, allow, op);
    case DType::kI32: return one_hot(x, out->mutable_data<int32_t>(), n, depth, allow, op);
    case DType::kI64: return one_hot(x, out->mutable_data<int64_t>(), n, depth, allow, op);
    default: return Status::Internal(op + ": dtype changed after infer");
  }
}

class OneHotV2 final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (x->dtype() != DType::kI32 && x->dtype() != DType::kI64) {
      return Status::Unsupported(op + ": X must be int32 or int64, got " + dtype_name(x->dtype()));
    }
    int64_t depth = ctx.op().get_int("depth", -1);
    if (su::has_input(ctx, "depth_tensor")) {
      std::vector<int64_t> v;
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "depth_tensor", *ctx.input("depth_tensor", 0), &v));
      if (v.size() != 1) return Status::Invalid(op + ": depth_tensor must hold one value");
      depth = v[0];
    }
    if (depth < 1) return Status::Invalid(op + ": depth " + std::to_string(depth) + " must be >= 1");
    const int64_t dtype = ctx.op().get_int("dtype", static_cast<int64_t>(DType::kF32));
    switch (dtype) {
      case static_cast<int64_t>(DType::kF32): case static_cast<int64_t>(DType::kF64):
      case static_cast<int64_t>(DType::kI32): case static_cast<int64_t>(DType::kI64):
        break;
      default:
        return Status::Unsupported(op + ": unsupported dtype " + std::to_string(dtype));
    }
    Dims dims = x->dims();
    dims.push_back(depth);
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", dims));
    depth_ = depth;
    allow_ = ctx.op().get_bool("allow_out_of_range", false);
    out->set_shape(static_cast<DType>(dtype), std::move(dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    const std::string& op = ctx.op().type;
    if (!x || !out || !x->raw() || !out->raw_mut()) {
      return Status::Internal(op + ": tensors not bound at run");
    }
    if (x->dtype() == DType::kI32) return dispatch(x->data<int32_t>(), out, x->numel(), depth_, allow_, op);
    return dispatch(x->data<int64_t>(), out, x->numel(), depth_, allow_, op);
  }

 private:
  int64_t depth_ = 1;
  bool allow_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<OneHotV2>("one_hot_v2.any.ref", out);
}

}  // namespace one_hot_v2_any_ref
}  // namespace kernels
}  // namespace tailor
