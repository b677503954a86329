// scatter: Out = X with rows Ids[k] (int32/int64, 1-D or [M, 1]) replaced by
// Updates[k] (overwrite = true: the last write of a repeated id wins) or, with
// overwrite = false, set to the sum of every Updates row aimed at them (Paddle
// zeroes those rows first). Paddle Lite's ARM kernel ignores X and reads
// Updates by id, a defect; this computes Paddle's result. Ids are checked at
// run time: one outside [0, X.dims[0]) fails the run.
#include <cstring>
#include <type_traits>

#include "helpers/movement/movement_util.h"

namespace tailor {
namespace kernels {
namespace scatter_any_ref {

namespace su = helpers::shape_util;
namespace mu = helpers::movement_util;

namespace {

template <typename T>
void add_rows(char* dst, const char* src, int64_t n) {
  T* d = reinterpret_cast<T*>(dst);
  const T* s = reinterpret_cast<const T*>(src);
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (std::is_integral<T>::value) {
      using U = std::make_unsigned_t<T>;  // wraps like Paddle's; signed overflow would be UB
      d[i] = static_cast<T>(static_cast<U>(static_cast<U>(d[i]) + static_cast<U>(s[i])));
    } else {
      d[i] += s[i];
    }
  }
}

class Scatter final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    const Tensor* ids = nullptr;
    const Tensor* upd = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "X", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Ids", 0, &ids));
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Updates", 0, &upd));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    TAILOR_RETURN_IF_ERROR(mu::require_index_dtype(op, "Ids", *ids));
    if (ids->rank() > 2 || (ids->rank() == 2 && ids->dim(1) != 1)) {
      return Status::Invalid(op + ": Ids shape " + su::dims_str(ids->dims()) + " must be [M] or [M, 1]");
    }
    Dims want = x->dims();
    if (want.empty()) return Status::Invalid(op + ": X must have at least one dim");
    want[0] = ids->numel();
    if (upd->dims() != want || upd->dtype() != x->dtype()) {
      return Status::Invalid(op + ": Updates " + su::dims_str(upd->dims()) + " must be " + su::dims_str(want) +
                             " of X's dtype");
    }
    overwrite_ = ctx.op().get_bool("overwrite", true);
    const DType t = x->dtype();
    if (!overwrite_ && t != DType::kF32 && t != DType::kF64 && t != DType::kI32 && t != DType::kI64) {
      return Status::Unsupported(op + ": overwrite=false on dtype " + dtype_name(t));
    }
    out->set_shape(t, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = ctx.input("X", 0);
    const Tensor* ids = ctx.input("Ids", 0);
    const Tensor* upd = ctx.input("Updates", 0);
    Tensor* out = ctx.output("Out", 0);
    if (!x || !ids || !upd || !out || !x->raw() || !upd->raw() || !out->raw_mut()) {
      return Status::Internal(op + ": tensors not bound at run");
    }
    TAILOR_RETURN_IF_ERROR(mu::check_indices(op, "Ids", *ids, x->dim(0)));
    const int64_t row = x->numel() / x->dim(0);
    const size_t row_bytes = static_cast<size_t>(row) * dtype_size(x->dtype());
    char* dst = static_cast<char*>(out->raw_mut());
    const char* src = static_cast<const char*>(upd->raw());
    su::copy_bytes(dst, x->raw(), x->bytes());
    const int64_t m = ids->numel();
    if (overwrite_) {
      for (int64_t k = 0; k < m; ++k) {
        std::memcpy(dst + mu::index_at(*ids, k) * row_bytes, src + k * row_bytes, row_bytes);
      }
      return Status::Ok();
    }
    for (int64_t k = 0; k < m; ++k) std::memset(dst + mu::index_at(*ids, k) * row_bytes, 0, row_bytes);
    for (int64_t k = 0; k < m; ++k) {
      char* d = dst + mu::index_at(*ids, k) * row_bytes;
      const char* s = src + k * row_bytes;
      switch (x->dtype()) {
        case DType::kF32: add_rows<float>(d, s, row); break;
        case DType::kF64: add_rows<double>(d, s, row); break;
        case DType::kI32: add_rows<int32_t>(d, s, row); break;
        case DType::kI64: add_rows<int64_t>(d, s, row); break;
        default: return Status::Internal(op + ": dtype changed after infer");
      }
    }
    return Status::Ok();
  }

 private:
  bool overwrite_ = true;
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Scatter>("scatter.any.ref", out);
}

}  // namespace scatter_any_ref
}  // namespace kernels
}  // namespace tailor
