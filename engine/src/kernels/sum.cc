// sum.f32.ref — the sum op (add_n): Out = X[0] + X[1] + ... over every tensor of the X list, which
// must all have X[0]'s dims; added in list order in float32 like Paddle.
#include <cstdint>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace sum_f32_ref {
namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class SumRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const int n = ctx.input_count("X");
    if (n < 1) return Status::BadModel(op + ": no X inputs");
    const Tensor* first = nullptr;
    for (int i = 0; i < n; ++i) {
      const Tensor* x = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", i, &x));
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
      if (!first) first = x;
      if (x->dims() != first->dims())
        return Status::Invalid(op + ": X[" + std::to_string(i) + "] " + shp::str(x->dims()) +
                               " differs from X[0] " + shp::str(first->dims()));
    }
    out->set_shape(DType::kF32, first->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* out = ctx.output("Out", 0);
    if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
    float* o = out->mutable_data<float>();
    const int64_t len = out->numel();
    const int n = ctx.input_count("X");
    for (int i = 0; i < n; ++i) {
      const Tensor* x = ctx.input("X", i);
      if (!x || !x->raw()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
      const float* in = x->data<float>();
      // Out may share X[0]'s buffer (in-place add_n): the first copy is then a no-op.
      if (i == 0) {
        if (in != o)
          for (int64_t j = 0; j < len; ++j) o[j] = in[j];
      } else {
        for (int64_t j = 0; j < len; ++j) o[j] += in[j];
      }
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<SumRef>("sum.f32.ref", out);
}

}  // namespace sum_f32_ref
}  // namespace kernels
}  // namespace tailor
