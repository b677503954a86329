#include "helpers/unary/ref.h"

#include <cstring>
#include <string>

#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace unary_ref {
namespace {

class UnaryRef final : public Kernel {
 public:
  explicit UnaryRef(const Activation& f) : f_(f) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Out");
    y->set_shape(DType::kF32, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Out");
    if (!x->raw() || !y->raw_mut())
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    // Core may run an op in place (same buffer for X and Out).
    if (x->raw() != y->raw()) std::memcpy(y->raw_mut(), x->raw(), x->bytes());
    f_.fn(y->mutable_data<float>(), y->numel(), f_);
    return Status::Ok();
  }

 private:
  Activation f_;
};

}  // namespace

Status create(const Activation& f, std::unique_ptr<Kernel>* out) {
  if (!f.fn) return Status::Internal("unary kernel without a function");
  out->reset(new UnaryRef(f));
  return Status::Ok();
}

Status create_activation_op(const KernelInit& init, const char* act_name,
                            void (*set_params)(const OpDesc& op, Activation* act),
                            std::unique_ptr<Kernel>* out) {
  Activation act;
  TAILOR_RETURN_IF_ERROR(init.activation(act_name, &act));
  if (!act.fn) return Status::Unsupported(init.op().type + ": no epilogue for " + act_name);
  if (set_params) set_params(init.op(), &act);
  return create(act, out);
}

}  // namespace unary_ref
}  // namespace helpers
}  // namespace tailor
