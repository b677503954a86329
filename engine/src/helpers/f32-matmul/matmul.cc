#include "helpers/f32-matmul/matmul.h"

#include <string>
#include <vector>

#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace f32_matmul {

namespace {

int64_t product(const Dims& d, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= d[i];  // dims already checked: no overflow
  return p;
}

// fc and mul: one GEMM of a flattened [M,K] input and a [K,N] weight.
class FlatGemm final : public Kernel {
 public:
  FlatGemm(std::string where, const f32_gemm::GemmBackend& gemm, const Activation& act)
      : where_(std::move(where)), gemm_(gemm), act_(act) {}

  Status infer(OpContext& ctx) override {
    const OpDesc& op = ctx.op();
    const bool fc = op.type == "fc";
    const Tensor* x = ctx.input(fc ? "Input" : "X");
    const Tensor* w = ctx.input(fc ? "W" : "Y");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where_, x, fc ? "Input" : "X"));
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where_, w, fc ? "W" : "Y"));
    if (!out) return Status::BadModel(where_ + ": missing output Out");
    const Dims& xd = x->dims();
    const Dims& wd = w->dims();
    Dims out_dims;
    if (fc) {
      if (op.get_bool("padding_weights", false))
        return Status::Unsupported(where_ + ": padding_weights not supported");
      if (wd.size() != 2) return Status::BadModel(where_ + ": W must be 2-D, got " + tensor_checks::str(wd));
      int64_t ncd = op.get_int("in_num_col_dims", 1);
      const std::string op_type = op.get_string("op_type", "mul");
      if (op_type == "matmul" || op_type == "matmul_v2") ncd = static_cast<int64_t>(xd.size()) - 1;
      if (ncd < 0 || ncd >= static_cast<int64_t>(xd.size()))
        return Status::Invalid(where_ + ": in_num_col_dims " + std::to_string(ncd) +
                               " out of range for Input " + tensor_checks::str(xd));
      m_ = product(xd, 0, static_cast<size_t>(ncd));
      k_ = product(xd, static_cast<size_t>(ncd), xd.size());
      n_ = wd[1];
      if (k_ != wd[0])
        return Status::Invalid(where_ + ": Input " + tensor_checks::str(xd) + " flattened at " +
                               std::to_string(ncd) + " does not match W " + tensor_checks::str(wd));
      out_dims.assign(xd.begin(), xd.begin() + ncd);
      out_dims.push_back(n_);
      has_bias_ = ctx.input_count("Bias") > 0 && ctx.input("Bias") != nullptr;
      if (has_bias_) {
        const Tensor* b = ctx.input("Bias");
        TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where_, b, "Bias"));
        if (b->numel() != n_)
          return Status::Invalid(where_ + ": Bias " + tensor_checks::str(b->dims()) + " does not match N = " +
                                 std::to_string(n_));
      }
    } else {
      const int64_t xn = op.get_int("x_num_col_dims", 1), yn = op.get_int("y_num_col_dims", 1);
      if (xn < 1 || xn >= static_cast<int64_t>(xd.size()) || yn < 1 || yn >= static_cast<int64_t>(wd.size()))
        return Status::Invalid(where_ + ": x_num_col_dims " + std::to_string(xn) + " / y_num_col_dims " +
                               std::to_string(yn) + " out of range for X " + tensor_checks::str(xd) + ", Y " +
                               tensor_checks::str(wd));
      m_ = product(xd, 0, static_cast<size_t>(xn));
      k_ = product(xd, static_cast<size_t>(xn), xd.size());
      n_ = product(wd, static_cast<size_t>(yn), wd.size());
      if (k_ != product(wd, 0, static_cast<size_t>(yn)))
        return Status::Invalid(where_ + ": X " + tensor_checks::str(xd) + " and Y " + tensor_checks::str(wd) +
                               " have different inner sizes");
      out_dims.assign(xd.begin(), xd.begin() + xn);
      out_dims.insert(out_dims.end(), wd.begin() + yn, wd.end());
      has_bias_ = false;
    }
    TAILOR_RETURN_IF_ERROR(tensor_checks::check_dims(where_, out_dims));
    out->set_shape(DType::kF32, out_dims);
    ctx.request_scratch(gemm_.scratch_bytes);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const bool fc = ctx.op().type == "fc";
    const float* x = ctx.input(fc ? "Input" : "X")->data<float>();
    const float* w = ctx.input(fc ? "W" : "Y")->data<float>();
    const float* bias = has_bias_ ? ctx.input("Bias")->data<float>() : nullptr;
    float* out = ctx.output("Out")->mutable_data<float>();
    if (!x || !w || !out || (has_bias_ && !bias) || !ctx.scratch())
      return Status::Internal(where_ + ": unbound tensor data");
    gemm_.gemm(false, false, m_, n_, k_, x, k_, w, n_, out, n_, bias,
               bias ? f32_gemm::BiasKind::kPerColumn : f32_gemm::BiasKind::kNone, ctx.scratch());
    act_.apply(out, m_ * n_);
    return Status::Ok();
  }

 private:
  std::string where_;
  f32_gemm::GemmBackend gemm_;
  Activation act_;
  int64_t m_ = 0, k_ = 0, n_ = 0;
  bool has_bias_ = false;
};

// matmul / matmul_v2: batched GEMMs over the broadcast batch dims.
class BatchedGemm final : public Kernel {
 public:
  BatchedGemm(std::string where, const f32_gemm::GemmBackend& gemm, bool trans_x, bool trans_y,
              float alpha)
      : where_(std::move(where)), gemm_(gemm), trans_x_(trans_x), trans_y_(trans_y), alpha_(alpha) {}

  Status infer(OpContext& ctx) override {
    const Tensor* x = ctx.input("X");
    const Tensor* y = ctx.input("Y");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where_, x, "X"));
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where_, y, "Y"));
    if (!out) return Status::BadModel(where_ + ": missing output Out");
    Dims xd = x->dims(), yd = y->dims();
    if (xd.empty() || yd.empty())
      return Status::Invalid(where_ + ": X and Y must have rank >= 1");
    // 1-D operands: X [K] is a row vector, Y [K] a column vector; a transpose flag has
    // no effect on them (as in Paddle).
    const bool x_vec = xd.size() == 1, y_vec = yd.size() == 1;
    tx_ = trans_x_ && !x_vec;
    ty_ = trans_y_ && !y_vec;
    if (x_vec) xd.insert(xd.begin(), 1);
    if (y_vec) yd.push_back(1);
    const size_t rx = xd.size(), ry = yd.size();
    m_ = tx_ ? xd[rx - 1] : xd[rx - 2];
    k_ = tx_ ? xd[rx - 2] : xd[rx - 1];
    n_ = ty_ ? yd[ry - 2] : yd[ry - 1];
    const int64_t ky = ty_ ? yd[ry - 1] : yd[ry - 2];
    if (k_ != ky)
      return Status::Invalid(where_ + ": X " + tensor_checks::str(x->dims()) + " and Y " + tensor_checks::str(y->dims()) +
                             " have different inner sizes (trans_x " + std::to_string(trans_x_) +
                             ", trans_y " + std::to_string(trans_y_) + ")");
    // Batch dims, right-aligned and broadcast.
    const size_t bx = rx - 2, by = ry - 2, rb = bx > by ? bx : by;
    batch_.assign(rb, 1);
    x_batch_stride_.assign(rb, 0);
    y_batch_stride_.assign(rb, 0);
    int64_t xs = m_ * k_, ys = k_ * n_;
    for (size_t i = rb; i-- > 0;) {
      const int64_t dx = i + bx >= rb ? xd[i + bx - rb] : 1;
      const int64_t dy = i + by >= rb ? yd[i + by - rb] : 1;
      if (dx != dy && dx != 1 && dy != 1)
        return Status::Invalid(where_ + ": batch dims of X " + tensor_checks::str(x->dims()) + " and Y " +
                               tensor_checks::str(y->dims()) + " do not broadcast");
      batch_[i] = dx > dy ? dx : dy;
      if (dx != 1) x_batch_stride_[i] = xs;
      if (dy != 1) y_batch_stride_[i] = ys;
      xs *= dx;
      ys *= dy;
    }
    Dims out_dims(batch_.begin(), batch_.end());
    if (!x_vec) out_dims.push_back(m_);
    if (!y_vec) out_dims.push_back(n_);
    if (x_vec && y_vec) out_dims.push_back(1);  // Lite keeps [.., 1] for vector . vector
    TAILOR_RETURN_IF_ERROR(tensor_checks::check_dims(where_, out_dims));
    out->set_shape(DType::kF32, out_dims);
    ctx.request_scratch(gemm_.scratch_bytes);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    const float* y = ctx.input("Y")->data<float>();
    Tensor* out_t = ctx.output("Out");
    float* out = out_t->mutable_data<float>();
    void* scratch = ctx.scratch();
    if (!x || !y || !out || !scratch) return Status::Internal(where_ + ": unbound tensor data");
    const size_t rb = batch_.size();
    bool y_shared = true;  // Y is the same matrix for every batch entry
    for (size_t i = 0; i < rb; ++i) y_shared = y_shared && y_batch_stride_[i] == 0;
    int64_t batches = 1;
    for (int64_t b : batch_) batches *= b;
    const int64_t lda = tx_ ? m_ : k_, ldb = ty_ ? k_ : n_;
    if (y_shared && !tx_) {
      // Every batch entry multiplies the same Y, and X's entries are contiguous [M,K]
      // blocks: the whole batch is one GEMM with batches*M rows.
      gemm_.gemm(false, ty_, batches * m_, n_, k_, x, lda, y, ldb, out, n_, nullptr,
                 f32_gemm::BiasKind::kNone, scratch);
      scale(out, out_t->numel());
      return Status::Ok();
    }
    std::vector<int64_t> idx(rb, 0);
    int64_t xo = 0, yo = 0;
    for (int64_t b = 0; b < batches; ++b) {
      gemm_.gemm(tx_, ty_, m_, n_, k_, x + xo, lda, y + yo, ldb, out + b * m_ * n_, n_, nullptr,
                 f32_gemm::BiasKind::kNone, scratch);
      for (size_t d = rb; d-- > 0;) {  // odometer over the batch dims
        xo += x_batch_stride_[d];
        yo += y_batch_stride_[d];
        if (++idx[d] < batch_[d]) break;
        xo -= x_batch_stride_[d] * batch_[d];
        yo -= y_batch_stride_[d] * batch_[d];
        idx[d] = 0;
      }
    }
    scale(out, out_t->numel());
    return Status::Ok();
  }

 private:
  void scale(float* out, int64_t n) const {
    if (alpha_ == 1.f) return;
    for (int64_t i = 0; i < n; ++i) out[i] *= alpha_;
  }

  std::string where_;
  f32_gemm::GemmBackend gemm_;
  bool trans_x_, trans_y_;
  float alpha_;
  bool tx_ = false, ty_ = false;
  int64_t m_ = 0, k_ = 0, n_ = 0;
  std::vector<int64_t> batch_, x_batch_stride_, y_batch_stride_;
};

}  // namespace

Status create(const KernelInit& init, const f32_gemm::GemmBackend& gemm, const char* unit,
              std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  std::string where = op.type + " (" + unit + ")";
  if (op.type == "fc" || op.type == "mul") {
    Activation act;
    if (op.type == "fc") {
      const std::string act_type = op.get_string("activation_type", "");
      if (act_type == "prelu") return Status::Unsupported(where + ": fused prelu not supported");
      TAILOR_RETURN_IF_ERROR(init.activation(act_type, &act));
      // fc names the relu6 threshold `alpha` (lite/operators/fc_op.cc).
      if (act_type == "relu6" && op.has_attr("alpha")) act.alpha = static_cast<float>(op.get_float("alpha", 6.0));
    }
    out->reset(new FlatGemm(std::move(where), gemm, act));
    return Status::Ok();
  }
  if (op.type == "matmul" || op.type == "matmul_v2") {
    const bool v2 = op.type == "matmul_v2";
    const bool tx = op.get_bool(v2 ? "trans_x" : "transpose_X", false);
    const bool ty = op.get_bool(v2 ? "trans_y" : "transpose_Y", false);
    const float alpha = static_cast<float>(op.get_float("alpha", 1.0));
    out->reset(new BatchedGemm(std::move(where), gemm, tx, ty, alpha));
    return Status::Ok();
  }
  return Status::Internal(where + ": op type not served by this unit");
}

}  // namespace f32_matmul
}  // namespace helpers
}  // namespace tailor
