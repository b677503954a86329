#include "helpers/broadcast/ref.h"

#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace broadcast_ref {

namespace tc = tensor_checks;

Status make_plan(const std::string& op, const Dims& x, const Dims& y, int64_t axis, Plan* plan) {
  *plan = Plan();
  const bool x_longer = x.size() >= y.size();
  const Dims& big = x_longer ? x : y;
  Dims small = x_longer ? y : x;
  const int64_t rank = static_cast<int64_t>(big.size());
  if (axis < -1 || axis > rank)
    return Status::BadModel(op + ": axis " + std::to_string(axis) + " out of range for " +
                            tc::str(x) + " and " + tc::str(y));
  int64_t start;
  if (axis == -1 || x.size() == y.size()) {
    start = rank - static_cast<int64_t>(small.size());
  } else {
    while (!small.empty() && small.back() == 1 && axis + static_cast<int64_t>(small.size()) > rank)
      small.pop_back();
    start = axis;
  }
  if (start < 0 || start + static_cast<int64_t>(small.size()) > rank)
    return Status::Invalid(op + ": cannot broadcast " + tc::str(y) + " onto " + tc::str(x) +
                           " at axis " + std::to_string(axis));
  // Both operands padded to the full rank.
  Dims bx(static_cast<size_t>(rank), 1), by(static_cast<size_t>(rank), 1);
  Dims& bsmall = x_longer ? by : bx;
  Dims& bbig = x_longer ? bx : by;
  bbig = big;
  for (size_t i = 0; i < small.size(); ++i) bsmall[static_cast<size_t>(start) + i] = small[i];

  Dims out(static_cast<size_t>(rank));
  for (size_t i = 0; i < out.size(); ++i) {
    if (bx[i] == by[i] || by[i] == 1) {
      out[i] = bx[i];
    } else if (bx[i] == 1) {
      out[i] = by[i];
    } else {
      return Status::Invalid(op + ": X " + tc::str(x) + " and Y " + tc::str(y) +
                             " do not broadcast (axis " + std::to_string(axis) + ")");
    }
  }
  TAILOR_RETURN_IF_ERROR(tc::check_dims(op, out));
  plan->out_dims = out;

  // Collapse adjacent dims with the same broadcast pattern; drop size-1 dims.
  std::vector<int64_t> dims, bcx, bcy;  // bcx/bcy: whether the operand varies along the dim
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 1) continue;
    const int64_t vx = bx[i] != 1, vy = by[i] != 1;
    if (!dims.empty() && bcx.back() == vx && bcy.back() == vy) {
      dims.back() *= out[i];
    } else {
      dims.push_back(out[i]);
      bcx.push_back(vx);
      bcy.push_back(vy);
    }
  }
  if (dims.empty()) {
    dims.push_back(1);
    bcx.push_back(0);
    bcy.push_back(0);
  }
  const size_t r = dims.size();
  plan->dims = dims;
  plan->x_stride.assign(r, 0);
  plan->y_stride.assign(r, 0);
  int64_t sx = 1, sy = 1;
  for (size_t i = r; i-- > 0;) {
    if (bcx[i]) { plan->x_stride[i] = sx; sx *= dims[i]; }
    if (bcy[i]) { plan->y_stride[i] = sy; sy *= dims[i]; }
  }
  return Status::Ok();
}

namespace {

class BinaryRef final : public Kernel {
 public:
  BinaryRef(BinaryRunFn fn, const Activation& act) : fn_(fn), act_(act) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X");
    const Tensor* y = ctx.input("Y");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(tc::require_f32(op, x, "X"));
    TAILOR_RETURN_IF_ERROR(tc::require_f32(op, y, "Y"));
    if (!out) return Status::BadModel(op + ": missing output Out");
    if (ctx.op().get_bool("fuse_scale", false))
      return Status::Unsupported(op + ": fuse_scale is not supported");
    const int64_t axis = ctx.op().get_int("axis", -1);
    TAILOR_RETURN_IF_ERROR(make_plan(op, x->dims(), y->dims(), axis, &plan_));
    out->set_shape(DType::kF32, plan_.out_dims);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    const float* y = ctx.input("Y")->data<float>();
    Tensor* out_t = ctx.output("Out");
    float* out = out_t->mutable_data<float>();
    if (!x || !y || !out) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const BinaryRunFn fn = fn_;
    for_each_run(plan_, [&](int64_t o, int64_t xo, int64_t yo, int64_t n, int64_t xs, int64_t ys) {
      fn(x + xo, xs, y + yo, ys, out + o, n);
    });
    act_.apply(out, out_t->numel());
    return Status::Ok();
  }

 private:
  BinaryRunFn fn_;
  Activation act_;
  Plan plan_;
};

}  // namespace

Status create_binary_kernel(const KernelInit& init, BinaryRunFn fn, std::unique_ptr<Kernel>* out) {
  Activation act;
  const std::string act_type = init.op().get_string("act_type", "");
  if (!act_type.empty()) TAILOR_RETURN_IF_ERROR(init.activation(act_type, &act));
  out->reset(new BinaryRef(fn, act));
  return Status::Ok();
}

}  // namespace broadcast_ref
}  // namespace helpers
}  // namespace tailor
