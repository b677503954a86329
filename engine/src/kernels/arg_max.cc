// arg_max: index of the first maximum along `axis` (negative counts from the
// end), as int64 (dtype -1 or 3, the default) or int32 (dtype 2). keepdims
// keeps the reduced dim as 1; flatten (which Paddle Lite ignores) takes the
// arg max over all elements like Paddle.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace arg_max_any_ref {

namespace su = helpers::shape_util;

namespace {

template <typename T, typename I>
void arg_max(const T* x, I* out, int64_t outer, int64_t size, int64_t inner) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < inner; ++k) {
      const T* p = x + o * size * inner + k;
      T best = p[0];
      int64_t at = 0;
      for (int64_t i = 1; i < size; ++i) {
        if (p[i * inner] > best) {  // strict: ties keep the first index
          best = p[i * inner];
          at = i;
        }
      }
      out[o * inner + k] = static_cast<I>(at);
    }
  }
}

template <typename T>
Status dispatch_index(const T* x, Tensor* out, int64_t outer, int64_t size, int64_t inner) {
  if (out->dtype() == DType::kI64) {
    arg_max(x, out->mutable_data<int64_t>(), outer, size, inner);
  } else {
    arg_max(x, out->mutable_data<int32_t>(), outer, size, inner);
  }
  return Status::Ok();
}

class ArgMax final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    switch (x->dtype()) {
      case DType::kF32: case DType::kF64: case DType::kI32: case DType::kI64:
      case DType::kI16: case DType::kU8: case DType::kI8:
        break;
      default:
        return Status::Unsupported(op + ": unsupported input dtype " + dtype_name(x->dtype()));
    }
    const int64_t dtype = ctx.op().get_int("dtype", -1);
    DType index_type;
    if (dtype == -1 || dtype == static_cast<int64_t>(DType::kI64)) {
      index_type = DType::kI64;
    } else if (dtype == static_cast<int64_t>(DType::kI32)) {
      index_type = DType::kI32;
    } else {
      return Status::Invalid(op + ": dtype " + std::to_string(dtype) + " must be 2 (int32) or 3 (int64)");
    }
    const bool keepdims = ctx.op().get_bool("keepdims", false);
    const Dims& xd = x->dims();
    Dims out_dims;
    if (ctx.op().get_bool("flatten", false)) {
      outer_ = 1;
      size_ = x->numel();
      inner_ = 1;
      if (keepdims) out_dims.assign(xd.size(), 1);
    } else {
      int axis = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", -1), x->rank(), &axis));
      outer_ = 1;
      inner_ = 1;
      for (int d = 0; d < x->rank(); ++d) {
        if (d < axis) outer_ *= xd[static_cast<size_t>(d)];
        if (d > axis) inner_ *= xd[static_cast<size_t>(d)];
        if (d != axis) {
          out_dims.push_back(xd[static_cast<size_t>(d)]);
        } else if (keepdims) {
          out_dims.push_back(1);
        }
      }
      size_ = xd[static_cast<size_t>(axis)];
    }
    if (index_type == DType::kI32 && size_ > INT32_MAX) {
      return Status::Invalid(op + ": int32 indices cannot address " + std::to_string(size_) + " elements");
    }
    out->set_shape(index_type, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": tensors not bound at run");
    switch (x->dtype()) {
      case DType::kF32: return dispatch_index(x->data<float>(), out, outer_, size_, inner_);
      case DType::kF64: return dispatch_index(x->data<double>(), out, outer_, size_, inner_);
      case DType::kI32: return dispatch_index(x->data<int32_t>(), out, outer_, size_, inner_);
      case DType::kI64: return dispatch_index(x->data<int64_t>(), out, outer_, size_, inner_);
      case DType::kI16: return dispatch_index(x->data<int16_t>(), out, outer_, size_, inner_);
      case DType::kU8: return dispatch_index(x->data<uint8_t>(), out, outer_, size_, inner_);
      case DType::kI8: return dispatch_index(x->data<int8_t>(), out, outer_, size_, inner_);
      default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
  }

 private:
  int64_t outer_ = 1, size_ = 1, inner_ = 1;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<ArgMax>("arg_max.any.ref", out);
}

}  // namespace arg_max_any_ref
}  // namespace kernels
}  // namespace tailor
