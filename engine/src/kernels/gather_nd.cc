// gather_nd (any dtype): Index [..., k] (int32/int64, k <= rank of X) picks
// the slices X[i0, ..., ik-1, :, ...]: Out = Index.dims[:-1] + X.dims[k:].
// Index values are checked at run time: one outside X fails the run.
#include <cstring>

#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace gather_nd_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

class GatherNd final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    const Tensor* index = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Index", 0, &index));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    TAILOR_RETURN_IF_ERROR(mu::require_index_dtype(op, "Index", *index));
    if (index->rank() < 1) return Status::Invalid(op + ": Index must have at least one dim");
    const int64_t k = index->dim(-1);
    if (k > x->rank()) {
      return Status::Invalid(op + ": Index " + su::dims_str(index->dims()) + " indexes more dims than X " +
                             su::dims_str(x->dims()));
    }
    Dims out_dims(index->dims().begin(), index->dims().end() - 1);
    slice_ = 1;
    for (int d = static_cast<int>(k); d < x->rank(); ++d) {
      out_dims.push_back(x->dim(d));
      slice_ *= x->dim(d);
    }
    if (out_dims.empty()) out_dims.push_back(1);
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "output", out_dims));
    depth_ = k;
    out->set_shape(x->dtype(), std::move(out_dims));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X", 0);
    const Tensor* index = ctx.input("Index", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !index || !out || !x->raw() || !index->raw() || !out->raw_mut()) {
      return Status::Internal(op + ": tensors not bound at run");
    }
    const std::vector<int64_t> strides = su::strides_of(x->dims());
    const int64_t rows = depth_ > 0 ? index->numel() / depth_ : index->numel();
    // Check every index tuple before writing anything.
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < depth_; ++j) {
        const int64_t v = mu::index_at(*index, r * depth_ + j);
        if (v < 0 || v >= x->dim(static_cast<int>(j))) {
          return Status::Invalid(op + ": Index value " + std::to_string(v) + " out of range [0, " +
                                 std::to_string(x->dim(static_cast<int>(j))) + ") for dim " + std::to_string(j));
        }
      }
    }
    const size_t elem = dtype_size(x->dtype());
    const size_t slice_bytes = static_cast<size_t>(slice_) * elem;
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(out->raw_mut());
    for (int64_t r = 0; r < rows; ++r) {
      int64_t from = 0;
      for (int64_t j = 0; j < depth_; ++j) {
        from += mu::index_at(*index, r * depth_ + j) * strides[static_cast<size_t>(j)];
      }
      std::memcpy(dst, src + from * static_cast<int64_t>(elem), slice_bytes);
      dst += slice_bytes;
    }
    return Status::Ok();
  }

 private:
  int64_t depth_ = 0;  // k: the X dims an index tuple covers
  int64_t slice_ = 1;  // elements per gathered slice
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<GatherNd>("gather_nd.any.ref", out);
}

}  // namespace gather_nd_any_ref
}  // namespace kernels
}  // namespace tailor
