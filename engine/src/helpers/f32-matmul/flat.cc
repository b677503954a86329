#include "helpers/f32-matmul/flat.h"

#include <algorithm>
#include <cinttypes>
#include <string>
#include <utility>

#include "helpers/f32-matmul/common.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace f32_matmul_flat {

namespace {

using tensor_checks::str;

int64_t product(const Dims& d, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= d[i];  // dims already checked: no overflow
  return p;
}

// One GEMM of X flattened at x_split_ ([M,K]) and W flattened at w_split_ ([K,N]): fc's W is
// 2-D (split at 1), mul's Y is flattened at y_num_col_dims.
class FlatGemm final : public Kernel {
 public:
  FlatGemm(std::string where, const f32_gemm::GemmBackend& gemm, const Activation& act, const OpDesc& op,
           bool fc)
      : where_(std::move(where)), gemm_(gemm), act_(act), fc_(fc) {
    if (fc) {
      padding_weights_ = op.get_bool("padding_weights", false);
      x_split_ = op.get_int("in_num_col_dims", 1);
      const std::string op_type = op.get_string("op_type", "mul");
      flatten_last_ = op_type == "matmul" || op_type == "matmul_v2";
    } else {
      x_split_ = op.get_int("x_num_col_dims", 1);
      w_split_ = op.get_int("y_num_col_dims", 1);
    }
  }

  Status infer(OpContext& ctx) override {
    const Tensor* x;
    const Tensor* w;
    Tensor* out;
    TAILOR_RETURN_IF_ERROR(f32_matmul::operands(where_, ctx, x_slot(), w_slot(), &x, &w, &out));
    const char* where = where_.c_str();
    const Dims& xd = x->dims();
    const Dims& wd = w->dims();
    const int64_t rx = static_cast<int64_t>(xd.size()), rw = static_cast<int64_t>(wd.size());
    int64_t xs = x_split_;
    if (fc_) {
      if (padding_weights_)
        return Status::Format(StatusCode::kUnsupported, "%s: padding_weights not supported", where);
      if (rw != 2)
        return Status::Format(StatusCode::kInvalidModel, "%s: W must be 2-D, got %s", where, str(wd).c_str());
      if (flatten_last_) xs = rx - 1;
      if (xs < 0 || xs >= rx)
        return Status::Format(StatusCode::kInvalidArgument, "%s: in_num_col_dims %" PRId64 " out of range for Input %s",
                              where, xs, str(xd).c_str());
    } else if (xs < 1 || xs >= rx || w_split_ < 1 || w_split_ >= rw) {
      return Status::Format(StatusCode::kInvalidArgument,
                            "%s: x_num_col_dims %" PRId64 " / y_num_col_dims %" PRId64 " out of range for X %s, Y %s",
                            where, xs, w_split_, str(xd).c_str(), str(wd).c_str());
    }
    const size_t xsplit = static_cast<size_t>(xs), wsplit = static_cast<size_t>(w_split_);  // in range
    m_ = product(xd, 0, xsplit);
    k_ = product(xd, xsplit, xd.size());
    n_ = product(wd, wsplit, wd.size());
    if (k_ != product(wd, 0, wsplit)) {
      if (fc_)
        return Status::Format(StatusCode::kInvalidArgument, "%s: Input %s flattened at %" PRId64 " does not match W %s",
                              where, str(xd).c_str(), xs, str(wd).c_str());
      return Status::Format(StatusCode::kInvalidArgument, "%s: X %s and Y %s have different inner sizes", where,
                            str(xd).c_str(), str(wd).c_str());
    }
    Dims out_dims(xsplit + wd.size() - wsplit);  // xd[:xsplit] + wd[wsplit:]
    std::copy(xd.begin(), xd.begin() + xs, out_dims.begin());
    std::copy(wd.begin() + w_split_, wd.end(), out_dims.begin() + xs);
    const Tensor* b = fc_ ? ctx.input("Bias") : nullptr;  // nullptr when the slot is absent or empty
    has_bias_ = b != nullptr;
    if (has_bias_) {
      TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where_, b, "Bias"));
      if (b->numel() != n_)
        return Status::Format(StatusCode::kInvalidArgument, "%s: Bias %s does not match N = %" PRId64, where,
                              str(b->dims()).c_str(), n_);
    }
    TAILOR_RETURN_IF_ERROR(tensor_checks::check_dims(where_, out_dims));
    out->set_shape(DType::kF32, std::move(out_dims));
    ctx.request_scratch(gemm_.scratch_bytes);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input(x_slot())->data<float>();
    const float* w = ctx.input(w_slot())->data<float>();
    const float* bias = has_bias_ ? ctx.input("Bias")->data<float>() : nullptr;
    float* out = ctx.output("Out")->mutable_data<float>();
    if (!x || !w || !out || (has_bias_ && !bias) || !ctx.scratch())
      return Status::Format(StatusCode::kInternal, "%s: unbound tensor data", where_.c_str());
    gemm_.gemm(false, false, m_, n_, k_, x, k_, w, n_, out, n_, bias,
               bias ? f32_gemm::BiasKind::kPerColumn : f32_gemm::BiasKind::kNone, ctx.scratch());
    act_.apply(out, m_ * n_);
    return Status::Ok();
  }

 private:
  const char* x_slot() const { return fc_ ? "Input" : "X"; }
  const char* w_slot() const { return fc_ ? "W" : "Y"; }

  std::string where_;
  f32_gemm::GemmBackend gemm_;
  Activation act_;
  bool fc_;                    // fc (Input, W, Bias) or mul (X, Y)
  bool padding_weights_ = false;
  bool flatten_last_ = false;  // fc with op_type matmul / matmul_v2: X splits at rank - 1
  int64_t x_split_ = 1;        // in_num_col_dims (fc) or x_num_col_dims (mul)
  int64_t w_split_ = 1;        // 1 (fc: W is [K,N]) or y_num_col_dims (mul)
  int64_t m_ = 0, k_ = 0, n_ = 0;
  bool has_bias_ = false;
};

}  // namespace

Status create(const KernelInit& init, const f32_gemm::GemmBackend& gemm, const char* unit,
              std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  std::string where = op.type;
  where.append(" (").append(unit).append(")");
  const bool fc = op.type == "fc";
  if (!fc && op.type != "mul")
    return Status::Format(StatusCode::kInternal, "%s: op type not served by this unit", where.c_str());
  Activation act;
  if (fc) {
    const std::string act_type = op.get_string("activation_type", "");
    if (act_type == "prelu")
      return Status::Format(StatusCode::kUnsupported, "%s: fused prelu not supported", where.c_str());
    TAILOR_RETURN_IF_ERROR(init.activation(act_type, &act));
    // fc names the relu6 threshold `alpha` (lite/operators/fc_op.cc).
    if (act_type == "relu6" && op.has_attr("alpha"))
      act.alpha = static_cast<float>(op.get_float("alpha", 6.0));
  }
  out->reset(new FlatGemm(std::move(where), gemm, act, op, fc));
  return Status::Ok();
}

}  // namespace f32_matmul_flat
}  // namespace helpers
}  // namespace tailor
