// range: Out = [Start, Start + Step, ...) up to End (exclusive), from one-element Start, End and
// Step tensors of one dtype (float32, float64, int32 or int64) known when the model is planned
// (the output's length depends on them). Length: ceil(|End - Start| / |Step|) as Paddle Lite
// computes it; floats accumulate Step like Lite, integers are Start + i * Step.
#include <cmath>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace range_any_ref {

namespace su = helpers::shape_util;

namespace {

// The scalar of a one-element constant tensor, as T.
template <typename T>
Status scalar(const std::string& op, const char* slot, const Tensor& t, T* v) {
  if (t.numel() != 1) {
    return Status::Invalid(op + ": " + slot + " must hold one value, has shape " + su::dims_str(t.dims()));
  }
  if (!t.raw()) {
    return Status::Unsupported(op + ": " + slot +
                               " is computed at run time; only values known when the model is planned are "
                               "supported");
  }
  *v = t.data<T>()[0];
  return Status::Ok();
}

template <typename T>
Status length(const std::string& op, T start, T end, T step, int64_t* n) {
  const std::string values = " (start " + std::to_string(start) + ", end " + std::to_string(end) + ", step " +
                             std::to_string(step) + ")";
  if (step == T(0) || !((start < end && step > 0) || (start > end && step < 0))) {
    return Status::Invalid(op + ": step must be nonzero and point from start to end" + values);
  }
  if constexpr (std::is_integral<T>::value) {
    // |end - start| and |step| in unsigned 64 bits: no overflow for any int64 values.
    const uint64_t span = start < end ? static_cast<uint64_t>(end) - static_cast<uint64_t>(start)
                                      : static_cast<uint64_t>(start) - static_cast<uint64_t>(end);
    const uint64_t mag = step > 0 ? static_cast<uint64_t>(step) : uint64_t{0} - static_cast<uint64_t>(step);
    const uint64_t len = span / mag + (span % mag != 0);
    if (len > static_cast<uint64_t>(su::kMaxElements)) {
      return Status::Invalid(op + ": output too large" + values);
    }
    *n = static_cast<int64_t>(len);
  } else {
    const double len = std::ceil(std::fabs(static_cast<double>((end - start) / step)));
    if (!std::isfinite(start) || !std::isfinite(end) || !std::isfinite(step) ||
        !(len <= static_cast<double>(su::kMaxElements))) {
      return Status::Invalid(op + ": output length is not finite or too large" + values);
    }
    *n = static_cast<int64_t>(len);
  }
  return Status::Ok();
}

template <typename T>
void fill(const Tensor& start_t, const Tensor& step_t, Tensor* out_t) {
  const T start = start_t.data<T>()[0], step = step_t.data<T>()[0];
  T* out = out_t->mutable_data<T>();
  const int64_t n = out_t->numel();
  if constexpr (std::is_integral<T>::value) {
    // Every value lies between start and end, so start + i * step fits; computed unsigned anyway.
    using U = std::make_unsigned_t<T>;
    for (int64_t i = 0; i < n; ++i) {
      const U v = static_cast<U>(static_cast<U>(start) + static_cast<U>(i) * static_cast<U>(step));
      out[i] = static_cast<T>(v);
    }
  } else {
    T value = start;
    for (int64_t i = 0; i < n; ++i) {
      out[i] = value;
      value += step;
    }
  }
}

class Range final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor *start = nullptr, *end = nullptr, *step = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Start", 0, &start));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "End", 0, &end));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Step", 0, &step));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const DType t = start->dtype();
    if (end->dtype() != t || step->dtype() != t) {
      return Status::Invalid(op + ": Start, End and Step must have one dtype");
    }
    int64_t n = 0;
    switch (t) {
      case DType::kF32: TAILOR_RETURN_IF_ERROR(plan<float>(op, *start, *end, *step, &n)); break;
      case DType::kF64: TAILOR_RETURN_IF_ERROR(plan<double>(op, *start, *end, *step, &n)); break;
      case DType::kI32: TAILOR_RETURN_IF_ERROR(plan<int32_t>(op, *start, *end, *step, &n)); break;
      case DType::kI64: TAILOR_RETURN_IF_ERROR(plan<int64_t>(op, *start, *end, *step, &n)); break;
      default: return Status::Unsupported(op + ": unsupported dtype " + dtype_name(t));
    }
    Dims dims{n};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", dims));
    out->set_shape(t, std::move(dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* start = ctx.input("Start", 0);
    const Tensor* step = ctx.input("Step", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!start || !step || !out || !start->raw() || !step->raw() || !out->raw_mut()) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    switch (out->dtype()) {
      case DType::kF32: fill<float>(*start, *step, out); break;
      case DType::kF64: fill<double>(*start, *step, out); break;
      case DType::kI32: fill<int32_t>(*start, *step, out); break;
      case DType::kI64: fill<int64_t>(*start, *step, out); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }

 private:
  template <typename T>
  static Status plan(const std::string& op, const Tensor& start, const Tensor& end, const Tensor& step,
                     int64_t* n) {
    T s, e, d;
    TAILOR_RETURN_IF_ERROR(scalar(op, "Start", start, &s));
    TAILOR_RETURN_IF_ERROR(scalar(op, "End", end, &e));
    TAILOR_RETURN_IF_ERROR(scalar(op, "Step", step, &d));
    return length(op, s, e, d, n);
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Range>("range.any.ref", out);
}

}  // namespace range_any_ref
}  // namespace kernels
}  // namespace tailor
