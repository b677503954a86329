// box_coder: encodes target boxes against prior boxes (encode_center_size: TargetBox [N, 4] ->
// OutputBox [N, M, 4] offsets of each target to each of the M priors) or decodes offsets back to
// corners (decode_center_size: TargetBox [N, M, 4]; the prior of element (i, j) is row j with axis 0,
// row i with axis 1). Variances come from PriorBoxVar [M, 4] if present, else from the `variance`
// attribute (4 values) if set, else 1. With box_normalized false widths and heights count pixels (+1).
#include <cmath>

#include "helpers/detection/detection_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace box_coder_f32_ref {

namespace du = helpers::detection_util;
namespace su = helpers::shape_util;

namespace {

class BoxCoder final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const OpDesc& d = ctx.op();
    const Tensor *prior = nullptr, *target = nullptr, *var = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(du::get_f32(ctx, op, "PriorBox", 2, &prior));
    TAILOR_RETURN_IF_ERROR(du::get_f32(ctx, op, "TargetBox", -1, &target));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "OutputBox", 0, &out));
    if (prior->dim(1) != 4)
      return Status::Invalid(op + ": PriorBox must be [M, 4], got " + su::dims_str(prior->dims()));
    has_var_input_ = su::has_input(ctx, "PriorBoxVar");
    if (has_var_input_) {
      TAILOR_RETURN_IF_ERROR(du::get_f32(ctx, op, "PriorBoxVar", 2, &var));
      if (var->dims() != prior->dims())
        return Status::Invalid(op + ": PriorBoxVar " + su::dims_str(var->dims()) + " must match PriorBox " +
                               su::dims_str(prior->dims()));
    }
    variance_ = du::float_list(d, "variance");
    if (!variance_.empty() && variance_.size() != 4) return Status::Invalid(op + ": variance must hold 4 values");
    const std::string code = d.get_string("code_type", "encode_center_size");
    normalized_ = d.get_bool("box_normalized", true);
    axis_ = d.get_int("axis", 0);
    const int64_t m = prior->dim(0);
    Dims out_dims;
    if (code == "encode_center_size") {
      encode_ = true;
      if (target->rank() != 2 || target->dim(1) != 4)
        return Status::Invalid(op + ": encode needs TargetBox [N, 4], got " + su::dims_str(target->dims()));
      out_dims = {target->dim(0), m, 4};
    } else if (code == "decode_center_size") {
      encode_ = false;
      if (axis_ != 0 && axis_ != 1)
        return Status::Invalid(op + ": axis must be 0 or 1, got " + std::to_string(axis_));
      if (target->rank() != 3 || target->dim(2) != 4 || target->dim(axis_ == 0 ? 1 : 0) != m)
        return Status::Invalid(op + ": decode with axis " + std::to_string(axis_) + " needs TargetBox [" +
                               (axis_ == 0 ? "N, M, 4" : "M, N, 4") + "] with M = " + std::to_string(m) +
                               " priors, got " + su::dims_str(target->dims()));
      out_dims = target->dims();
    } else {
      return Status::Invalid(op + ": unknown code_type '" + code + "'");
    }
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "OutputBox", out_dims));
    out->set_shape(DType::kF32, out_dims);
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* prior = ctx.input("PriorBox", 0);
    const Tensor* target = ctx.input("TargetBox", 0);
    const Tensor* var = has_var_input_ ? ctx.input("PriorBoxVar", 0) : nullptr;
    Tensor* out = ctx.output("OutputBox", 0);
    if (!prior || !target || !out || !prior->raw() || !target->raw() || !out->raw_mut() ||
        (has_var_input_ && (!var || !var->raw())))
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    const float* p = prior->data<float>();
    const float* t = target->data<float>();
    const float* v = var ? var->data<float>() : nullptr;
    float* o = out->mutable_data<float>();
    const int64_t rows = out->dim(0), cols = out->dim(1);
    const float norm = normalized_ ? 0.f : 1.f;
    const float ones[4] = {1.f, 1.f, 1.f, 1.f};
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < cols; ++j) {
        const int64_t pr = encode_ || axis_ == 0 ? j : i;
        const float* pb = p + pr * 4;
        const float pw = pb[2] - pb[0] + norm, ph = pb[3] - pb[1] + norm;
        const float pcx = pb[0] + pw / 2, pcy = pb[1] + ph / 2;
        const float* vr = v ? v + pr * 4 : !variance_.empty() ? variance_.data() : ones;
        float* ob = o + (i * cols + j) * 4;
        if (encode_) {
          const float* tb = t + i * 4;
          const float tcx = (tb[2] + tb[0]) / 2, tcy = (tb[3] + tb[1]) / 2;
          const float tw = tb[2] - tb[0] + norm, th = tb[3] - tb[1] + norm;
          ob[0] = (tcx - pcx) / pw;
          ob[1] = (tcy - pcy) / ph;
          ob[2] = std::log(std::fabs(tw / pw));
          ob[3] = std::log(std::fabs(th / ph));
          if (v || !variance_.empty()) {
            for (int k = 0; k < 4; ++k) ob[k] /= vr[k];
          }
        } else {
          const float* tb = t + (i * cols + j) * 4;
          const float tcx = vr[0] * tb[0] * pw + pcx, tcy = vr[1] * tb[1] * ph + pcy;
          const float tw = std::exp(vr[2] * tb[2]) * pw, th = std::exp(vr[3] * tb[3]) * ph;
          ob[0] = tcx - tw / 2;
          ob[1] = tcy - th / 2;
          ob[2] = tcx + tw / 2 - norm;
          ob[3] = tcy + th / 2 - norm;
        }
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<float> variance_;
  int64_t axis_ = 0;
  bool encode_ = true, normalized_ = true, has_var_input_ = false;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<BoxCoder>("box_coder.f32.ref", out);
}

}  // namespace box_coder_f32_ref
}  // namespace kernels
}  // namespace tailor
