// where: Out = Condition ? X : Y elementwise. Condition is bool, X and Y of one dtype (any), all
// three of the same shape (Paddle Lite's kernel does not broadcast); Out has X's dtype and shape.
#include <cstring>

#include "helpers/logic/logic_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace where_any_ref {

namespace su = helpers::shape_util;
namespace lu = helpers::logic_util;

namespace {

// Elements move as opaque words of their size.
template <typename W>
void select(const void* cond, const void* x, const void* y, void* out, int64_t n) {
  const W* a = static_cast<const W*>(x);
  const W* b = static_cast<const W*>(y);
  W* o = static_cast<W*>(out);
  for (int64_t i = 0; i < n; ++i) std::memcpy(o + i, lu::load_bool(cond, i) ? a + i : b + i, sizeof(W));
}

class Where final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* cond = nullptr;
    const Tensor* x = nullptr;
    const Tensor* y = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Condition", 0, &cond));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Y", 0, &y));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    if (cond->dtype() != DType::kBool) {
      return Status::Unsupported(op + ": Condition must be bool, got " + dtype_name(cond->dtype()));
    }
    if (x->dtype() != y->dtype()) {
      return Status::Invalid(op + ": X is " + dtype_name(x->dtype()) + " but Y is " + dtype_name(y->dtype()));
    }
    const size_t size = dtype_size(x->dtype());
    if (size != 1 && size != 2 && size != 4 && size != 8) {
      return Status::Unsupported(op + ": unsupported dtype " + dtype_name(x->dtype()));
    }
    if (x->dims() != y->dims() || x->dims() != cond->dims()) {
      return Status::Invalid(op + ": Condition " + su::dims_str(cond->dims()) + ", X " +
                             su::dims_str(x->dims()) + " and Y " + su::dims_str(y->dims()) +
                             " must have the same shape");
    }
    out->set_shape(x->dtype(), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* cond = ctx.input("Condition", 0);
    const Tensor* x = ctx.input("X", 0);
    const Tensor* y = ctx.input("Y", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!cond || !x || !y || !out || !cond->raw() || !x->raw() || !y->raw() || !out->raw_mut()) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    const int64_t n = out->numel();
    switch (dtype_size(out->dtype())) {
      case 1: select<uint8_t>(cond->raw(), x->raw(), y->raw(), out->raw_mut(), n); break;
      case 2: select<uint16_t>(cond->raw(), x->raw(), y->raw(), out->raw_mut(), n); break;
      case 4: select<uint32_t>(cond->raw(), x->raw(), y->raw(), out->raw_mut(), n); break;
      case 8: select<uint64_t>(cond->raw(), x->raw(), y->raw(), out->raw_mut(), n); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Where>("where.any.ref", out);
}

}  // namespace where_any_ref
}  // namespace kernels
}  // namespace tailor
