// fc.i8.ref — int8 fc of fully quantized models (kernel keys with precision kInt8, alias int8out or
// fp32out), computing what Paddle Lite's ARM FcCompute<kInt8, *> computes: flatten(Input)[M,K] (int8) x
// W[K,N] (int8) summed exactly in integers, then sum * (W0_scale[n] * Input0_scale [/ Out0_scale]) +
// Bias[n] [/ Out0_scale], `activation_type` (relu), and for int8out the rounding of helpers/int8-quant.
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/int8-quant/quant.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace fc_i8_ref {
namespace {

namespace q8 = helpers::int8_quant;
namespace shp = helpers::tensor_checks;

Status require_i8(const std::string& op, const Tensor* t, const char* what) {
  if (!t) return Status::BadModel(op + ": missing input " + what);
  if (t->dtype() != DType::kI8)
    return Status::Unsupported(op + ": input " + what + " has dtype " + dtype_name(t->dtype()) +
                               ", expected int8");
  return shp::check_dims(op, t->dims());
}

class FcInt8 final : public Kernel {
 public:
  FcInt8(const Activation& act, std::string act_type) : act_(act), act_type_(std::move(act_type)) {}

  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* x = ctx.input("Input");
    const Tensor* w = ctx.input("W");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(require_i8(op, x, "Input"));
    TAILOR_RETURN_IF_ERROR(require_i8(op, w, "W"));
    if (!out) return Status::BadModel(op + ": missing output Out");
    if (w->rank() != 2) return Status::BadModel(op + ": W " + shp::str(w->dims()) + " must be 2-D");
    if (desc.get_bool("padding_weights", false))
      return Status::Unsupported(op + ": padded int8 weights are not supported");
    const std::string op_type = desc.get_string("op_type", "mul");
    int64_t col = desc.get_int("in_num_col_dims", 1);
    if (op_type == "matmul" || op_type == "matmul_v2") col = x->rank() - 1;
    if (col < 1 || col >= x->rank())
      return Status::BadModel(op + ": in_num_col_dims " + std::to_string(col) + " does not split Input " +
                              shp::str(x->dims()));
    m_ = 1;
    k_ = 1;
    for (int i = 0; i < x->rank(); ++i) (i < col ? m_ : k_) *= x->dim(i);
    n_ = w->dim(1);
    if (w->dim(0) != k_)
      return Status::Invalid(op + ": Input " + shp::str(x->dims()) + " flattened at " + std::to_string(col) +
                             " does not match W " + shp::str(w->dims()));
    TAILOR_RETURN_IF_ERROR(
        q8::make_requant(desc, "Input0_scale", "W0_scale", "Out0_scale", n_, act_, act_type_, &rq_));
    TAILOR_RETURN_IF_ERROR(q8::set_bias(op, ctx.input("Bias"), n_, &rq_));
    Dims out_dims(x->dims().begin(), x->dims().begin() + col);
    out_dims.push_back(n_);
    out->set_shape(rq_.int8_out ? DType::kI8 : DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const int8_t* x = ctx.input("Input")->data<int8_t>();
    const int8_t* w = ctx.input("W")->data<int8_t>();
    void* out = ctx.output("Out")->raw_mut();
    if (!x || !w || !out) return Status::Internal(ctx.op().type + ": unbound tensor data");
    for (int64_t i = 0; i < m_; ++i) {
      for (int64_t j = 0; j < n_; ++j) {
        int64_t sum = 0;  // exact: Lite's int32 sum wherever that does not overflow
        for (int64_t k = 0; k < k_; ++k) sum += int64_t(x[i * k_ + k]) * w[k * n_ + j];
        q8::write(rq_, j, sum, out, i * n_ + j);
      }
    }
    return Status::Ok();
  }

 private:
  Activation act_;
  std::string act_type_;
  q8::Requant rq_;
  int64_t m_ = 0, n_ = 0, k_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  Activation act;
  const std::string act_type = op.get_string("activation_type", "");
  // Lite's int8 fc applies only relu (and relu6 with its threshold in output units, unscaled for int8out;
  // not implemented here); any other activation_type is ignored by Lite, refused here.
  if (!act_type.empty() && act_type != "relu")
    return Status::Unsupported(op.type + ": int8 fc with activation_type '" + act_type + "'");
  if (!act_type.empty()) TAILOR_RETURN_IF_ERROR(init.activation(act_type, &act));
  out->reset(new FcInt8(act, act_type));
  return Status::Ok();
}

}  // namespace fc_i8_ref
}  // namespace kernels
}  // namespace tailor
