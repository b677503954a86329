// log_softmax.f32.ref — Out = X - max - log(sum(exp(X - max))) along `axis` (default -1),
// computed in double for the sums so that long axes keep float32 accuracy.
#include <cmath>
#include <cstdint>
#include <memory>

#include "core/kernel.h"
#include "helpers/softmax/softmax.h"

namespace tailor {
namespace kernels {
namespace log_softmax_f32_ref {
namespace {

namespace sm = helpers::softmax;

class LogSoftmaxRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override { return sm::infer(ctx, &outer_, &mid_, &inner_); }

  Status run(OpContext& ctx) override {
    const int64_t mid = mid_, inner = inner_;
    auto write = [mid, inner](const float* in, float* out, double m, double sum) {
      const double lse = m + std::log(sum);
      for (int64_t k = 0; k < mid; ++k) out[k * inner] = static_cast<float>(in[k * inner] - lse);
    };
    return sm::run(ctx, outer_, mid, inner, write);
  }

 private:
  int64_t outer_ = 1, mid_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new LogSoftmaxRef());
  return Status::Ok();
}

}  // namespace log_softmax_f32_ref
}  // namespace kernels
}  // namespace tailor
