#include "helpers/f32-matmul/batched.h"

#include <string>
#include <utility>
#include <vector>

#include "helpers/f32-matmul/common.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace f32_matmul_batched {

namespace {

using f32_matmul::fail;

// Batched GEMMs over the broadcast batch dims.
class BatchedGemm final : public Kernel {
 public:
  BatchedGemm(std::string where, const f32_gemm::GemmBackend& gemm, bool trans_x, bool trans_y,
              float alpha)
      : where_(std::move(where)), gemm_(gemm), trans_x_(trans_x), trans_y_(trans_y), alpha_(alpha) {}

  Status infer(OpContext& ctx) override {
    const Tensor* x;
    const Tensor* y;
    Tensor* out;
    TAILOR_RETURN_IF_ERROR(f32_matmul::operands(where_, ctx, "X", "Y", &x, &y, &out));
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
      return fail(&Status::Invalid, where_,
                  {"X ", x->dims(), " and Y ", y->dims(), " have different inner sizes (trans_x ",
                   int64_t{trans_x_}, ", trans_y ", int64_t{trans_y_}, ")"});
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
        return fail(&Status::Invalid, where_,
                    {"batch dims of X ", x->dims(), " and Y ", y->dims(), " do not broadcast"});
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
    out->set_shape(DType::kF32, std::move(out_dims));
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
  const bool v2 = op.type == "matmul_v2";
  if (!v2 && op.type != "matmul") return Status::Internal(where + ": op type not served by this unit");
  const bool tx = op.get_bool(v2 ? "trans_x" : "transpose_X", false);
  const bool ty = op.get_bool(v2 ? "trans_y" : "transpose_Y", false);
  const float alpha = static_cast<float>(op.get_float("alpha", 1.0));
  out->reset(new BatchedGemm(std::move(where), gemm, tx, ty, alpha));
  return Status::Ok();
}

}  // namespace f32_matmul_batched
}  // namespace helpers
}  // namespace tailor
