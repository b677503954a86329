// matmul.f32.ref — portable float32 matmul (v1: transpose_X/transpose_Y/alpha) and
// matmul_v2 (trans_x/trans_y), one unit because they differ only in attribute names and
// in how 1-D operands shape the output.
//
// Operands of rank >= 2 are stacks of matrices; the batch dims broadcast numpy-style
// (right-aligned, 1 stretches). A 1-D X is a row vector [1,K] and a 1-D Y a column
// vector [K,1]; that unit dim is dropped from the output (v2 keeps [1] when both are 1-D).
// matmul v1 with both operands 1-D and both transposed is the outer product [Kx, Ky].
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/f32-gemm/ref.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace matmul_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

class MatmulRef final : public Kernel {
 public:
  explicit MatmulRef(bool v2) : v2_(v2) {}

  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* x = ctx.input("X");
    const Tensor* y = ctx.input("Y");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, y, "Y"));
    if (!out) return Status::BadModel(op + ": missing output Out");
    trans_x_ = desc.get_bool(v2_ ? "trans_x" : "transpose_X", false);
    trans_y_ = desc.get_bool(v2_ ? "trans_y" : "transpose_Y", false);
    alpha_ = v2_ ? 1.f : static_cast<float>(desc.get_float("alpha", 1.0));
    const Dims& xd = x->dims();
    const Dims& yd = y->dims();
    if (xd.empty() || yd.empty())
      return Status::Invalid(op + ": operands must have rank >= 1, got " + shp::str(xd) + " and " +
                             shp::str(yd));

    Dims out_dims;
    if (!v2_ && xd.size() == 1 && yd.size() == 1 && trans_x_ && trans_y_) {
      // Paddle Lite's v1 outer product: x as a column, y as a row.
      m_ = xd[0];
      n_ = yd[0];
      k_ = 1;
      batch_x_ = batch_y_ = {};
      trans_x_ = trans_y_ = false;
      out_batch_ = {};
      TAILOR_RETURN_IF_ERROR(finish_strides(op));
      out_dims = {m_, n_};
      TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out_dims));
      out->set_shape(DType::kF32, std::move(out_dims));
      return Status::Ok();
    }
    // Matrix views: 1-D operands become [1,K] / [K,1]; their transpose flag is moot.
    Dims mx = xd, my = yd;
    const bool x_vec = xd.size() == 1, y_vec = yd.size() == 1;
    if (x_vec) { mx = {1, xd[0]}; trans_x_ = false; }
    if (y_vec) { my = {yd[0], 1}; trans_y_ = false; }
    const size_t rx = mx.size(), ry = my.size();
    m_ = trans_x_ ? mx[rx - 1] : mx[rx - 2];
    const int64_t kx = trans_x_ ? mx[rx - 2] : mx[rx - 1];
    const int64_t ky = trans_y_ ? my[ry - 1] : my[ry - 2];
    n_ = trans_y_ ? my[ry - 2] : my[ry - 1];
    if (kx != ky)
      return Status::Invalid(op + ": inner dimensions differ: X " + shp::str(xd) + " and Y " +
                             shp::str(yd) + (trans_x_ ? " (X transposed)" : "") +
                             (trans_y_ ? " (Y transposed)" : ""));
    k_ = kx;
    batch_x_.assign(mx.begin(), mx.end() - 2);
    batch_y_.assign(my.begin(), my.end() - 2);
    // Broadcast the batch dims (right-aligned).
    const size_t rb = std::max(batch_x_.size(), batch_y_.size());
    batch_x_.insert(batch_x_.begin(), rb - batch_x_.size(), 1);
    batch_y_.insert(batch_y_.begin(), rb - batch_y_.size(), 1);
    out_batch_.assign(rb, 1);
    for (size_t i = 0; i < rb; ++i) {
      const int64_t a = batch_x_[i], b = batch_y_[i];
      if (a != b && a != 1 && b != 1)
        return Status::Invalid(op + ": batch dims of X " + shp::str(xd) + " and Y " + shp::str(yd) +
                               " do not broadcast");
      out_batch_[i] = a == 1 ? b : a;
    }
    TAILOR_RETURN_IF_ERROR(finish_strides(op));

    out_dims = out_batch_;
    if (!x_vec) out_dims.push_back(m_);
    if (!y_vec) out_dims.push_back(n_);
    if (x_vec && y_vec) out_dims.push_back(1);  // v1 and v2 both give [1] for a dot product
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, out_dims));
    out->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    const float* y = ctx.input("Y")->data<float>();
    float* out = ctx.output("Out")->mutable_data<float>();
    if (!x || !y || !out) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t lda = trans_x_ ? m_ : k_, ldb = trans_y_ ? k_ : n_;
    const size_t rb = out_batch_.size();
    std::vector<int64_t> idx(rb, 0);
    int64_t xo = 0, yo = 0;
    for (int64_t b = 0; b < batches_; ++b) {
      helpers::f32_gemm_ref::gemm(trans_x_, trans_y_, m_, n_, k_, alpha_, x + xo, lda, y + yo, ldb,
                                  0.f, out + b * m_ * n_, n_);
      for (size_t d = rb; d-- > 0;) {
        xo += x_step_[d];
        yo += y_step_[d];
        if (++idx[d] < out_batch_[d]) break;
        xo -= x_step_[d] * out_batch_[d];
        yo -= y_step_[d] * out_batch_[d];
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  // Element strides of each operand's matrices along the output batch dims (0: broadcast).
  Status finish_strides(const std::string& op) {
    const size_t rb = out_batch_.size();
    x_step_.assign(rb, 0);
    y_step_.assign(rb, 0);
    int64_t sx = m_ * k_, sy = k_ * n_;
    for (size_t i = rb; i-- > 0;) {
      if (batch_x_[i] != 1) x_step_[i] = sx;
      if (batch_y_[i] != 1) y_step_[i] = sy;
      sx *= batch_x_[i];
      sy *= batch_y_[i];
    }
    int64_t n = 1;
    TAILOR_RETURN_IF_ERROR(shp::numel(op, out_batch_, &n));
    batches_ = n;
    return Status::Ok();
  }

  bool v2_;
  bool trans_x_ = false, trans_y_ = false;
  float alpha_ = 1.f;
  int64_t m_ = 0, n_ = 0, k_ = 0, batches_ = 1;
  Dims batch_x_, batch_y_, out_batch_;
  std::vector<int64_t> x_step_, y_step_;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  out->reset(new MatmulRef(init.op().type == "matmul_v2"));
  return Status::Ok();
}

}  // namespace matmul_f32_ref
}  // namespace kernels
}  // namespace tailor
