// unsqueeze / unsqueeze2 (any dtype): inserts size-1 dims.
//
// Axes come from the `axes` attribute, else the AxesTensor, else the
// AxesTensorList (Paddle Lite's priority). They are applied one after another
// to the growing shape, each in [-(r+1), r] for the current rank r, exactly as
// Paddle's GetOutputShape does (including how earlier inserted 1s move).
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace unsqueeze_any_ref {

namespace su = helpers::shape_util;

namespace {

Status read_axes(const OpContext& ctx, const std::string& op, std::vector<int64_t>* axes) {
  *axes = ctx.op().get_ints("axes");
  if (!axes->empty()) return Status::Ok();
  if (su::has_input(ctx, "AxesTensor")) return su::read_int_tensor(op, "AxesTensor", *ctx.input("AxesTensor", 0), axes);
  if (ctx.input_count("AxesTensorList") > 0) return su::read_int_list(ctx, op, "AxesTensorList", axes);
  return Status::BadModel(op + ": no axes (attribute axes, AxesTensor or AxesTensorList)");
}

class Unsqueeze final : public su::ReshapeRule {
 private:
  Status out_dims(const OpContext& ctx, const std::string& op, const Dims& x_dims, Dims* out) const override {
    std::vector<int64_t> axes;
    TAILOR_RETURN_IF_ERROR(read_axes(ctx, op, &axes));
    const size_t out_rank = x_dims.size() + axes.size();
    if (out_rank > static_cast<size_t>(su::kMaxRank)) {
      return Status::Invalid(op + ": output rank " + std::to_string(out_rank) + " exceeds " +
                             std::to_string(su::kMaxRank));
    }
    // marks[i] == 1: an inserted dim; 0: filled from the input afterwards.
    std::vector<int> marks(out_rank + 1, 0);
    int64_t cur_rank = static_cast<int64_t>(x_dims.size());
    for (int64_t a : axes) {
      if (a < -(cur_rank + 1) || a > cur_rank) {
        return Status::Invalid(op + ": axis " + std::to_string(a) + " is out of range for rank " +
                               std::to_string(cur_rank));
      }
      const int64_t cur = a < 0 ? a + cur_rank + 1 : a;
      for (int64_t i = cur_rank; i >= cur; --i) {
        if (marks[static_cast<size_t>(i)] == 1) {  // shift an earlier inserted 1 right
          marks[static_cast<size_t>(i) + 1] = 1;
          marks[static_cast<size_t>(i)] = 0;
        }
      }
      marks[static_cast<size_t>(cur)] = 1;
      ++cur_rank;
    }
    out->assign(out_rank, 1);
    size_t in_idx = 0;
    for (size_t i = 0; i < out_rank; ++i) {
      if (marks[i] == 0) (*out)[i] = x_dims[in_idx++];
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Unsqueeze>("unsqueeze.any.ref", out);
}

}  // namespace unsqueeze_any_ref
}  // namespace kernels
}  // namespace tailor
