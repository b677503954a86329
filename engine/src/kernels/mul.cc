// mul.f32.ref — portable float32 mul: X flattened at x_num_col_dims times Y flattened at
// y_num_col_dims; Out dims = X.dims[:x_num_col_dims] + Y.dims[y_num_col_dims:].
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace mul_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class MulRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* x = ctx.input("X");
    const Tensor* y = ctx.input("Y");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, y, "Y"));
    if (!out) return Status::BadModel(op + ": missing output Out");
    const int64_t xc = desc.get_int("x_num_col_dims", 1);
    const int64_t yc = desc.get_int("y_num_col_dims", 1);
    if (xc < 1 || xc >= x->rank() || yc < 1 || yc >= y->rank())
      return Status::BadModel(op + ": x_num_col_dims " + std::to_string(xc) + " / y_num_col_dims " +
                              std::to_string(yc) + " do not split X " + shp::str(x->dims()) +
                              " / Y " + shp::str(y->dims()));
    m_ = k_ = ky_ = n_ = 1;
    for (int i = 0; i < x->rank(); ++i) (i < xc ? m_ : k_) *= x->dim(i);
    for (int i = 0; i < y->rank(); ++i) (i < yc ? ky_ : n_) *= y->dim(i);
    if (k_ != ky_)
      return Status::Invalid(op + ": X " + shp::str(x->dims()) + " and Y " + shp::str(y->dims()) +
                             " flattened do not match (" + std::to_string(k_) + " vs " +
                             std::to_string(ky_) + ")");
    Dims out_dims(x->dims().begin(), x->dims().begin() + xc);
    out_dims.insert(out_dims.end(), y->dims().begin() + yc, y->dims().end());
    out->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    const float* y = ctx.input("Y")->data<float>();
    float* out = ctx.output("Out")->mutable_data<float>();
    if (!x || !y || !out) return Status::Internal(ctx.op().type + ": unbound tensor data");
    helpers::f32_gemm_ref::gemm(false, false, m_, n_, k_, 1.f, x, k_, y, n_, 0.f, out, n_);
    return Status::Ok();
  }

 private:
  int64_t m_ = 0, k_ = 0, ky_ = 0, n_ = 0;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new MulRef());
  return Status::Ok();
}

}  // namespace mul_f32_ref
}  // namespace kernels
}  // namespace tailor
