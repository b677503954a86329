// flatten_contiguous_range (any dtype): merges dims start_axis..stop_axis
// (negative axes count from the end) into one.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace flatten_contiguous_range_any_ref {

namespace su = helpers::shape_util;

namespace {

class FlattenRange final : public su::ReshapeRule {
 private:
  Status out_dims(const OpContext& ctx, const std::string& op, const Dims& x_dims, Dims* out) const override {
    const int rank = static_cast<int>(x_dims.size());
    if (rank == 0) {
      *out = {1};  // Paddle flattens a 0-D tensor to [1]
    } else {
      int start = 0, stop = 0;
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "start_axis", ctx.op().get_int("start_axis", 1), rank, &start));
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "stop_axis", ctx.op().get_int("stop_axis", -1), rank, &stop));
      if (start > stop) {
        return Status::Invalid(op + ": start_axis " + std::to_string(start) + " > stop_axis " + std::to_string(stop));
      }
      int64_t merged = 1;
      for (int i = 0; i < rank; ++i) {
        if (i < start || i > stop) {
          out->push_back(x_dims[static_cast<size_t>(i)]);
        } else {
          merged *= x_dims[static_cast<size_t>(i)];
          if (i == stop) out->push_back(merged);
        }
      }
    }
    return Status::Ok();
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<FlattenRange>("flatten_contiguous_range.any.ref", out);
}

}  // namespace flatten_contiguous_range_any_ref
}  // namespace kernels
}  // namespace tailor
