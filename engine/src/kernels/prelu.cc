// prelu.f32.ref — Out = X > 0 ? X : alpha * X with the Alpha input laid out by `mode`:
// "all" (one value), "channel" (one per channel: dim 1, or the last dim for NHWC
// `data_format`), "element" (one per element of a sample, shared across the batch).
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace prelu_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

enum class Mode { kAll, kChannel, kElement };

class PreluRef final : public Kernel {
 public:
  explicit PreluRef(Mode mode, bool nhwc) : mode_(mode), nhwc_(nhwc) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    const Tensor* alpha = ctx.input("Alpha");
    Tensor* y = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, alpha, "Alpha"));
    if (!y) return Status::BadModel(op + ": missing output Out");
    // alpha index of element i: (i / inner_) % count_.
    const int64_t n = x->numel();
    if (mode_ == Mode::kAll) {
      count_ = 1;
      inner_ = n > 0 ? n : 1;
    } else if (mode_ == Mode::kChannel) {
      if (x->rank() < 2) return Status::Invalid(op + ": channel mode needs X of rank >= 2");
      count_ = nhwc_ ? x->dim(-1) : x->dim(1);
      inner_ = 1;
      if (!nhwc_)
        for (int i = 2; i < x->rank(); ++i) inner_ *= x->dim(i);
    } else {
      count_ = x->rank() >= 1 && x->dim(0) > 0 ? n / x->dim(0) : n;
      inner_ = 1;
    }
    if (alpha->numel() != count_)
      return Status::BadModel(op + ": Alpha " + shp::str(alpha->dims()) + " must have " +
                              std::to_string(count_) + " elements for X " + shp::str(x->dims()));
    if (count_ < 1) count_ = 1;
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X");
    const float* x = x_t->data<float>();
    const float* alpha = ctx.input("Alpha")->data<float>();
    float* y = ctx.output("Out")->mutable_data<float>();
    if (!x || !alpha || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t n = x_t->numel();
    for (int64_t i = 0; i < n; ++i) {
      const float a = alpha[(i / inner_) % count_];
      y[i] = x[i] > 0.f ? x[i] : a * x[i];
    }
    return Status::Ok();
  }

 private:
  Mode mode_;
  bool nhwc_;
  int64_t count_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  const std::string mode = op.get_string("mode", "all");
  Mode m;
  if (mode == "all") {
    m = Mode::kAll;
  } else if (mode == "channel") {
    m = Mode::kChannel;
  } else if (mode == "element") {
    m = Mode::kElement;
  } else {
    return Status::BadModel("prelu: unknown mode '" + mode + "'");
  }
  out->reset(new PreluRef(m, op.get_string("data_format", "NCHW") == "NHWC"));
  return Status::Ok();
}

}  // namespace prelu_f32_ref
}  // namespace kernels
}  // namespace tailor
