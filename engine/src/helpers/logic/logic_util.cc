#include "helpers/logic/logic_util.h"

#include <cmath>
#include <limits>

#include "helpers/broadcast/ref.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace helpers {
namespace logic_util {

namespace su = shape_util;

namespace {

class Binary final : public Kernel {
 public:
  Binary(const ByDType<BinaryFn>& fns, bool bool_out) : fns_(fns), bool_out_(bool_out) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    const Tensor* y = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Y", 0, &y));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    if (x->dtype() != y->dtype()) {
      return Status::Invalid(op + ": X is " + dtype_name(x->dtype()) + " but Y is " + dtype_name(y->dtype()));
    }
    fn_ = fns_.get(x->dtype());
    if (!fn_) return Status::Unsupported(op + ": unsupported input dtype " + dtype_name(x->dtype()));
    const int64_t axis = ctx.op().get_int("axis", -1);
    TAILOR_RETURN_IF_ERROR(broadcast_ref::make_plan(op, x->dims(), y->dims(), axis, &plan_));
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", plan_.out_dims));
    out->set_shape(bool_out_ ? DType::kBool : x->dtype(), plan_.out_dims);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    const Tensor* y = ctx.input("Y", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !y || !out || !x->raw() || !y->raw() || !out->raw_mut() || !fn_) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    const BinaryFn fn = fn_;
    const void* xd = x->raw();
    const void* yd = y->raw();
    void* od = out->raw_mut();
    broadcast_ref::for_each_run(plan_,
                                [&](int64_t o, int64_t xo, int64_t yo, int64_t n, int64_t xs, int64_t ys) {
                                  fn(xd, xo, xs, yd, yo, ys, od, o, n);
                                });
    return Status::Ok();
  }

 private:
  ByDType<BinaryFn> fns_;
  bool bool_out_;
  BinaryFn fn_ = nullptr;
  broadcast_ref::Plan plan_;
};

class Unary final : public Kernel {
 public:
  Unary(const ByDType<UnaryFn>& fns, bool bool_out) : fns_(fns), bool_out_(bool_out) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    fn_ = fns_.get(x->dtype());
    if (!fn_) return Status::Unsupported(op + ": unsupported input dtype " + dtype_name(x->dtype()));
    out->set_shape(bool_out_ ? DType::kBool : x->dtype(), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut() || !fn_) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    fn_(x->raw(), out->raw_mut(), out->numel());
    return Status::Ok();
  }

 private:
  ByDType<UnaryFn> fns_;
  bool bool_out_;
  UnaryFn fn_ = nullptr;
};

template <typename T>
void fill_as(Tensor* out, T v) {
  T* p = out->mutable_data<T>();
  const int64_t n = out->numel();
  for (int64_t i = 0; i < n; ++i) p[i] = v;
}

template <typename T>
T to_int(double v) {
  if (std::isnan(v)) return T(0);
  if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

}  // namespace

Status create_binary(const char* unit, const ByDType<BinaryFn>& fns, bool bool_out,
                     std::unique_ptr<Kernel>* out) {
  out->reset(new (std::nothrow) Binary(fns, bool_out));
  return *out ? Status::Ok() : Status::NoMemory(std::string(unit) + ": out of memory creating kernel");
}

Status create_unary(const char* unit, const ByDType<UnaryFn>& fns, bool bool_out,
                    std::unique_ptr<Kernel>* out) {
  out->reset(new (std::nothrow) Unary(fns, bool_out));
  return *out ? Status::Ok() : Status::NoMemory(std::string(unit) + ": out of memory creating kernel");
}

bool fillable(DType t) {
  switch (t) {
    case DType::kBool: case DType::kI16: case DType::kI32: case DType::kI64:
    case DType::kF32: case DType::kF64: case DType::kU8: case DType::kI8:
      return true;
    default:
      return false;
  }
}

void fill(Tensor* out, double value) {
  switch (out->dtype()) {
    case DType::kF32: fill_as(out, static_cast<float>(value)); break;  // overflow gives inf (IEEE)
    case DType::kF64: fill_as(out, value); break;
    case DType::kBool: fill_as(out, value != 0); break;
    case DType::kI16: fill_as(out, to_int<int16_t>(value)); break;
    case DType::kI32: fill_as(out, to_int<int32_t>(value)); break;
    case DType::kI64: fill_as(out, to_int<int64_t>(value)); break;
    case DType::kU8: fill_as(out, to_int<uint8_t>(value)); break;
    case DType::kI8: fill_as(out, to_int<int8_t>(value)); break;
    default: break;  // callers check fillable()
  }
}

}  // namespace logic_util
}  // namespace helpers
}  // namespace tailor
