// rnn.f32.ref — the `rnn` op paddle.nn.LSTM / GRU write: `num_layers` stacked layers, each forward or
// forward + backward (is_bidirec, outputs concatenated on the last axis), over a time-major Input [T, B, I].
//
// Semantics (Paddle Lite 2.13, lite/kernels/arm/rnn_compute.cc, backends/arm/math/{lstm,gru}.h):
// - WeightList: every weight_ih [G*H, in], weight_hh [G*H, H] (layer 0 forward, layer 0 backward, layer 1
//   forward, ...), then every bias_ih, bias_hh [G*H] in the same order; in = I for layer 0, H * dirs above.
// - PreState: h0 (and c0 for LSTM), each [layers * dirs, B, H]; State: the final h (and c), same shapes.
// - LSTM (G = 4, gates i, f, g, o): c = sig(f) * c' + sig(i) * tanh(g); h = sig(o) * tanh(c).
// - GRU (G = 3, gates r, z, c): the reset gate multiplies W_hh_c h' + b_hh_c (reset after the product);
//   c = tanh(x_c + r * (W_hh_c h' + b_hh_c)); h = (1 - z) * c + z * h'.
// - SequenceLength [B] (optional): steps at or past a row's length output 0 and keep its h (and c);
//   the backward pass of a row starts at its last valid step.
// - Lite implements only LSTM and GRU: RNN_TANH / RNN_RELU (SimpleRNN) are refused.
// One deliberate difference: for the backward direction without SequenceLength Lite returns as final h the
// one after the first step (time T-1); Paddle, and this kernel, return the one after the last (time 0).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "core/format.h"
#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace rnn_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;
using helpers::f32_gemm_ref::gemm;

class RnnRef final : public Kernel {
 public:
  RnnRef(const Activation& sigmoid, const Activation& tanh, bool lstm, int64_t layers, bool bidirec,
         int64_t hidden)
      : sig_(sigmoid), tanh_(tanh), lstm_(lstm), gates_(lstm ? 4 : 3), layers_(layers),
        dirs_(bidirec ? 2 : 1), hidden_(hidden) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("Input");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "Input"));
    if (x->rank() != 3) return Status::BadModel(op + ": Input " + shp::str(x->dims()) + " must be [T, B, I]");
    steps_ = x->dim(0);
    batch_ = x->dim(1);
    input_ = x->dim(2);
    if (steps_ < 1 || batch_ < 1 || input_ < 1)
      return Status::Invalid(op + ": Input " + shp::str(x->dims()) + " has an empty dimension");
    const int64_t input_size = ctx.op().get_int("input_size", input_);
    if (input_size != input_)
      return Status::BadModel(format("%s: Input %s does not have input_size %lld features", op.c_str(),
                                     shp::str(x->dims()).c_str(), static_cast<long long>(input_size)));
    const int64_t H = hidden_, GH = gates_ * hidden_, cells = layers_ * dirs_;

    // PreState -> State: h (and c), each [layers * dirs, B, H].
    const int n_states = lstm_ ? 2 : 1;
    if (ctx.input_count("PreState") != n_states || ctx.output_count("State") != n_states)
      return Status::BadModel(format("%s: %s needs %d PreState and State tensors, got %d and %d", op.c_str(),
                                     lstm_ ? "LSTM" : "GRU", n_states, ctx.input_count("PreState"),
                                     ctx.output_count("State")));
    const Dims state_dims{cells, batch_, H};
    for (int i = 0; i < n_states; ++i) {
      const Tensor* s = ctx.input("PreState", i);
      TAILOR_RETURN_IF_ERROR(shp::require_f32(op, s, "PreState"));
      if (s->dims() != state_dims)
        return Status::BadModel(op + ": PreState " + shp::str(s->dims()) + " must be " + shp::str(state_dims));
      Tensor* st = ctx.output("State", i);
      if (!st) return Status::BadModel(op + ": missing output State");
      st->set_shape(DType::kF32, state_dims);
    }

    // WeightList: weights of every (layer, direction), then their biases.
    if (ctx.input_count("WeightList") != 4 * cells)
      return Status::BadModel(format("%s: WeightList has %d tensors, %lld layers x %lld directions need %lld",
                                     op.c_str(), ctx.input_count("WeightList"), static_cast<long long>(layers_),
                                     static_cast<long long>(dirs_), static_cast<long long>(4 * cells)));
    for (int64_t cell = 0; cell < cells; ++cell) {
      const int64_t in = cell < dirs_ ? input_ : H * dirs_;
      const Dims want[4] = {{GH, in}, {GH, H}, {GH}, {GH}};
      for (int k = 0; k < 4; ++k) {
        const int idx = static_cast<int>(k < 2 ? 2 * cell + k : 2 * cells + 2 * cell + (k - 2));
        const Tensor* w = ctx.input("WeightList", idx);
        TAILOR_RETURN_IF_ERROR(shp::require_f32(op, w, "WeightList"));
        // Biases may be stored [G*H] or [1, G*H]: only their count matters.
        if (k < 2 ? w->dims() != want[k] : w->numel() != GH)
          return Status::BadModel(format("%s: WeightList[%d] %s must be %s", op.c_str(), idx,
                                         shp::str(w->dims()).c_str(), shp::str(want[k]).c_str()));
      }
    }

    has_seq_ = ctx.input_count("SequenceLength") > 0 && ctx.input("SequenceLength") != nullptr;
    if (has_seq_) {
      const Tensor* sl = ctx.input("SequenceLength");
      if (sl->dtype() != DType::kI32 && sl->dtype() != DType::kF32)
        return Status::Unsupported(op + ": SequenceLength has dtype " + dtype_name(sl->dtype()) +
                                   ", expected int32");
      if (sl->numel() != batch_)
        return Status::BadModel(op + ": SequenceLength " + shp::str(sl->dims()) + " must have one length per " +
                                "batch row of Input " + shp::str(x->dims()));
    }

    Tensor* out = ctx.output("Out");
    if (!out) return Status::BadModel(op + ": missing output Out");
    const Dims out_dims{steps_, batch_, H * dirs_};
    int64_t out_n, gates_n, rows_n;
    TAILOR_RETURN_IF_ERROR(shp::numel(op, out_dims, &out_n));
    TAILOR_RETURN_IF_ERROR(shp::numel(op, {steps_, batch_, GH}, &gates_n));
    TAILOR_RETURN_IF_ERROR(shp::numel(op, {batch_, GH}, &rows_n));
    out->set_shape(DType::kF32, out_dims);
    // Scratch (floats): input gates, two layer outputs to ping-pong between, h and c (previous and
    // new), the hidden gates of one step, GRU's reset output, and the lengths.
    layer_n_ = layers_ > 1 ? out_n : 0;
    const int64_t total = gates_n + 2 * layer_n_ + 5 * batch_ * H + rows_n + batch_;
    if (total > shp::kMaxElements) return Status::Invalid(op + ": Input " + shp::str(x->dims()) + " is too large");
    gates_n_ = gates_n;
    ctx.request_scratch(static_cast<size_t>(total) * sizeof(float));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const float* x = ctx.input("Input")->data<float>();
    float* out = ctx.output("Out")->mutable_data<float>();
    float* scratch = static_cast<float*>(ctx.scratch());
    if (!x || !out || !scratch) return Status::Internal(op + ": unbound tensor data");
    const int64_t H = hidden_, BH = batch_ * hidden_, cells = layers_ * dirs_;
    float* gates = scratch;
    float* layer_buf[2] = {gates + gates_n_, gates + gates_n_ + layer_n_};
    float* h = layer_buf[1] + layer_n_;
    float* c = h + BH;
    float* h_new = c + BH;
    float* c_new = h_new + BH;
    float* reset = c_new + BH;
    float* hid = reset + BH;
    int32_t* lens = reinterpret_cast<int32_t*>(hid + batch_ * gates_ * H);

    int32_t min_len = static_cast<int32_t>(steps_);
    if (has_seq_) {
      const Tensor* sl = ctx.input("SequenceLength");
      for (int64_t b = 0; b < batch_; ++b) {
        double v = sl->dtype() == DType::kI32 ? sl->data<int32_t>()[b] : sl->data<float>()[b];
        if (!(v >= 0 && v <= static_cast<double>(steps_)) || v != std::floor(v))
          return Status::Invalid(format("%s: SequenceLength[%lld] = %g is not a length in [0, %lld]", op.c_str(),
                                        static_cast<long long>(b), v, static_cast<long long>(steps_)));
        lens[b] = static_cast<int32_t>(v);
        if (lens[b] < min_len) min_len = lens[b];
      }
    }

    const float* pre_h = ctx.input("PreState", 0)->data<float>();
    const float* pre_c = lstm_ ? ctx.input("PreState", 1)->data<float>() : nullptr;
    float* last_h = ctx.output("State", 0)->mutable_data<float>();
    float* last_c = lstm_ ? ctx.output("State", 1)->mutable_data<float>() : nullptr;
    if (!pre_h || !last_h || (lstm_ && (!pre_c || !last_c))) return Status::Internal(op + ": unbound state data");

    const float* layer_in = x;
    int64_t in = input_;
    for (int64_t layer = 0; layer < layers_; ++layer) {
      float* layer_out = layer == layers_ - 1 ? out : layer_buf[layer % 2];
      for (int64_t dir = 0; dir < dirs_; ++dir) {
        const int64_t cell = layer * dirs_ + dir;
        const float* w[4];
        for (int k = 0; k < 4; ++k) {
          const int idx = static_cast<int>(k < 2 ? 2 * cell + k : 2 * cells + 2 * cell + (k - 2));
          w[k] = ctx.input("WeightList", idx)->data<float>();
          if (!w[k]) return Status::Internal(op + ": unbound weight data");
        }
        input_gates(layer_in, in, w[0], w[2], w[3], gates);
        std::copy(pre_h + cell * BH, pre_h + (cell + 1) * BH, h);
        if (lstm_) std::copy(pre_c + cell * BH, pre_c + (cell + 1) * BH, c);
        run_direction(gates, w[1], w[3], dir == 1, min_len, lens, layer_out + dir * H, h, c, h_new, c_new, reset,
                      hid);
        std::copy(h, h + BH, last_h + cell * BH);
        if (lstm_) std::copy(c, c + BH, last_c + cell * BH);
      }
      layer_in = layer_out;
      in = H * dirs_;
    }
    return Status::Ok();
  }

 private:
  // gates[T*B, G*H] = (x W_ih^T + b_ih) + b_hh, in Lite's order of additions; GRU leaves b_hh_c out (it is
  // added to W_hh_c h' under the reset gate).
  void input_gates(const float* x, int64_t in, const float* w_ih, const float* b_ih, const float* b_hh,
                   float* gates) const {
    const int64_t rows = steps_ * batch_, GH = gates_ * hidden_;
    const int64_t hh_n = lstm_ ? GH : 2 * hidden_;
    gemm(false, true, rows, GH, in, 1.f, x, in, w_ih, in, 0.f, gates, GH);
    for (int64_t r = 0; r < rows; ++r) {
      float* g = gates + r * GH;
      for (int64_t j = 0; j < GH; ++j) g[j] += b_ih[j];
      for (int64_t j = 0; j < hh_n; ++j) g[j] += b_hh[j];
    }
  }

  // One direction of one layer: h and c hold the initial state on entry and the final one on return; the
  // step outputs go to out (row stride H * dirs).
  void run_direction(const float* gates, const float* w_hh, const float* b_hh, bool reverse, int32_t min_len,
                     const int32_t* lens, float* out, float* h, float* c, float* h_new, float* c_new,
                     float* reset, float* hid) const {
    const int64_t H = hidden_, GH = gates_ * H, out_stride = H * dirs_, BH = batch_ * H;
    for (int64_t step = 0; step < steps_; ++step) {
      const int64_t t = reverse ? steps_ - 1 - step : step;
      const float* g_in = gates + t * batch_ * GH;
      if (lstm_) {
        lstm_step(g_in, w_hh, h, c, h_new, c_new, hid);
      } else {
        gru_step(g_in, w_hh, b_hh, h, h_new, reset, hid);
      }
      // Lite masks only the steps where some row is past its length (the first T - min_len of the
      // backward pass, the last of the forward one); elsewhere the new state is taken as is.
      const bool masked = has_seq_ && (reverse ? step < steps_ - min_len : step >= min_len);
      for (int64_t b = 0; b < batch_; ++b) {
        float* o = out + (t * batch_ + b) * out_stride;
        float* hb = h + b * H;
        const float* nb = h_new + b * H;
        if (!masked) {
          for (int64_t j = 0; j < H; ++j) o[j] = hb[j] = nb[j];
          continue;
        }
        const float m = t < lens[b] ? 1.f : 0.f, keep = 1.f - m;
        for (int64_t j = 0; j < H; ++j) {
          o[j] = nb[j] * m;
          hb[j] = o[j] + hb[j] * keep;
        }
        if (lstm_)
          for (int64_t j = 0; j < H; ++j) c_new[b * H + j] = c_new[b * H + j] * m + c[b * H + j] * keep;
      }
      if (lstm_) std::copy(c_new, c_new + BH, c);
    }
  }

  // hid = h' W_hh^T + input gates; gates i, f, g, o.
  void lstm_step(const float* g_in, const float* w_hh, const float* h, const float* c, float* h_new,
                 float* c_new, float* hid) const {
    const int64_t H = hidden_, GH = 4 * H;
    gemm(false, true, batch_, GH, H, 1.f, h, H, w_hh, H, 0.f, hid, GH);
    for (int64_t i = 0; i < batch_ * GH; ++i) hid[i] += g_in[i];
    for (int64_t b = 0; b < batch_; ++b) {
      float* ig = hid + b * GH;
      float *fg = ig + H, *cand = fg + H, *og = cand + H;
      tanh_.apply(cand, H);
      sig_.apply(ig, H);
      sig_.apply(fg, H);
      sig_.apply(og, H);
      float* cn = c_new + b * H;
      float* hn = h_new + b * H;
      const float* cp = c + b * H;
      for (int64_t j = 0; j < H; ++j) cn[j] = cand[j] * ig[j] + cp[j] * fg[j];
      std::copy(cn, cn + H, hn);
      tanh_.apply(hn, H);
      for (int64_t j = 0; j < H; ++j) hn[j] *= og[j];
    }
  }

  // hid[:, r|z] = h' W_hh_rz^T + input gates; reset = (h' W_hh_c^T + b_hh_c) * r.
  void gru_step(const float* g_in, const float* w_hh, const float* b_hh, const float* h, float* h_new,
                float* reset, float* hid) const {
    const int64_t H = hidden_, GH = 3 * H;
    gemm(false, true, batch_, 2 * H, H, 1.f, h, H, w_hh, H, 0.f, hid, GH);
    gemm(false, true, batch_, H, H, 1.f, h, H, w_hh + 2 * H * H, H, 0.f, reset, H);
    for (int64_t b = 0; b < batch_; ++b) {
      float* r = hid + b * GH;
      float *z = r + H, *cand = z + H;
      const float* gi = g_in + b * GH;
      for (int64_t j = 0; j < 2 * H; ++j) r[j] += gi[j];
      std::copy(gi + 2 * H, gi + GH, cand);
      sig_.apply(r, 2 * H);
      float* rs = reset + b * H;
      for (int64_t j = 0; j < H; ++j) {
        rs[j] = (rs[j] + b_hh[2 * H + j]) * r[j];
        cand[j] += rs[j];
      }
      tanh_.apply(cand, H);
      const float* hp = h + b * H;
      float* hn = h_new + b * H;
      for (int64_t j = 0; j < H; ++j) hn[j] = (1.f - z[j]) * cand[j] + z[j] * hp[j];
    }
  }

  Activation sig_, tanh_;
  bool lstm_;
  int64_t gates_, layers_, dirs_, hidden_;
  int64_t steps_ = 0, batch_ = 0, input_ = 0, gates_n_ = 0, layer_n_ = 0;
  bool has_seq_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  const std::string mode = op.get_string("mode", "");
  if (mode != "LSTM" && mode != "GRU")
    return Status::Unsupported(op.type + ": mode '" + mode + "' (Paddle Lite's rnn kernel implements LSTM and GRU)");
  const int64_t layers = op.get_int("num_layers", 1), hidden = op.get_int("hidden_size", 0);
  // Bounds keep layers * dirs * 4 (the WeightList count) and G * H within int.
  if (layers < 1 || layers > 1024)
    return Status::BadModel(format("%s: num_layers %lld out of range", op.type.c_str(), static_cast<long long>(layers)));
  if (hidden < 1 || hidden > shp::kMaxElements / 4)
    return Status::BadModel(format("%s: hidden_size %lld out of range", op.type.c_str(), static_cast<long long>(hidden)));
  Activation sigmoid, tanh;
  TAILOR_RETURN_IF_ERROR(init.activation("sigmoid", &sigmoid));
  TAILOR_RETURN_IF_ERROR(init.activation("tanh", &tanh));
  if (!sigmoid.fn || !tanh.fn) return Status::Unsupported(op.type + ": no sigmoid / tanh epilogue in this build");
  out->reset(new RnnRef(sigmoid, tanh, mode == "LSTM", layers, op.get_bool("is_bidirec", false), hidden));
  return Status::Ok();
}

}  // namespace rnn_f32_ref
}  // namespace kernels
}  // namespace tailor
