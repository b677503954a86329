// softmax.f32.ref — Out = exp(X - max) / sum(exp(X - max)) along `axis` (default -1),
// computed in double for the sums so that long axes keep float32 accuracy.
#include <cmath>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace softmax_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class SoftmaxRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Out");
    if (x->rank() == 0) return Status::Invalid(op + ": X must have rank >= 1");
    TAILOR_RETURN_IF_ERROR(
        shp::split_at_axis(op, x->dims(), ctx.op().get_int("axis", -1), &outer_, &mid_, &inner_));
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    float* y = ctx.output("Out")->mutable_data<float>();
    if (!x || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t mid = mid_, inner = inner_;
    for (int64_t o = 0; o < outer_; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        const float* in = x + o * mid * inner + i;
        float* out = y + o * mid * inner + i;
        double m = in[0];
        for (int64_t k = 1; k < mid; ++k) m = in[k * inner] > m ? in[k * inner] : m;
        double sum = 0;
        for (int64_t k = 0; k < mid; ++k) sum += std::exp(static_cast<double>(in[k * inner]) - m);
        for (int64_t k = 0; k < mid; ++k)
          out[k * inner] = static_cast<float>(std::exp(static_cast<double>(in[k * inner]) - m) / sum);
      }
    }
    return Status::Ok();
  }

 private:
  int64_t outer_ = 1, mid_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new SoftmaxRef());
  return Status::Ok();
}

}  // namespace softmax_f32_ref
}  // namespace kernels
}  // namespace tailor
