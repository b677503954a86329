// assign_value: Out of shape `shape` and dtype `dtype` holding the values of the attribute that
// dtype names: bool_values (bool), int32_values (int32), int64_values (int64) or fp32_values
// (float32). The value count must equal the shape's element count.
#include <string>
#include <vector>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace assign_value_any_ref {

namespace su = helpers::shape_util;

namespace {

const char* values_attr(DType t) {
  switch (t) {
    case DType::kBool: return "bool_values";
    case DType::kI32: return "int32_values";
    case DType::kI64: return "int64_values";
    case DType::kF32: return "fp32_values";
    default: return nullptr;
  }
}

template <typename T, typename V>
void copy_values(const std::vector<V>& v, T* out) {
  for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<T>(v[i]);
}

class AssignValue final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const int64_t dtype = ctx.op().get_int("dtype", static_cast<int64_t>(DType::kF32));
    const char* name = dtype >= 0 && dtype <= 255 ? values_attr(static_cast<DType>(dtype)) : nullptr;
    if (!name) return Status::Unsupported(op + ": unsupported dtype " + std::to_string(dtype));
    const std::vector<int64_t> shape = ctx.op().get_ints("shape");
    Dims dims(shape.begin(), shape.end());
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", dims));
    const Attr* a = ctx.op().attr(name);
    if (!a) return Status::BadModel(op + ": missing attribute " + name);
    const DType t = static_cast<DType>(dtype);
    size_t count = 0;
    switch (t) {
      case DType::kBool: count = a->type == AttrType::kBooleans ? a->bools.size() : 0; break;
      case DType::kF32: count = a->type == AttrType::kFloats ? a->floats.size() : 0; break;
      default: count = a->type == AttrType::kInts || a->type == AttrType::kLongs ? a->ints.size() : 0; break;
    }
    if (static_cast<int64_t>(count) != dims_numel(dims)) {
      return Status::BadModel(op + ": " + name + " holds " + std::to_string(count) +
                              " values (or has the wrong type) for shape " + su::dims_str(dims));
    }
    out->set_shape(t, std::move(dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    Tensor* out = ctx.output("Out", 0);
    if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": output not bound at run");
    const Attr* a = ctx.op().attr(values_attr(out->dtype()));
    if (!a) return Status::Internal(ctx.op().type + ": values attribute vanished after infer");
    switch (out->dtype()) {
      case DType::kBool: copy_values(a->bools, out->mutable_data<bool>()); break;
      // FLOATS attributes hold float32 values (exact), INTS int32 ones: stored wider, narrowed back.
      case DType::kF32: copy_values(a->floats, out->mutable_data<float>()); break;
      case DType::kI32: copy_values(a->ints, out->mutable_data<int32_t>()); break;
      case DType::kI64: copy_values(a->ints, out->mutable_data<int64_t>()); break;
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<AssignValue>("assign_value.any.ref", out);
}

}  // namespace assign_value_any_ref
}  // namespace kernels
}  // namespace tailor
