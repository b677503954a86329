// calib.any.ref — the precision conversion paddle_lite_opt inserts between kernels whose bound input
// precisions differ (e.g. int32 SequenceLength -> the x86 rnn kernel's float input). The kernel alias names
// the conversion; only the exact integer -> float32 ones are served: int32_to_fp32, int64_to_fp32
// (Lite's host/x86 calib: a plain static_cast per element). The int8 (de)quantizing aliases are refused.
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace calib_any_ref {
namespace {

namespace shp = helpers::tensor_checks;

class CalibRef final : public Kernel {
 public:
  explicit CalibRef(DType from) : from_(from) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    Tensor* y = ctx.output("Out");
    if (!x) return Status::BadModel(op + ": missing input Input");
    if (!y) return Status::BadModel(op + ": missing output Out");
    if (x->dtype() != from_)
      return Status::BadModel(op + ": Input has dtype " + dtype_name(x->dtype()) + ", the kernel alias " +
                              ctx.op().key.alias + " converts " + dtype_name(from_));
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, x->dims()));
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("Input");
    float* y = ctx.output("Out")->mutable_data<float>();
    if (!x->raw() || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t n = x->numel();
    if (from_ == DType::kI32) {
      const int32_t* src = x->data<int32_t>();
      for (int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(src[i]);
    } else {
      const int64_t* src = x->data<int64_t>();
      for (int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(src[i]);
    }
    return Status::Ok();
  }

 private:
  DType from_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const std::string& alias = init.op().key.alias;
  if (alias == "int32_to_fp32") {
    out->reset(new CalibRef(DType::kI32));
  } else if (alias == "int64_to_fp32") {
    out->reset(new CalibRef(DType::kI64));
  } else {
    return Status::Unsupported(init.op().type + ": conversion '" + alias + "' (only int32_to_fp32, int64_to_fp32)");
  }
  return Status::Ok();
}

}  // namespace calib_any_ref
}  // namespace kernels
}  // namespace tailor
