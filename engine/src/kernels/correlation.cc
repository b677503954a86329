// correlation.f32.ref — FlowNet's correlation layer as Paddle Lite's host kernel computes it: Input1 and
// Input2 [N, C, H, W] -> Output [N, D * D, out_h, out_w], D = 2 * (max_displacement / stride2) + 1,
// out_h = ceil((H + 2 * pad_size - 2 * (max_displacement + r)) / stride1) with r = (kernel_size - 1) / 2.
// Output pixel (y, x) is centred at (y - pad_size) * stride1 + max_displacement + r of the unpadded
// input (Lite's placement; FlowNet's y * stride1 - pad_size + ... differs when stride1 > 1); channel
// (ti, tj) is the mean over the kernel_size^2 * C window products of Input1 around the centre and
// Input2 around the centre moved by (ti, tj) * stride2, taps outside either image adding nothing.
#include <cmath>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace kernels {
namespace correlation_f32_ref {
namespace {

namespace shp = helpers::tensor_checks;

// Attribute bound: keeps every coordinate below comfortably inside int64.
constexpr int64_t kMaxAttr = 1 << 12;

class CorrelationRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* a = ctx.input("Input1");
    const Tensor* b = ctx.input("Input2");
    Tensor* out = ctx.output("Output");
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, a, "Input1"));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, b, "Input2"));
    if (!out) return Status::BadModel(op + ": missing output Output");
    if (a->rank() != 4 || a->dims() != b->dims())
      return Status::Invalid(op + ": Input1 " + shp::str(a->dims()) + " and Input2 " + shp::str(b->dims()) +
                             " must be the same 4-D NCHW shape");
    pad_ = desc.get_int("pad_size", 0);
    kernel_ = desc.get_int("kernel_size", 1);
    max_disp_ = desc.get_int("max_displacement", 0);
    stride1_ = desc.get_int("stride1", 1);
    stride2_ = desc.get_int("stride2", 1);
    if (pad_ < 0 || pad_ > kMaxAttr || kernel_ < 1 || kernel_ > kMaxAttr || max_disp_ < 0 || max_disp_ > kMaxAttr ||
        stride1_ < 1 || stride1_ > kMaxAttr || stride2_ < 1 || stride2_ > kMaxAttr)
      return Status::BadModel(op + ": pad_size, kernel_size, max_displacement, stride1 or stride2 out of range");
    const int64_t border = max_disp_ + (kernel_ - 1) / 2;
    const int64_t span_h = a->dim(2) + 2 * pad_ - 2 * border, span_w = a->dim(3) + 2 * pad_ - 2 * border;
    if (span_h <= 0 || span_w <= 0)
      return Status::Invalid(op + ": input " + shp::str(a->dims()) + " too small for max_displacement " +
                             std::to_string(max_disp_) + " and kernel_size " + std::to_string(kernel_));
    const int64_t d = 2 * (max_disp_ / stride2_) + 1;
    Dims od = {a->dim(0), d * d, (span_h + stride1_ - 1) / stride1_, (span_w + stride1_ - 1) / stride1_};
    TAILOR_RETURN_IF_ERROR(shp::check_dims(op, od));
    out->set_shape(DType::kF32, std::move(od));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* a_t = ctx.input("Input1");
    Tensor* out_t = ctx.output("Output");
    const float* in1 = a_t->data<float>();
    const float* in2 = ctx.input("Input2")->data<float>();
    float* out = out_t->mutable_data<float>();
    if (!in1 || !in2 || !out) return Status::Internal(ctx.op().type + ": unbound tensor data");
    const int64_t n = a_t->dim(0), c = a_t->dim(1), h = a_t->dim(2), w = a_t->dim(3);
    const int64_t oc = out_t->dim(1), oh = out_t->dim(2), ow = out_t->dim(3);
    const int64_t rad = (kernel_ - 1) / 2, drad = max_disp_ / stride2_, dsize = 2 * drad + 1;
    const float norm = static_cast<float>(kernel_ * kernel_ * c);
    const int64_t plane = h * w;
    for (int64_t bi = 0; bi < n; ++bi) {
      const float* x1 = in1 + bi * c * plane;
      const float* x2 = in2 + bi * c * plane;
      float* o = out + bi * oc * oh * ow;
      for (int64_t y = 0; y < oh; ++y) {
        const int64_t cy = (y - pad_) * stride1_ + max_disp_ + rad;
        for (int64_t x = 0; x < ow; ++x) {
          const int64_t cx = (x - pad_) * stride1_ + max_disp_ + rad;
          for (int64_t ti = -drad; ti <= drad; ++ti) {
            for (int64_t tj = -drad; tj <= drad; ++tj) {
              float sum = 0.f;
              for (int64_t i = -rad; i <= rad; ++i) {
                const int64_t ya = cy + i, yb = cy + ti * stride2_ + i;
                if (ya < 0 || ya >= h || yb < 0 || yb >= h) continue;
                for (int64_t j = -rad; j <= rad; ++j) {
                  const int64_t xa = cx + j, xb = cx + tj * stride2_ + j;
                  if (xa < 0 || xa >= w || xb < 0 || xb >= w) continue;
                  for (int64_t ch = 0; ch < c; ++ch) sum += x1[ch * plane + ya * w + xa] * x2[ch * plane + yb * w + xb];
                }
              }
              o[((ti + drad) * dsize + tj + drad) * oh * ow + y * ow + x] = sum / norm;
            }
          }
        }
      }
    }
    return Status::Ok();
  }

 private:
  int64_t pad_ = 0, kernel_ = 1, max_disp_ = 0, stride1_ = 1, stride2_ = 1;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  out->reset(new CorrelationRef());
  return Status::Ok();
}

}  // namespace correlation_f32_ref
}  // namespace kernels
}  // namespace tailor
