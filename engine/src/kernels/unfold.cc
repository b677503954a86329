// unfold.f32.ref — im2col as an op (paddle.nn.functional.unfold): X [N, C, H, W] -> Y [N, C * kh * kw, L],
// L = out_h * out_w sliding-window positions; row (c, i, j) holds tap (i, j) of channel c at every
// position, padding reading as 0. paddings are [top, left, bottom, right] (Paddle's order for unfold).
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/f32-im2col/ref.h"
#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace kernels {
namespace unfold_f32_ref {
namespace {

namespace im2col = helpers::f32_im2col_ref;
namespace win = helpers::window_ref;
namespace shp = helpers::tensor_checks;

// Reads a 2-value attribute with every value in [min_value, kMaxWindowParam].
Status read_two(const OpDesc& desc, const char* name, int64_t min_value, int64_t* a, int64_t* b) {
  const std::vector<int64_t> v = desc.get_ints(name);
  if (v.size() != 2 || v[0] < min_value || v[1] < min_value || v[0] > win::kMaxWindowParam ||
      v[1] > win::kMaxWindowParam)
    return Status::BadModel(desc.type + ": '" + name + "' must be 2 values in [" + std::to_string(min_value) +
                            ", " + std::to_string(win::kMaxWindowParam) + "]");
  *a = v[0];
  *b = v[1];
  return Status::Ok();
}

class UnfoldRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* x = ctx.input("X");
    Tensor* y = ctx.output("Y");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    if (!y) return Status::BadModel(op + ": missing output Y");
    if (x->rank() != 4) return Status::Invalid(op + ": X " + shp::str(x->dims()) + " must be 4-D NCHW");
    TAILOR_RETURN_IF_ERROR(read_two(desc, "kernel_sizes", 1, &w_.kernel_h, &w_.kernel_w));
    TAILOR_RETURN_IF_ERROR(read_two(desc, "strides", 1, &w_.stride_h, &w_.stride_w));
    TAILOR_RETURN_IF_ERROR(read_two(desc, "dilations", 1, &w_.dilation_h, &w_.dilation_w));
    const std::vector<int64_t> p = desc.get_ints("paddings");
    if (p.size() != 4) return Status::BadModel(op + ": 'paddings' must have 4 values (top, left, bottom, right)");
    for (int64_t v : p)
      if (v < 0 || v > win::kMaxWindowParam) return Status::BadModel(op + ": padding out of range");
    w_.pad_top = p[0];
    w_.pad_left = p[1];
    w_.pad_bottom = p[2];
    w_.pad_right = p[3];
    c_ = x->dim(1);
    h_ = x->dim(2);
    w_in_ = x->dim(3);
    const int64_t span_h = h_ + w_.pad_top + w_.pad_bottom - (w_.dilation_h * (w_.kernel_h - 1) + 1);
    const int64_t span_w = w_in_ + w_.pad_left + w_.pad_right - (w_.dilation_w * (w_.kernel_w - 1) + 1);
    if (span_h < 0 || span_w < 0)
      return Status::Invalid(op + ": window larger than the padded input " + shp::str(x->dims()));
    out_h_ = span_h / w_.stride_h + 1;
    out_w_ = span_w / w_.stride_w + 1;
    int64_t rows = 0;
    if (!win::mul_ok(c_, w_.kernel_h * w_.kernel_w, &rows))
      return Status::Invalid(op + ": output too large for X " + shp::str(x->dims()));
    Dims out_dims = {x->dim(0), rows, out_h_ * out_w_};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out_dims));
    y->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x_t = ctx.input("X");
    Tensor* y_t = ctx.output("Y");
    const float* x = x_t->data<float>();
    float* y = y_t->mutable_data<float>();
    if (!x || !y) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t n = x_t->dim(0), in_size = c_ * h_ * w_in_, out_size = y_t->dim(1) * y_t->dim(2);
    for (int64_t b = 0; b < n; ++b) im2col::im2col(x + b * in_size, c_, h_, w_in_, w_, out_h_, out_w_, y + b * out_size);
    return Status::Ok();
  }

 private:
  win::Window2d w_;
  int64_t c_ = 0, h_ = 0, w_in_ = 0, out_h_ = 0, out_w_ = 0;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new UnfoldRef());
  return Status::Ok();
}

}  // namespace unfold_f32_ref
}  // namespace kernels
}  // namespace tailor
