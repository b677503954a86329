// fill_constant: Out (`dtype`, Paddle VarType) filled with one value.
//
// Shape: ShapeTensor > ShapeTensorList > `shape` attribute (Paddle Lite's
// priority). A ShapeTensor computed at run time (e.g. by a `shape` op that the
// planner did not fold) is accepted when the `shape` attribute spells out a
// full shape of the same rank, as Paddle writes it for static shapes; run()
// then checks that the tensor really holds that shape. Value: ValueTensor > `str_value` (Paddle writes it so int64 and
// inf/nan survive exactly) > `value`.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace fill_constant_any_ref {

namespace su = helpers::shape_util;

namespace {

// The fill value, kept both ways so integer fills are exact.
struct Value {
  double f = 0;
  int64_t i = 0;
  bool is_int = false;
};

bool is_integer_type(DType t) { return t != DType::kF32 && t != DType::kF64; }

// Parses all of `s` (Paddle's str_value); false if it is not a number.
bool parse_value(const std::string& s, bool want_int, Value* v) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  if (want_int) {
    long long i = std::strtoll(s.c_str(), &end, 10);
    if (errno == 0 && end && *end == '\0') {
      v->i = i;
      v->f = static_cast<double>(i);
      v->is_int = true;
      return true;
    }
    errno = 0;  // e.g. "1.0": fall back to a real number
  }
  double f = std::strtod(s.c_str(), &end);
  if (!end || *end != '\0' || end == s.c_str()) return false;
  v->f = f;
  v->is_int = false;
  return true;
}

template <typename T>
void fill(T* p, int64_t n, T v) {
  for (int64_t i = 0; i < n; ++i) p[i] = v;
}

// Integer target from a real value: truncate, saturate, NaN -> 0 (no UB).
template <typename T>
T to_int(const Value& v) {
  if (v.is_int) return static_cast<T>(v.i);
  if (std::isnan(v.f)) return T(0);
  if (v.f <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
  if (v.f >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(v.f);
}

class FillConstant final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const int64_t dtype = ctx.op().get_int("dtype", static_cast<int64_t>(DType::kF32));
    switch (dtype) {
      case static_cast<int64_t>(DType::kBool): case static_cast<int64_t>(DType::kI16):
      case static_cast<int64_t>(DType::kI32): case static_cast<int64_t>(DType::kI64):
      case static_cast<int64_t>(DType::kF32): case static_cast<int64_t>(DType::kF64):
      case static_cast<int64_t>(DType::kU8): case static_cast<int64_t>(DType::kI8):
        break;
      default:
        return Status::Unsupported(op + ": unsupported dtype " + std::to_string(dtype));
    }
    const DType t = static_cast<DType>(dtype);

    std::vector<int64_t> shape;
    verify_shape_tensor_ = false;
    if (su::has_input(ctx, "ShapeTensor")) {
      const Tensor& st = *ctx.input("ShapeTensor", 0);
      const std::vector<int64_t> attr = ctx.op().get_ints("shape");
      if (!st.raw() && !attr.empty() && static_cast<int64_t>(attr.size()) == st.numel() &&
          (st.dtype() == DType::kI32 || st.dtype() == DType::kI64)) {
        shape = attr;
        verify_shape_tensor_ = true;
      } else {
        TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "ShapeTensor", st, &shape));
      }
    } else if (ctx.input_count("ShapeTensorList") > 0) {
      TAILOR_RETURN_IF_ERROR(su::read_int_list(ctx, op, "ShapeTensorList", &shape));
    } else {
      shape = ctx.op().get_ints("shape");
    }
    Dims dims(shape.begin(), shape.end());
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", dims));

    value_ = Value();
    const std::string str = ctx.op().get_string("str_value", "");
    if (!parse_value(str, is_integer_type(t), &value_)) {
      if (!str.empty()) return Status::BadModel(op + ": str_value '" + str + "' is not a number");
      value_.f = ctx.op().get_float("value", 0.0);
    }
    if (su::has_input(ctx, "ValueTensor")) {
      const Tensor* vt = ctx.input("ValueTensor", 0);
      if (vt->numel() != 1) return Status::Invalid(op + ": ValueTensor must hold one value");
      switch (vt->dtype()) {
        case DType::kF32: case DType::kF64: case DType::kI32: case DType::kI64: break;
        default: return Status::Unsupported(op + ": ValueTensor dtype " + dtype_name(vt->dtype()));
      }
    }
    out->set_shape(t, std::move(dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* out = ctx.output("Out", 0);
    if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": output not bound at run");
    if (verify_shape_tensor_) {
      std::vector<int64_t> actual;
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(ctx.op().type, "ShapeTensor", *ctx.input("ShapeTensor", 0), &actual));
      if (Dims(actual.begin(), actual.end()) != out->dims()) {
        return Status::Unsupported(ctx.op().type + ": ShapeTensor holds " + su::ints_str(actual) +
                                   " at run time but the model was planned with " + su::dims_str(out->dims()));
      }
    }
    Value v = value_;
    if (su::has_input(ctx, "ValueTensor")) {  // may be computed: read at run time
      const Tensor* vt = ctx.input("ValueTensor", 0);
      if (!vt->raw()) return Status::Internal(ctx.op().type + ": ValueTensor not bound at run");
      switch (vt->dtype()) {
        case DType::kF32: v = Value{vt->data<float>()[0], 0, false}; break;
        case DType::kF64: v = Value{vt->data<double>()[0], 0, false}; break;
        case DType::kI32: v = Value{static_cast<double>(vt->data<int32_t>()[0]), vt->data<int32_t>()[0], true}; break;
        case DType::kI64: v = Value{static_cast<double>(vt->data<int64_t>()[0]), vt->data<int64_t>()[0], true}; break;
        default: return Status::Internal(ctx.op().type + ": ValueTensor dtype changed after infer");
      }
    }
    const int64_t n = out->numel();
    switch (out->dtype()) {
      case DType::kF32: fill(out->mutable_data<float>(), n, static_cast<float>(v.is_int ? static_cast<double>(v.i) : v.f)); break;
      case DType::kF64: fill(out->mutable_data<double>(), n, v.is_int ? static_cast<double>(v.i) : v.f); break;
      case DType::kBool: fill(out->mutable_data<bool>(), n, v.is_int ? v.i != 0 : v.f != 0); break;
      case DType::kI16: fill(out->mutable_data<int16_t>(), n, to_int<int16_t>(v)); break;
      case DType::kI32: fill(out->mutable_data<int32_t>(), n, to_int<int32_t>(v)); break;
      case DType::kI64: fill(out->mutable_data<int64_t>(), n, to_int<int64_t>(v)); break;
      case DType::kU8: fill(out->mutable_data<uint8_t>(), n, to_int<uint8_t>(v)); break;
      case DType::kI8: fill(out->mutable_data<int8_t>(), n, to_int<int8_t>(v)); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }

 private:
  Value value_;
  bool verify_shape_tensor_ = false;  // shape taken from the attribute, ShapeTensor checked in run()
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<FillConstant>("fill_constant.any.ref", out);
}

}  // namespace fill_constant_any_ref
}  // namespace kernels
}  // namespace tailor
