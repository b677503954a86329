// shape-util: shared checks and copy loops of the shape / layout / data-movement
// reference kernels (reshape, transpose, slice, concat, ...).
//
// Everything here validates untrusted model data: shapes come from the model or
// the caller, attributes and shape tensors from the model. Functions return a
// Status naming the op instead of asserting.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "core/kernel.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {
namespace helpers {
namespace shape_util {

// Paddle tensors have at most 9 dims; Lite's own kernels stop earlier.
constexpr int kMaxRank = 9;
// Per-tensor element cap: keeps every index computation far from int64
// overflow and refuses absurd shapes before the arena planner sees them.
constexpr int64_t kMaxElements = (int64_t{1} << 31) - 1;
// Shape-like tensors (Shape, ShapeTensor, StartsTensor, ...) are tiny.
constexpr int64_t kMaxShapeTensorElements = 1024;

// "[1, 3, 224, 224]"
std::string dims_str(const Dims& d);
std::string ints_str(const std::vector<int64_t>& v);

// `d` is a shape the op may declare: rank <= kMaxRank, every dim >= 1 and
// numel <= kMaxElements (zero-size and overflowing shapes are refused).
Status check_shape(std::string_view op, std::string_view what, const Dims& d);

// Fetches input slot[i], checking it exists, has a known dtype and a valid shape.
Status get_input(const OpContext& ctx, std::string_view op, std::string_view slot, int i,
                 const Tensor** out);
// Fetches output slot[i]; fails when absent.
Status get_output(OpContext& ctx, std::string_view op, std::string_view slot, int i, Tensor** out);

// True when input slot[i] exists (optional slots such as `Shape=` may be empty).
inline bool has_input(const OpContext& ctx, std::string_view slot, int i = 0) {
  return ctx.input_count(slot) > i && ctx.input(slot, i) != nullptr;
}

// Reads an int32/int64 tensor whose data is known at plan time (a parameter
// or a folded constant). Fails cleanly when the data is not known yet.
Status read_int_tensor(std::string_view op, std::string_view slot, const Tensor& t,
                       std::vector<int64_t>* out);
// Reads a float32/float64 constant tensor (interp Scale).
Status read_float_tensor(std::string_view op, std::string_view slot, const Tensor& t,
                         std::vector<double>* out);
// Reads a list slot of single-element int tensors (ShapeTensor, SizeTensor, ...):
// one value per tensor.
Status read_int_list(const OpContext& ctx, std::string_view op, std::string_view slot,
                     std::vector<int64_t>* out);

// Maps axis in [-rank, rank) to [0, rank).
Status normalize_axis(std::string_view op, std::string_view what, int64_t axis, int rank, int* out);

// Declares the XShape output of the *2 ops if the program has one: dims
// [0, x_dims...] like Paddle; it holds no data and is never written.
Status declare_xshape(OpContext& ctx, const Dims& x_dims);

// Row-major element strides of `d`.
std::vector<int64_t> strides_of(const Dims& d);

// Copies `bytes` from src to dst unless they are the same buffer (in-place
// reshape-like ops).
void copy_bytes(void* dst, const void* src, size_t bytes);

// dst[i0..ik] = src[sum_j i_j * src_strides[j]] for every index of `out_dims`,
// dst written densely in row-major order. Strides are in elements and may be 0
// (broadcast). Merges contiguous inner dims so slabs move with memcpy.
void strided_copy(void* dst, const void* src, size_t elem_size, const Dims& out_dims,
                  const std::vector<int64_t>& src_strides);

// Reduction over a set of dims (reduce_* ops): attributes `dim`, `keep_dim`,
// `reduce_all`. An empty `dim` or one covering every dim reduces everything;
// a full reduction without keep_dim gives [1] (Paddle Lite; Paddle gives 0-D).
struct ReducePlan {
  Dims out_dims;
  Dims in_dims;
  std::vector<int64_t> out_strides;  // per input dim: output element stride, 0 if reduced
  int64_t count = 1;                 // input elements folded into each output element
};
Status plan_reduce(const OpContext& ctx, std::string_view op, const Tensor& x, ReducePlan* plan);

// Calls fn(out_index, in_index) for every input element, in row-major input order.
template <typename Fn>
void for_each_reduced(const ReducePlan& p, Fn&& fn) {
  const size_t r = p.in_dims.size();
  const int64_t n = dims_numel(p.in_dims);
  if (r == 0) {
    fn(int64_t{0}, int64_t{0});
    return;
  }
  const int64_t inner = p.in_dims[r - 1];
  const int64_t inner_stride = p.out_strides[r - 1];
  std::vector<int64_t> idx(r, 0);
  int64_t out = 0;
  for (int64_t base = 0; base < n; base += inner) {
    for (int64_t k = 0; k < inner; ++k) fn(out + k * inner_stride, base + k);
    for (size_t d = r - 1; d-- > 0;) {  // odometer over the outer dims
      out += p.out_strides[d];
      if (++idx[d] < p.in_dims[d]) break;
      out -= p.out_strides[d] * p.in_dims[d];
      idx[d] = 0;
    }
  }
}

// Output size of the 2-D interpolation ops (nearest/bilinear_interp[_v2]) on
// NCHW input, by Paddle Lite's priority: SizeTensor list > OutSize tensor >
// scale (Scale tensor, else the `scale` attribute: a float for v1, a list for
// v2) > out_h/out_w attributes. All size inputs must be constants.
constexpr int64_t kMaxInterpSide = int64_t{1} << 20;
struct InterpSize {
  int64_t out_h = 0, out_w = 0;
  // The scale factors found (> 0), or -1. v2 nearest uses them for its source
  // coordinates even when OutSize set the size, as Paddle Lite does.
  float scale_h = -1.f, scale_w = -1.f;
};
Status resolve_interp_size(const OpContext& ctx, std::string_view op, const Tensor& x, bool v2, InterpSize* size);

// Factory body: allocation failure is a status (the engine may be built
// without exceptions).
template <typename K>
Status make_kernel(const char* unit, std::unique_ptr<Kernel>* out) {
  out->reset(new (std::nothrow) K());
  return *out ? Status::Ok() : Status::NoMemory(std::string(unit) + ": out of memory creating kernel");
}

// The kernel type of ops whose output is the input bytes under a new shape
// (reshape, flatten, squeeze, unsqueeze): subclasses compute the shape.
class ReshapeLike : public Kernel {
 public:
  Status run(OpContext& ctx) override;
};

}  // namespace shape_util
}  // namespace helpers
}  // namespace tailor
