// pad3d (float32): pads D, H and W of a 5-D tensor by `paddings` = [left,
// right, top, bottom, front, back] (or the Paddings tensor, a constant), with
// mode "constant" (`value`), "reflect" (mirror without the edge), "replicate"
// (repeat the edge) or "circular" (wrap). data_format NCDHW (default) or NDHWC.
//
// Reference semantics are Paddle's (the model's source framework), which this
// unit follows where Paddle Lite 2.13 differs. Lite serves pad3d with one
// kernel, pad3d/kHost/kFloat (there is no ARM or x86 pad3d kernel; the
// fixtures' ARM and x86 models both carry the kHost key), and that kernel's
// math (lite/backends/host/math/pad3d.cc) has bugs we do not reproduce:
//  - constant mode fills the pad region with memset(dst, pad_value, ...): the
//    float is converted to an int byte, so only values truncating to 0 give
//    the intended result (value 0.5 pads with 0, value 1 with 2.4e-38). We pad
//    with `value`, as Paddle does; the pad3d_constant fixture expects Paddle's
//    output (0.5), and its lite_x86 output (0) shows the Lite bug.
//  - a Paddings tensor input is ignored (AttachImpl sets all pads to 0); we
//    read it, like Paddle, when its data is known at plan time (else refuse).
//  - NDHWC output dims are [N, D', H', W', x_dims[1]] (x_dims[1] is D, not C);
//    we declare Paddle's [N, D', H', W', C].
//  - the pad <= size - 1 check is applied to "replicate" instead of
//    "reflect"; we check reflect pads (< size), as Paddle does, and allow any
//    pad >= 0 for replicate and circular.
#include <string>
#include <vector>

#include "helpers/pad/pad_util.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace pad3d_f32_ref {

namespace su = helpers::shape_util;
namespace pu = helpers::pad_util;

namespace {

class Pad3d final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    if (x->dtype() != DType::kF32) {
      return Status::Unsupported(op + ": unsupported dtype " + dtype_name(x->dtype()) + " (float32 only)");
    }
    if (x->rank() != 5) return Status::Invalid(op + ": input must be 5-D, got " + su::dims_str(x->dims()));

    const std::string mode_name = ctx.op().get_string("mode", "constant");
    pu::Mode mode = pu::Mode::kConstant;
    // "edge" is pad2d's name for replicate; pad3d does not take it.
    if (mode_name == "edge" || !pu::parse_mode(mode_name, &mode)) {
      return Status::Unsupported(op + ": mode '" + mode_name + "' (constant, reflect, replicate or circular)");
    }
    const std::string format = ctx.op().get_string("data_format", "NCDHW");
    if (format != "NCDHW" && format != "NDHWC") {
      return Status::Unsupported(op + ": data_format '" + format + "' (NCDHW or NDHWC)");
    }

    std::vector<int64_t> p;
    if (su::has_input(ctx, "Paddings")) {
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "Paddings", *ctx.input("Paddings", 0), &p));
    } else {
      p = ctx.op().get_ints("paddings");
    }
    if (p.size() != 6) return Status::Invalid(op + ": paddings " + su::ints_str(p) + " must have 6 values");

    const bool ndhwc = format == "NDHWC";
    const Dims& d = x->dims();
    const int64_t n = d[0], c = d[ndhwc ? 4 : 1];
    const int first = ndhwc ? 1 : 2;  // dim index of D
    const int64_t in[pu::kAxes] = {d[first], d[first + 1], d[first + 2]};
    const int64_t before[pu::kAxes] = {p[4], p[2], p[0]};  // front, top, left
    const int64_t after[pu::kAxes] = {p[5], p[3], p[1]};   // back, bottom, right
    const char* const names[pu::kAxes] = {"depth (front/back)", "height (top/bottom)", "width (left/right)"};
    pu::Plan plan;
    // n, c <= kMaxElements and n * c <= numel(x) (get_input checked the shape).
    TAILOR_RETURN_IF_ERROR(pu::make_plan(op, mode, ndhwc ? n : n * c, ndhwc ? c : 1, in, before, after, names, &plan));
    Dims out_dims = ndhwc ? Dims{n, plan.out[0], plan.out[1], plan.out[2], c}
                          : Dims{n, c, plan.out[0], plan.out[1], plan.out[2]};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    plan_ = plan;
    value_ = static_cast<float>(ctx.op().get_float("value", 0.0));
    out->set_shape(DType::kF32, std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
      return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
    }
    if (x->dtype() != DType::kF32) return Status::Internal(ctx.op().type + ": dtype changed after infer");
    pu::pad(plan_, value_, x->data<float>(), out->mutable_data<float>());
    return Status::Ok();
  }

 private:
  pu::Plan plan_;
  float value_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Pad3d>("pad3d.f32.ref", out);
}

}  // namespace pad3d_f32_ref
}  // namespace kernels
}  // namespace tailor
