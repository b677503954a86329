// pad2d (float32/float64/int32/int64): pads H and W of a 4-D tensor by
// `paddings` = [top, bottom, left, right] (or the Paddings tensor, a constant),
// with mode "constant" (pad_value), "reflect" (mirror without the edge) or
// "edge" (replicate). data_format NCHW or NHWC.
#include <cmath>
#include <limits>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace pad2d_any_ref {

namespace su = helpers::shape_util;

namespace {

enum class Mode { kConstant, kReflect, kEdge };

struct Geometry {
  int64_t n = 0, c = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0, top = 0, left = 0;
  bool nhwc = false;
};

// Maps an output coordinate to the input one; -1 means "pad value".
int64_t source(int64_t o, int64_t pad, int64_t size, Mode mode) {
  int64_t i = o - pad;
  if (i >= 0 && i < size) return i;
  switch (mode) {
    case Mode::kConstant: return -1;
    case Mode::kEdge: return i < 0 ? 0 : size - 1;
    case Mode::kReflect: return i < 0 ? -i : 2 * (size - 1) - i;  // pads < size keep this in range
  }
  return -1;
}

template <typename T>
void pad(const Geometry& g, Mode mode, T value, const T* x, T* y) {
  for (int64_t n = 0; n < g.n; ++n) {
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const int64_t ih = source(oh, g.top, g.in_h, mode);
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const int64_t iw = source(ow, g.left, g.in_w, mode);
        const bool inside = ih >= 0 && iw >= 0;
        for (int64_t c = 0; c < g.c; ++c) {
          const int64_t out_at = g.nhwc ? ((n * g.out_h + oh) * g.out_w + ow) * g.c + c
                                        : ((n * g.c + c) * g.out_h + oh) * g.out_w + ow;
          const int64_t in_at = g.nhwc ? ((n * g.in_h + ih) * g.in_w + iw) * g.c + c
                                       : ((n * g.c + c) * g.in_h + ih) * g.in_w + iw;
          y[out_at] = inside ? x[in_at] : value;
        }
      }
    }
  }
}

class Pad2d final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    switch (x->dtype()) {
      case DType::kF32: case DType::kF64: case DType::kI32: case DType::kI64: break;
      default: return Status::Unsupported(op + ": unsupported dtype " + dtype_name(x->dtype()));
    }
    if (x->rank() != 4) return Status::Invalid(op + ": input must be 4-D, got " + su::dims_str(x->dims()));

    const std::string mode = ctx.op().get_string("mode", "constant");
    if (mode == "constant") {
      mode_ = Mode::kConstant;
    } else if (mode == "reflect") {
      mode_ = Mode::kReflect;
    } else if (mode == "edge") {
      mode_ = Mode::kEdge;
    } else {
      return Status::Unsupported(op + ": mode '" + mode + "' (constant, reflect or edge)");
    }
    const std::string format = ctx.op().get_string("data_format", "NCHW");
    if (format != "NCHW" && format != "NHWC") return Status::Unsupported(op + ": data_format '" + format + "'");

    std::vector<int64_t> p;
    if (su::has_input(ctx, "Paddings")) {
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "Paddings", *ctx.input("Paddings", 0), &p));
    } else {
      p = ctx.op().get_ints("paddings");
    }
    if (p.size() != 4) return Status::Invalid(op + ": paddings " + su::ints_str(p) + " must have 4 values");

    Geometry g;
    g.nhwc = format == "NHWC";
    g.n = x->dim(0);
    g.c = x->dim(g.nhwc ? 3 : 1);
    g.in_h = x->dim(g.nhwc ? 1 : 2);
    g.in_w = x->dim(g.nhwc ? 2 : 3);
    for (int k = 0; k < 4; ++k) {
      const int64_t size = k < 2 ? g.in_h : g.in_w;
      // Reflection mirrors around the edge, so it needs pad <= size - 1.
      const int64_t limit = mode_ == Mode::kReflect ? size - 1 : su::kMaxElements;
      if (p[static_cast<size_t>(k)] < 0 || p[static_cast<size_t>(k)] > limit) {
        return Status::Invalid(op + ": paddings " + su::ints_str(p) + " invalid for input " + su::dims_str(x->dims()) +
                               " in mode " + mode);
      }
    }
    g.top = p[0];
    g.left = p[2];
    g.out_h = g.in_h + p[0] + p[1];
    g.out_w = g.in_w + p[2] + p[3];
    Dims out_dims = g.nhwc ? Dims{g.n, g.out_h, g.out_w, g.c} : Dims{g.n, g.c, g.out_h, g.out_w};
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    geometry_ = g;
    value_ = ctx.op().get_float("pad_value", 0.0);
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !out || !x->raw() || !out->raw_mut() || x->raw() == out->raw()) {
      return Status::Internal(ctx.op().type + ": tensors not bound (or aliased) at run");
    }
    const Geometry& g = geometry_;
    switch (x->dtype()) {
      case DType::kF32:
        pad(g, mode_, static_cast<float>(value_), x->data<float>(), out->mutable_data<float>());
        break;
      case DType::kF64:
        pad(g, mode_, value_, x->data<double>(), out->mutable_data<double>());
        break;
      case DType::kI32:
        pad(g, mode_, int_value<int32_t>(), x->data<int32_t>(), out->mutable_data<int32_t>());
        break;
      case DType::kI64:
        pad(g, mode_, int_value<int64_t>(), x->data<int64_t>(), out->mutable_data<int64_t>());
        break;
      default:
        return Status::Internal(ctx.op().type + ": dtype changed after infer");
    }
    return Status::Ok();
  }

 private:
  // pad_value for integer tensors: truncated, clamped, NaN -> 0.
  template <typename T>
  T int_value() const {
    if (std::isnan(value_)) return 0;
    if (value_ <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (value_ >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(value_);
  }

  Geometry geometry_;
  Mode mode_ = Mode::kConstant;
  double value_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Pad2d>("pad2d.any.ref", out);
}

}  // namespace pad2d_any_ref
}  // namespace kernels
}  // namespace tailor
