// movement-util: shared pieces of the data-movement kernels (tile, expand,
// crop, strided_slice, gather_nd, lookup_table, ...): index lists read from
// tensors or attributes, repeat plans, and index range checks. Everything
// validates untrusted model data and returns a Status naming the op.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "helpers/shape/shape_util.h"

namespace tailor {
namespace helpers {
namespace movement_util {

// An int list by Paddle Lite's priority: the one-tensor slot, else the list
// slot (one single-value tensor each), else the attribute. Both tensor forms
// must be constants. `found` (optional) says whether any source was present.
Status read_ints(const OpContext& ctx, std::string_view op, const char* tensor_slot, const char* list_slot,
                 const char* attr, std::vector<int64_t>* out, bool* found = nullptr);

// Out = X repeated `reps[i]` times along each dim (tile, expand): X's dims are
// left-padded with 1s to reps.size(). Sets out_dims and, for
// shape_util::strided_copy, the interleaved walk [r0, x0, r1, x1, ...] whose
// repeat dims have stride 0.
Status plan_repeat(std::string_view op, const Dims& x_dims, const std::vector<int64_t>& reps, Dims* out_dims,
                   Dims* copy_dims, std::vector<int64_t>* src_strides);

// Checks every value of the int32/int64 tensor `t` (data bound) lies in
// [0, bound): an index outside fails the run instead of reading memory.
Status check_indices(std::string_view op, std::string_view what, const Tensor& t, int64_t bound);

// Value k of an int32/int64 index tensor.
inline int64_t index_at(const Tensor& t, int64_t k) {
  return t.dtype() == DType::kI32 ? int64_t{t.data<int32_t>()[k]} : t.data<int64_t>()[k];
}

// The index tensor must be int32 or int64.
Status require_index_dtype(std::string_view op, std::string_view what, const Tensor& t);

// crop / crop_tensor: the box of `shape` at `offsets` (one entry per dim of
// x_dims, offsets empty: all 0). A shape entry of -1 (crop_tensor only:
// `minus_one_rest`) takes the rest of the dim after its offset. The box must
// lie inside x_dims.
Status plan_crop(std::string_view op, const Dims& x_dims, const std::vector<int64_t>& shape,
                 std::vector<int64_t> offsets, bool minus_one_rest, std::vector<int64_t>* begin, Dims* size);

// Embedding lookup (lookup_table, lookup_table_v2): row ids[k] of the 2-D W
// into row k of `out`; an id equal to padding_idx gives a zero row (-1: no
// padding row). Every other id must lie in [0, rows of W).
Status lookup_rows(std::string_view op, const Tensor& w, const Tensor& ids, int64_t padding_idx, Tensor* out);

// lookup_table (`legacy`: Ids end in a dim of 1, which Out drops) and
// lookup_table_v2 (Ids of any shape): Out = Ids.dims (+ W.dims[1]) rows of W,
// by lookup_rows with the op's padding_idx.
class LookupKernel final : public Kernel {
 public:
  explicit LookupKernel(bool legacy) : legacy_(legacy) {}
  Status infer(OpContext& ctx) override;
  Status run(OpContext& ctx) override;

 private:
  bool legacy_;
  int64_t padding_idx_ = -1;
};

// unstack (outputs Y) and unbind (outputs Out): X split along `axis` into
// X.dims[axis] outputs, each X without that dim; `num`, when set, must equal
// X.dims[axis].
class UnstackKernel final : public Kernel {
 public:
  explicit UnstackKernel(const char* out_slot) : out_slot_(out_slot) {}
  Status infer(OpContext& ctx) override;
  Status run(OpContext& ctx) override;

 private:
  const char* out_slot_;
  int axis_ = 0;
};

// The kernel type of ops whose Out is a strided walk of one input starting at
// an element offset (flip, strided_slice, crop, crop_tensor): infer() sets the
// walk, run() copies. Strides may be negative (reversed dims).
class OffsetCopyKernel : public Kernel {
 public:
  explicit OffsetCopyKernel(const char* in_slot) : in_slot_(in_slot) {}
  Status run(OpContext& ctx) override;

 protected:
  // Box [begin, begin + size) of `in` walked with `step` per dim (step < 0
  // walks down from begin): the caller checked every index is inside `in`.
  void set_walk(const Dims& in, const std::vector<int64_t>& begin, const Dims& size,
                const std::vector<int64_t>& step);

  const char* in_slot_;
  Dims copy_dims_;                    // the dims walked, in Out's row-major order
  std::vector<int64_t> src_strides_;  // input element stride per walked dim
  int64_t src_offset_ = 0;            // first element read
};

}  // namespace movement_util
}  // namespace helpers
}  // namespace tailor
