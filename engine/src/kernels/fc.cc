// fc.f32.ref — portable float32 fc (what paddle_lite_opt fuses mul/matmul(+add)(+relu) into):
// Out[M,N] = flatten(Input)[M,K] x W[K,N] + Bias, then `activation_type`.
//
// Input is flattened at `in_num_col_dims`, except that for `op_type` matmul/matmul_v2
// Paddle Lite flattens at rank(Input)-1 (so a 3-D input keeps its leading dims).
// `padding_weights` (x86 opt) stores W with 4 extra columns that are not part of N.
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace fc_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class FcRef final : public Kernel {
 public:
  explicit FcRef(const Activation& act) : act_(act) {}

  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* x = ctx.input("Input");
    const Tensor* w = ctx.input("W");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, w, "W"));
    if (!out) return Status::BadModel(op + ": missing output Out");
    if (w->rank() != 2) return Status::BadModel(op + ": W " + shp::str(w->dims()) + " must be 2-D");
    const std::string op_type = desc.get_string("op_type", "mul");
    int64_t col = desc.get_int("in_num_col_dims", 1);
    if (op_type == "matmul" || op_type == "matmul_v2") col = x->rank() - 1;
    if (col < 1 || col >= x->rank())
      return Status::BadModel(op + ": in_num_col_dims " + std::to_string(col) +
                              " does not split Input " + shp::str(x->dims()));
    const int64_t pad = desc.get_bool("padding_weights", false) ? 4 : 0;
    m_ = 1;
    k_ = 1;
    for (int i = 0; i < x->rank(); ++i) (i < col ? m_ : k_) *= x->dim(i);
    n_ = w->dim(1) - pad;
    ldw_ = w->dim(1);
    if (n_ < 0 || w->dim(0) != k_)
      return Status::Invalid(op + ": Input " + shp::str(x->dims()) + " flattened at " +
                             std::to_string(col) + " does not match W " + shp::str(w->dims()));
    has_bias_ = false;
    if (const Tensor* bias = ctx.input("Bias")) {
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, bias, "Bias"));
      if (bias->numel() != n_)
        return Status::BadModel(op + ": Bias " + shp::str(bias->dims()) + " must have " +
                                std::to_string(n_) + " elements");
      has_bias_ = true;
    }
    Dims out_dims(x->dims().begin(), x->dims().begin() + col);
    out_dims.push_back(n_);
    out->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("Input")->data<float>();
    const float* w = ctx.input("W")->data<float>();
    const float* bias = has_bias_ ? ctx.input("Bias")->data<float>() : nullptr;
    float* out = ctx.output("Out")->mutable_data<float>();
    if (!x || !w || !out || (has_bias_ && !bias))
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    helpers::f32_gemm_ref::gemm(false, false, m_, n_, k_, 1.f, x, k_, w, ldw_, 0.f, out, n_);
    if (bias)
      for (int64_t i = 0; i < m_; ++i)
        for (int64_t j = 0; j < n_; ++j) out[i * n_ + j] += bias[j];
    act_.apply(out, m_ * n_);
    return Status::Ok();
  }

 private:
  Activation act_;
  int64_t m_ = 0, n_ = 0, k_ = 0, ldw_ = 0;
  bool has_bias_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Activation act;
  const std::string act_type = op.get_string("activation_type", "");
  if (!act_type.empty()) {
    TAILOR_RETURN_IF_ERROR(init.activation(act_type, &act));
    // fc spells the relu6 threshold `alpha` (FcOpLite::AttachImpl).
    if (act_type == "relu6") act.alpha = static_cast<float>(op.get_float("alpha", 6.0));
  }
  out->reset(new FcRef(act));
  return Status::Ok();
}

}  // namespace fc_f32_ref
}  // namespace kernels
}  // namespace tailor
