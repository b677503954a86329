// split (any dtype): cuts X along `axis` into the Out tensors, either `num`
// equal parts or `sections` sizes (one of which may be -1 = the remainder).
// AxisTensor overrides `axis`; SectionsTensorList (one single-element tensor
// per part) overrides `sections`, as in Paddle Lite.
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

    int axis = 0;
    TAILOR_RETURN_IF_ERROR(su::axis_attr_or_tensor(ctx, op, rank, &axis));
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

  Status run(OpContext& ctx) override { return su::join_or_split(ctx, "X", "Out", axis_, /*join=*/false); }

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
