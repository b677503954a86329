// cast: converts X to `out_dtype` (Paddle VarType: bool 0, int16 1, int32 2,
// int64 3, float32 5, float64 6, uint8 20, int8 21).
//
// The source type is X's actual dtype; `in_dtype` is only cross-checked
// loosely because Paddle Lite itself overrides it for float inputs.
// Conversions are C++ value conversions, made total: to bool is `!= 0`,
// float to integer truncates toward zero, saturates out of range and maps NaN
// to 0 (where a plain cast would be undefined behaviour).
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace cast_any_ref {

namespace su = helpers::shape_util;

namespace {

bool supported(DType t) {
  switch (t) {
    case DType::kBool: case DType::kI16: case DType::kI32: case DType::kI64:
    case DType::kF32: case DType::kF64: case DType::kU8: case DType::kI8:
      return true;
    default:
      return false;
  }
}

template <typename To, typename From>
To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    if (std::isnan(v)) return To(0);
    // The limits converted to From are exact or round up to a power of two,
    // so these comparisons catch every value that does not fit.
    if (v <= static_cast<From>(std::numeric_limits<To>::lowest())) return std::numeric_limits<To>::lowest();
    if (v >= static_cast<From>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(v);
  } else if constexpr (std::is_floating_point_v<From> && std::is_floating_point_v<To>) {
    return static_cast<To>(v);  // double -> float overflow gives inf, which is defined for IEEE
  } else {
    return static_cast<To>(v);  // integer/bool -> anything: defined (modular for narrowing)
  }
}

template <typename T>
T load(const T* p) {
  return *p;
}
// A bool byte other than 0/1 (e.g. from a foreign producer) must not be read
// as bool directly.
inline bool load(const bool* p) {
  uint8_t b;
  std::memcpy(&b, p, 1);
  return b != 0;
}

template <typename To, typename From>
void convert_all(const From* x, To* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = convert<To>(load(x + i));
}

template <typename From>
void cast_from(const From* x, Tensor* out, int64_t n) {
  switch (out->dtype()) {
    case DType::kBool: convert_all(x, out->mutable_data<bool>(), n); break;
    case DType::kI16: convert_all(x, out->mutable_data<int16_t>(), n); break;
    case DType::kI32: convert_all(x, out->mutable_data<int32_t>(), n); break;
    case DType::kI64: convert_all(x, out->mutable_data<int64_t>(), n); break;
    case DType::kF32: convert_all(x, out->mutable_data<float>(), n); break;
    case DType::kF64: convert_all(x, out->mutable_data<double>(), n); break;
    case DType::kU8: convert_all(x, out->mutable_data<uint8_t>(), n); break;
    case DType::kI8: convert_all(x, out->mutable_data<int8_t>(), n); break;
    default: break;  // refused in infer()
  }
}

class Cast final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (!supported(x->dtype())) return Status::Unsupported(op + ": unsupported input dtype " + dtype_name(x->dtype()));
    if (!ctx.op().has_attr("out_dtype")) return Status::BadModel(op + ": missing attribute out_dtype");
    const int64_t to = ctx.op().get_int("out_dtype", -1);
    if (to < 0 || to > 255 || !supported(static_cast<DType>(to))) {
      return Status::Unsupported(op + ": unsupported out_dtype " + std::to_string(to));
    }
    out->set_shape(static_cast<DType>(to), x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
    if (x->dtype() == out->dtype()) {
      su::copy_bytes(out->raw_mut(), x->raw(), out->bytes());
      return Status::Ok();
    }
    if (x->raw() == out->raw()) return Status::Internal(ctx.op().type + ": in-place cast between dtypes");
    const int64_t n = x->numel();
    switch (x->dtype()) {
      case DType::kBool: cast_from(x->data<bool>(), out, n); break;
      case DType::kI16: cast_from(x->data<int16_t>(), out, n); break;
      case DType::kI32: cast_from(x->data<int32_t>(), out, n); break;
      case DType::kI64: cast_from(x->data<int64_t>(), out, n); break;
      case DType::kF32: cast_from(x->data<float>(), out, n); break;
      case DType::kF64: cast_from(x->data<double>(), out, n); break;
      case DType::kU8: cast_from(x->data<uint8_t>(), out, n); break;
      case DType::kI8: cast_from(x->data<int8_t>(), out, n); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Cast>("cast.any.ref", out);
}

}  // namespace cast_any_ref
}  // namespace kernels
}  // namespace tailor
