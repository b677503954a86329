#include "helpers/f32-pool2d/pool2d.h"

#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <string>
#include <utility>

#include "helpers/tensor-checks/checks.h"
#include "helpers/window/ref.h"

namespace tailor {
namespace helpers {
namespace f32_pool2d {

namespace {

struct PoolAttrs {
  std::string where;  // "pool2d (unit)"
  window_ref::Window2d window;  // ksize, strides, paddings as written
  bool is_max = true;
  bool global = false, adaptive = false, exclusive = true, ceil_mode = false;
  // Adaptive bins are an avg-only thing: with `adaptive` Paddle's max pool2d still slides the
  // plain ksize/stride window over the ksize-sized output (checked against paddle 2.6 on the
  // pool2d_adaptive_max_2x2 fixture; adaptive max pooling proper is max_pool2d_with_index).
  bool adaptive_bins = false;
};

// floor(i * in / out) and ceil((i + 1) * in / out), as Lite's AdaptStartIndex/AdaptEndIndex.
int64_t adaptive_start(int64_t i, int64_t in, int64_t out) { return i * in / out; }
int64_t adaptive_end(int64_t i, int64_t in, int64_t out) { return ((i + 1) * in + out - 1) / out; }

class Pool2d final : public Kernel {
 public:
  Pool2d(const PoolAttrs& attrs, const PoolKernels& kernels) : a_(attrs), k_(kernels) {}

  Status infer(OpContext& ctx) override {
    const std::string& where = a_.where;
    const Tensor* x = ctx.input("X");
    Tensor* out = ctx.output("Out");
    TAILOR_RETURN_IF_ERROR(tensor_checks::require_f32(where, x, "X"));
    if (!out) return Status::Format(StatusCode::kInvalidModel, "%s: missing output Out", where.c_str());
    const Dims& d = x->dims();
    if (d.size() != 4)
      return Status::Format(StatusCode::kInvalidArgument, "%s: X must be NCHW, got %s", where.c_str(),
                            tensor_checks::str(d).c_str());
    n_ = d[0];
    c_ = d[1];
    in_h_ = d[2];
    in_w_ = d[3];
    if (in_h_ < 1 || in_w_ < 1)
      return Status::Format(StatusCode::kInvalidArgument, "%s: empty input plane %s", where.c_str(),
                            tensor_checks::str(d).c_str());
    w_ = a_.window;
    TAILOR_RETURN_IF_ERROR(window_ref::apply_padding_algorithm(ctx.op(), in_h_, in_w_, false, &w_));
    if (a_.global || a_.adaptive) w_.pad_top = w_.pad_bottom = w_.pad_left = w_.pad_right = 0;
    if (a_.global) {
      w_.kernel_h = in_h_;
      w_.kernel_w = in_w_;
    }
    if (a_.adaptive && !a_.global) {
      out_h_ = w_.kernel_h;
      out_w_ = w_.kernel_w;
    } else {
      const int64_t extra_h = a_.ceil_mode ? w_.stride_h - 1 : 0;
      const int64_t extra_w = a_.ceil_mode ? w_.stride_w - 1 : 0;
      const int64_t span_h = in_h_ - w_.kernel_h + w_.pad_top + w_.pad_bottom + extra_h;
      const int64_t span_w = in_w_ - w_.kernel_w + w_.pad_left + w_.pad_right + extra_w;
      if (span_h < 0 || span_w < 0)
        return Status::Format(StatusCode::kInvalidArgument, "%s: window larger than the padded input %s",
                              where.c_str(), tensor_checks::str(d).c_str());
      out_h_ = span_h / w_.stride_h + 1;
      out_w_ = span_w / w_.stride_w + 1;
    }
    Dims out_dims = {n_, c_, out_h_, out_w_};
    TAILOR_RETURN_IF_ERROR(tensor_checks::check_dims(where, out_dims));
    out->set_shape(DType::kF32, std::move(out_dims));
    ctx.request_scratch(static_cast<size_t>(in_w_) * sizeof(float));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const float* x = ctx.input("X")->data<float>();
    float* y = ctx.output("Out")->mutable_data<float>();
    float* row = static_cast<float*>(ctx.scratch());
    if (!x || !y || !row)
      return Status::Format(StatusCode::kInternal, "%s: unbound tensor data", a_.where.c_str());
    const int64_t in_plane = in_h_ * in_w_, out_plane = out_h_ * out_w_;
    for (int64_t p = 0; p < n_ * c_; ++p) {
      const float* src = x + p * in_plane;
      float* dst = y + p * out_plane;
      if (a_.global) {
        const float r = k_.reduce(src, in_plane, a_.is_max);
        dst[0] = a_.is_max ? r : r / static_cast<float>(in_plane);
      } else {
        for (int64_t oh = 0; oh < out_h_; ++oh) pool_row(src, oh, row, dst + oh * out_w_);
      }
    }
    return Status::Ok();
  }

 private:
  // One output row: reduce the window's input rows into `row`, then its columns.
  void pool_row(const float* src, int64_t oh, float* row, float* out) const {
    int64_t hs, he, size_h;  // read rows [hs, he); inclusive window height size_h
    if (a_.adaptive_bins) {
      hs = adaptive_start(oh, in_h_, out_h_);
      he = adaptive_end(oh, in_h_, out_h_);
      size_h = he - hs;
    } else {
      const int64_t start = oh * w_.stride_h - w_.pad_top;
      const int64_t end = std::min(start + w_.kernel_h, in_h_ + w_.pad_top);  // sic: Lite's bound
      size_h = end - start;
      hs = std::max<int64_t>(start, 0);
      he = std::min(end, in_h_);
    }
    if (he <= hs) {
      std::fill(out, out + out_w_, 0.f);
      return;
    }
    std::memcpy(row, src + hs * in_w_, static_cast<size_t>(in_w_) * sizeof(float));
    for (int64_t h = hs + 1; h < he; ++h) k_.accumulate_row(row, src + h * in_w_, in_w_, a_.is_max);

    int64_t ow = 0;
    if (!a_.adaptive_bins && w_.stride_w == 1) {
      // Outputs whose window lies inside the input [pad_left, in_w + pad_left - kernel_w]
      // take the vectorised pass; the border ones fall through to the general loop.
      const int64_t first = std::min(w_.pad_left, out_w_);
      const int64_t last = std::min(in_w_ + w_.pad_left - w_.kernel_w, out_w_ - 1);  // inclusive
      for (; ow < first; ++ow) out[ow] = window(row, oh, ow, he - hs, size_h);
      if (last >= first) {
        k_.windows_stride1(row + first - w_.pad_left, w_.kernel_w, out + first, last - first + 1, a_.is_max);
        if (!a_.is_max) {
          const float inv = 1.f / static_cast<float>((a_.exclusive ? he - hs : size_h) * w_.kernel_w);
          for (int64_t i = first; i <= last; ++i) out[i] *= inv;
        }
        ow = last + 1;
      }
    }
    for (; ow < out_w_; ++ow) out[ow] = window(row, oh, ow, he - hs, size_h);
  }

  // One output from the reduced row; rows_read / size_h: the window's read and inclusive heights.
  float window(const float* row, int64_t /*oh*/, int64_t ow, int64_t rows_read, int64_t size_h) const {
    int64_t ws, we, size_w;
    if (a_.adaptive_bins) {
      ws = adaptive_start(ow, in_w_, out_w_);
      we = adaptive_end(ow, in_w_, out_w_);
      size_w = we - ws;
    } else {
      const int64_t start = ow * w_.stride_w - w_.pad_left;
      const int64_t end = std::min(start + w_.kernel_w, in_w_ + w_.pad_left);  // sic: Lite's bound
      size_w = end - start;
      ws = std::max<int64_t>(start, 0);
      we = std::min(end, in_w_);
    }
    if (we <= ws) return 0.f;
    const float r = k_.reduce(row + ws, we - ws, a_.is_max);
    if (a_.is_max) return r;
    const int64_t count = (a_.exclusive || a_.adaptive) ? rows_read * (we - ws) : size_h * size_w;
    return r / static_cast<float>(count);
  }

  PoolAttrs a_;
  PoolKernels k_;
  window_ref::Window2d w_;
  int64_t n_ = 0, c_ = 0, in_h_ = 0, in_w_ = 0, out_h_ = 0, out_w_ = 0;
};

}  // namespace

Status create(const KernelInit& init, const PoolKernels& kernels, const char* unit,
              std::unique_ptr<Kernel>* out) {
  const OpDesc& op = init.op();
  PoolAttrs a;
  a.where.append(op.type).append(" (").append(unit).append(")");
  const std::string type = op.get_string("pooling_type", "");
  if (type != "max" && type != "avg")
    return Status::Format(StatusCode::kUnsupported, "%s: pooling_type '%s' not supported", a.where.c_str(),
                          type.c_str());
  a.is_max = type == "max";
  a.global = op.get_bool("global_pooling", false);
  a.adaptive = op.get_bool("adaptive", false);
  a.exclusive = op.get_bool("exclusive", true);
  a.ceil_mode = op.get_bool("ceil_mode", false);
  a.adaptive_bins = a.adaptive && !a.global && !a.is_max;
  const std::string format = op.get_string("data_format", "NCHW");
  if (format != "NCHW" && format != "AnyLayout")
    return Status::Format(StatusCode::kUnsupported, "%s: data_format '%s' not supported", a.where.c_str(),
                          format.c_str());
  window_ref::Window2d& w = a.window;
  TAILOR_RETURN_IF_ERROR(window_ref::read_pair(op, "ksize", 1, 1, &w.kernel_h, &w.kernel_w));
  TAILOR_RETURN_IF_ERROR(window_ref::read_pair(op, "strides", 1, 1, &w.stride_h, &w.stride_w));
  TAILOR_RETURN_IF_ERROR(window_ref::read_paddings(op, &w));
  out->reset(new Pool2d(a, kernels));
  return Status::Ok();
}

}  // namespace f32_pool2d
}  // namespace helpers
}  // namespace tailor
