// linspace: Num evenly spaced values from Start to Stop (both included), as float32 or int32
// (`dtype`). Start and Stop are one-element float32/int32 tensors, Num a one-element int32/int64
// constant (the output's length). As Paddle Lite: step = (Stop - Start) / (Num - 1) in double;
// the first half counts up from Start, the second half down from Stop, so both ends are exact.
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace linspace_any_ref {

namespace su = helpers::shape_util;

namespace {

double scalar(const Tensor& t) {
  if (t.dtype() == DType::kF32) return static_cast<double>(t.data<float>()[0]);
  return static_cast<double>(t.data<int32_t>()[0]);
}

template <typename T>
void linspace(T start, T stop, T* out, int64_t num) {
  if (num == 1) {
    out[0] = start;
    return;
  }
  // Lite subtracts in the output type; int32 in double instead, where it cannot overflow.
  double span = static_cast<double>(stop) - static_cast<double>(start);
  if constexpr (std::is_floating_point<T>::value) span = static_cast<double>(stop - start);
  const double step = span / static_cast<double>(num - 1);
  const int64_t half = num / 2;
  for (int64_t i = 0; i < num; ++i) {
    const double v = i < half ? static_cast<double>(start) + step * static_cast<double>(i)
                              : static_cast<double>(stop) - step * static_cast<double>(num - i - 1);
    out[i] = static_cast<T>(v);  // int32: v lies between start and stop, so it fits
  }
}

class Linspace final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor *start = nullptr, *stop = nullptr, *num = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Start", 0, &start));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Stop", 0, &stop));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Num", 0, &num));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    for (const Tensor* t : {start, stop}) {
      if ((t->dtype() != DType::kF32 && t->dtype() != DType::kI32) || t->numel() != 1) {
        return Status::Unsupported(op + ": Start and Stop must be one-element float32 or int32 tensors");
      }
    }
    std::vector<int64_t> n;
    TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "Num", *num, &n));
    if (n.size() != 1 || n[0] < 1) return Status::Invalid(op + ": Num must hold one value >= 1");
    const int64_t dtype = ctx.op().get_int("dtype", static_cast<int64_t>(DType::kF32));
    if (dtype != static_cast<int64_t>(DType::kF32) && dtype != static_cast<int64_t>(DType::kI32)) {
      return Status::Unsupported(op + ": dtype " + std::to_string(dtype) + " (only float32 and int32)");
    }
    Dims dims{n[0]};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", dims));
    out->set_shape(static_cast<DType>(dtype), std::move(dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* start = ctx.input("Start", 0);
    const Tensor* stop = ctx.input("Stop", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!start || !stop || !out || !start->raw() || !stop->raw() || !out->raw_mut()) {
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    }
    const double a = scalar(*start), b = scalar(*stop);
    if (out->dtype() == DType::kF32) {
      // Lite converts the ends to the output type first.
      linspace(static_cast<float>(a), static_cast<float>(b), out->mutable_data<float>(), out->numel());
    } else {
      if (!(std::fabs(a) < 2147483648.0 && std::fabs(b) < 2147483648.0)) {
        return Status::Invalid(ctx.op().type + ": Start/Stop do not fit the int32 output");
      }
      linspace(static_cast<int32_t>(a), static_cast<int32_t>(b), out->mutable_data<int32_t>(), out->numel());
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Linspace>("linspace.any.ref", out);
}

}  // namespace linspace_any_ref
}  // namespace kernels
}  // namespace tailor
