// gru_unit.f32.ref — one GRU step on an already projected input (Paddle Lite 2.13,
// lite/kernels/arm/gru_unit_compute.cc):
//   Gate = Input [B, 3H] + Bias [1, 3H]; gates u (update), r (reset), c (candidate)
//   u, r = gate_act(Gate_ur + HiddenPrev x W_ur)   W_ur: the first 2H*H weights, as [H, 2H]
//   ResetHiddenPrev = r * HiddenPrev
//   c = act(Gate_c + ResetHiddenPrev x W_c)         W_c: the last H*H weights, as [H, H]
//   Hidden = origin_mode ? c * (1 - u) + u * HiddenPrev : HiddenPrev * (1 - u) + u * c
// Activations are Paddle's codes: 0 identity, 1 sigmoid, 2 tanh, 3 relu. Gate holds the activated u, r, c.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "core/format.h"
#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace gru_unit_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;
using helpers::f32_gemm_ref::gemm;

class GruUnitRef final : public Kernel {
 public:
  GruUnitRef(const Activation& gate_act, const Activation& act, bool origin_mode)
      : gate_act_(gate_act), act_(act), origin_mode_(origin_mode) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    const Tensor* h = ctx.input("HiddenPrev");
    const Tensor* w = ctx.input("Weight");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, h, "HiddenPrev"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, w, "Weight"));
    if (h->rank() != 2 || h->dim(1) < 1)
      return Status::BadModel(op + ": HiddenPrev " + shp::str(h->dims()) + " must be [B, H]");
    batch_ = h->dim(0);
    hidden_ = h->dim(1);
    if (x->dims() != Dims{batch_, 3 * hidden_})
      return Status::BadModel(op + ": Input " + shp::str(x->dims()) + " must be [B, 3H] for HiddenPrev " +
                              shp::str(h->dims()));
    if (w->dims() != Dims{hidden_, 3 * hidden_})
      return Status::BadModel(op + ": Weight " + shp::str(w->dims()) + " must be [H, 3H] for HiddenPrev " +
                              shp::str(h->dims()));
    has_bias_ = false;
    if (const Tensor* bias = ctx.input("Bias")) {
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, bias, "Bias"));
      if (bias->numel() != 3 * hidden_)
        return Status::BadModel(op + ": Bias " + shp::str(bias->dims()) + " must have 3H elements");
      has_bias_ = true;
    }
    Tensor* hidden = ctx.output("Hidden");
    if (!hidden) return Status::BadModel(op + ": missing output Hidden");
    hidden->set_shape(DType::kF32, h->dims());
    if (Tensor* rhp = ctx.output("ResetHiddenPrev")) rhp->set_shape(DType::kF32, h->dims());
    if (Tensor* gate = ctx.output("Gate")) gate->set_shape(DType::kF32, x->dims());
    // Gate and ResetHiddenPrev are computed in scratch when the model does not keep them.
    ctx.request_scratch(static_cast<size_t>(x->numel() + h->numel()) * sizeof(float));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("Input")->data<float>();
    const float* hp = ctx.input("HiddenPrev")->data<float>();
    const float* w = ctx.input("Weight")->data<float>();
    const float* bias = has_bias_ ? ctx.input("Bias")->data<float>() : nullptr;
    float* hidden = ctx.output("Hidden")->mutable_data<float>();
    float* scratch = static_cast<float*>(ctx.scratch());
    Tensor* gate_t = ctx.output("Gate");
    Tensor* rhp_t = ctx.output("ResetHiddenPrev");
    float* gate = gate_t ? gate_t->mutable_data<float>() : scratch;
    float* rhp = rhp_t ? rhp_t->mutable_data<float>() : scratch + batch_ * 3 * hidden_;
    if (!x || !hp || !w || !hidden || !scratch || !gate || !rhp || (has_bias_ && !bias))
      return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t B = batch_, H = hidden_, G = 3 * H;
    for (int64_t b = 0; b < B; ++b)
      for (int64_t j = 0; j < G; ++j) gate[b * G + j] = x[b * G + j] + (bias ? bias[j] : 0.f);
    // Gate_ur += HiddenPrev x W_ur, accumulated onto the biased input (gemm into scratch, then add).
    float* prod = rhp;  // free until ResetHiddenPrev is written; holds B x H, so two passes of H columns
    for (int64_t half = 0; half < 2; ++half) {
      gemm(false, false, B, H, H, 1.f, hp, H, w + half * H, 2 * H, 0.f, prod, H);
      for (int64_t b = 0; b < B; ++b)
        for (int64_t j = 0; j < H; ++j) gate[b * G + half * H + j] += prod[b * H + j];
    }
    for (int64_t b = 0; b < B; ++b) {
      gate_act_.apply(gate + b * G, 2 * H);
      for (int64_t j = 0; j < H; ++j) rhp[b * H + j] = gate[b * G + H + j] * hp[b * H + j];
    }
    float* cprod = hidden;  // the candidate product goes through Hidden before Hidden is written
    gemm(false, false, B, H, H, 1.f, rhp, H, w + 2 * H * H, H, 0.f, cprod, H);
    for (int64_t b = 0; b < B; ++b) {
      float* c = gate + b * G + 2 * H;
      for (int64_t j = 0; j < H; ++j) c[j] += cprod[b * H + j];
      act_.apply(c, H);
      const float* u = gate + b * G;
      const float* h0 = hp + b * H;
      float* out = hidden + b * H;
      for (int64_t j = 0; j < H; ++j)
        out[j] = origin_mode_ ? c[j] * (1.f - u[j]) + u[j] * h0[j] : h0[j] * (1.f - u[j]) + u[j] * c[j];
    }
    return Status::Ok();
  }

 private:
  Activation gate_act_, act_;
  bool origin_mode_;
  int64_t batch_ = 0, hidden_ = 0;
  bool has_bias_ = false;
};

Status resolve(const KernelInit& init, const char* attr, int64_t def, Activation* act) {
  static const char* const kNames[] = {"", "sigmoid", "tanh", "relu"};
  const int64_t code = init.op().get_int(attr, def);
  if (code < 0 || code > 3)
    return Status::BadModel(format("%s: %s %lld is not an activation code (0..3)", init.op().type.c_str(), attr,
                                   static_cast<long long>(code)));
  TAILOR_RETURN_IF_ERROR(init.activation(kNames[code], act));
  if (code != 0 && !act->fn)
    return Status::Unsupported(init.op().type + ": no " + kNames[code] + " epilogue in this build");
  return Status::Ok();
}

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  Activation gate_act, act;
  TAILOR_RETURN_IF_ERROR(resolve(init, "gate_activation", 1, &gate_act));
  TAILOR_RETURN_IF_ERROR(resolve(init, "activation", 2, &act));
  out->reset(new GruUnitRef(gate_act, act, init.op().get_bool("origin_mode", false)));
  return Status::Ok();
}

}  // namespace gru_unit_f32_ref
}  // namespace kernels
}  // namespace tailor
