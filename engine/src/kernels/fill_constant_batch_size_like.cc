// fill_constant_batch_size_like: Out of shape `shape` with dim `output_dim_idx` replaced by dim
// `input_dim_idx` of Input (the batch size), filled with the value (`str_value` when set, else
// `value`) as dtype `dtype` (Paddle VarType). Input's data is not read.
#include <cerrno>
#include <cstdlib>
#include <string>

#include "helpers/logic/logic_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace fill_constant_batch_size_like_any_ref {

namespace su = helpers::shape_util;
namespace lu = helpers::logic_util;

namespace {

class FillConstantBatchSizeLike final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* in = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Input", 0, &in));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const int64_t dtype = ctx.op().get_int("dtype", static_cast<int64_t>(DType::kF32));
    if (dtype < 0 || dtype > 255 || !lu::fillable(static_cast<DType>(dtype))) {
      return Status::Unsupported(op + ": unsupported dtype " + std::to_string(dtype));
    }
    const std::vector<int64_t> shape = ctx.op().get_ints("shape");
    const int64_t in_idx = ctx.op().get_int("input_dim_idx", 0);
    const int64_t out_idx = ctx.op().get_int("output_dim_idx", 0);
    if (in_idx < 0 || in_idx >= in->rank()) {
      return Status::Invalid(op + ": input_dim_idx " + std::to_string(in_idx) + " out of range for Input " +
                             su::dims_str(in->dims()));
    }
    if (out_idx < 0 || out_idx >= static_cast<int64_t>(shape.size())) {
      return Status::Invalid(op + ": output_dim_idx " + std::to_string(out_idx) + " out of range for shape " +
                             su::ints_str(shape));
    }
    Dims dims(shape.begin(), shape.end());
    dims[static_cast<size_t>(out_idx)] = in->dim(static_cast<int>(in_idx));
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", dims));

    value_ = ctx.op().get_float("value", 0.0);
    const std::string str = ctx.op().get_string("str_value", "");
    if (!str.empty()) {
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(str.c_str(), &end);
      if (!end || *end != '\0' || end == str.c_str()) {
        return Status::BadModel(op + ": str_value '" + str + "' is not a number");
      }
      value_ = v;
    }
    out->set_shape(static_cast<DType>(dtype), std::move(dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* out = ctx.output("Out", 0);
    if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": output not bound at run");
    lu::fill(out, value_);
    return Status::Ok();
  }

 private:
  double value_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<FillConstantBatchSizeLike>("fill_constant_batch_size_like.any.ref", out);
}

}  // namespace fill_constant_batch_size_like_any_ref
}  // namespace kernels
}  // namespace tailor
