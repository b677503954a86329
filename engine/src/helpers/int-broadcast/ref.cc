#include "helpers/int-broadcast/ref.h"

#include <string>

#include "helpers/broadcast/ref.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace int_broadcast_ref {
namespace {

namespace tc = tensor_checks;

class IntBinaryRef final : public Kernel {
 public:
  IntBinaryRef(RunI32 i32, RunI64 i64, const char* undefined)
      : i32_(i32), i64_(i64), undefined_(undefined) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    const Tensor* y = ctx.input("Y");
    Tensor* out = ctx.output("Out");
    if (!x) return Status::BadModel(op + ": missing input X");
    if (!y) return Status::BadModel(op + ": missing input Y");
    if (!out) return Status::BadModel(op + ": missing output Out");
    if (x->dtype() != DType::kI32 && x->dtype() != DType::kI64)
      return Status::Unsupported(op + ": input X has dtype " + dtype_name(x->dtype()) +
                                 ", expected int32 or int64");
    if (y->dtype() != x->dtype())
      return Status::Invalid(op + ": input Y has dtype " + dtype_name(y->dtype()) + ", X has " +
                             dtype_name(x->dtype()));
    TAILOR_RETURN_IF_ERROR(tc::check_dims(op, x->dims()));
    TAILOR_RETURN_IF_ERROR(tc::check_dims(op, y->dims()));
    const int64_t axis = ctx.op().get_int("axis", -1);
    TAILOR_RETURN_IF_ERROR(broadcast_ref::make_plan(op, x->dims(), y->dims(), axis, &plan_));
    out->set_shape(x->dtype(), plan_.out_dims);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X");
    const Tensor* y = ctx.input("Y");
    Tensor* out = ctx.output("Out");
    if (!x->raw() || !y->raw() || !out->raw_mut())
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    const bool ok = x->dtype() == DType::kI32
                        ? apply(i32_, x->data<int32_t>(), y->data<int32_t>(), out->mutable_data<int32_t>())
                        : apply(i64_, x->data<int64_t>(), y->data<int64_t>(), out->mutable_data<int64_t>());
    if (!ok) return Status::Invalid(ctx.op().type + ": " + undefined_ + " (in Y)");
    return Status::Ok();
  }

 private:
  template <class Fn, class T>
  bool apply(Fn fn, const T* x, const T* y, T* out) const {
    bool ok = true;
    broadcast_ref::for_each_run(plan_, [&](int64_t o, int64_t xo, int64_t yo, int64_t n, int64_t xs,
                                           int64_t ys) {
      if (ok) ok = fn(x + xo, xs, y + yo, ys, out + o, n);
    });
    return ok;
  }

  RunI32 i32_;
  RunI64 i64_;
  const char* undefined_;
  broadcast_ref::Plan plan_;
};

}  // namespace

Status create(RunI32 run_i32, RunI64 run_i64, const char* undefined, std::unique_ptr<Kernel>* out) {
  if (!run_i32 || !run_i64) return Status::Internal("integer binary kernel without a function");
  out->reset(new IntBinaryRef(run_i32, run_i64, undefined));
  return Status::Ok();
}

}  // namespace int_broadcast_ref
}  // namespace helpers
}  // namespace tailor
