// split (any dtype): cuts X along `axis` into the Out tensors, either `num`
// equal parts or `sections` sizes (one of which may be -1 = the remainder).
// AxisTensor overrides `axis`; SectionsTensorList (one single-element tensor
// per part) overrides `sections`, as in Paddle Lite.
#include <cstring>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace split_any_ref {

namespace su = helpers::shape_util;

namespace {

class Split final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    const int rank = x->rank();
    const int n_out = ctx.output_count("Out");
    if (n_out < 1) return Status::BadModel(op + ": no Out outputs");

    int64_t axis_value = ctx.op().get_int("axis", 0);
    if (su::has_input(ctx, "AxisTensor")) {
      std::vector<int64_t> v;
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "AxisTensor", *ctx.input("AxisTensor", 0), &v));
      if (v.size() != 1) return Status::Invalid(op + ": AxisTensor must hold one value");
      axis_value = v[0];
    }
    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", axis_value, rank, &axis));
    const int64_t dim = x->dim(axis);

    const int64_t num = ctx.op().get_int("num", 0);
    std::vector<int64_t> sections = ctx.op().get_ints("sections");
    if (!sections.empty() && ctx.input_count("SectionsTensorList") > 0) {
      TAILOR_RETURN_IF_ERROR(su::read_int_list(ctx, op, "SectionsTensorList", &sections));
    }
    if (num > 0) {
      if (num != n_out || dim % num != 0) {
        return Status::Invalid(op + ": cannot split dim " + std::to_string(dim) + " into num=" + std::to_string(num) +
                               " equal parts for " + std::to_string(n_out) + " outputs");
      }
      sections.assign(static_cast<size_t>(num), dim / num);
    } else {
      if (sections.size() != static_cast<size_t>(n_out)) {
        return Status::Invalid(op + ": sections " + su::ints_str(sections) + " do not match " +
                               std::to_string(n_out) + " outputs");
      }
      int infer_at = -1;
      int64_t known = 0;
      for (size_t i = 0; i < sections.size(); ++i) {
        if (sections[i] == -1 && infer_at < 0) {
          infer_at = static_cast<int>(i);
        } else if (sections[i] <= 0 || sections[i] > dim || known + sections[i] > dim) {
          return Status::Invalid(op + ": sections " + su::ints_str(sections) + " do not fit dim " +
                                 std::to_string(dim));
        } else {
          known += sections[i];
        }
      }
      if (infer_at >= 0) sections[static_cast<size_t>(infer_at)] = dim - known;
      if ((infer_at < 0 && known != dim) || (infer_at >= 0 && known >= dim)) {
        return Status::Invalid(op + ": sections " + su::ints_str(sections) + " do not sum to dim " +
                               std::to_string(dim));
      }
    }
    for (int i = 0; i < n_out; ++i) {
      Tensor* out = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", i, &out));
      Dims d = x->dims();
      d[static_cast<size_t>(axis)] = sections[static_cast<size_t>(i)];
      out->set_shape(x->dtype(), std::move(d));
    }
    axis_ = axis;
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    if (!x || !x->raw()) return Status::Internal(ctx.op().type + ": input not bound at run");
    const size_t elem = dtype_size(x->dtype());
    int64_t outer = 1;
    for (int d = 0; d < axis_; ++d) outer *= x->dim(d);
    const int64_t in_row = x->numel() / outer * static_cast<int64_t>(elem);
    const char* src = static_cast<const char*>(x->raw());
    int64_t offset = 0;
    const int n = ctx.output_count("Out");
    for (int i = 0; i < n; ++i) {
      Tensor* out = ctx.output("Out", i);
      if (!out || !out->raw_mut()) return Status::Internal(ctx.op().type + ": output not bound at run");
      const int64_t row = out->numel() / outer * static_cast<int64_t>(elem);
      char* dst = static_cast<char*>(out->raw_mut());
      for (int64_t o = 0; o < outer; ++o) {
        std::memcpy(dst + o * row, src + o * in_row + offset, static_cast<size_t>(row));
      }
      offset += row;
    }
    return Status::Ok();
  }

 private:
  int axis_ = 0;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Split>("split.any.ref", out);
}

}  // namespace split_any_ref
}  // namespace kernels
}  // namespace tailor
