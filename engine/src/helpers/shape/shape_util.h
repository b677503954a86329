// shape-util: shared checks and copy loops of the shape / layout / data-movement
// reference kernels (reshape, transpose, slice, concat, ...).
//
// Everything here validates untrusted model data: shapes come from the model or
// the caller, attributes and shape tensors from the model. Functions return a
// Status naming the op instead of asserting.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
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
// get_input("X", 0) and get_output("Out", 0): the tensors of a one-in, one-out op.
Status get_x_out(OpContext& ctx, std::string_view op, const Tensor** x, Tensor** out);

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
// The `axis` attribute of concat / split, overridden by a one-value AxisTensor
// when present (Paddle Lite), normalized for `rank`.
Status axis_attr_or_tensor(const OpContext& ctx, std::string_view op, int rank, int* axis);

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

// The byte moves of concat and stack (`join`: the inputs in `parts_slot` fill
// output `whole_slot`) and of split (the reverse), along dim `axis` of the
// whole. Per index of the whole's dims before `axis`, each part holds a
// contiguous run of numel/outer elements, the parts' runs side by side.
Status join_or_split(OpContext& ctx, std::string_view whole_slot, std::string_view parts_slot, int axis,
                     bool join);

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

// reduce_all / reduce_any on bool X (any nonzero byte counts as true): Out is
// the AND (`all`) or OR of the reduced elements, bool, shaped by plan_reduce.
class BoolReduceKernel final : public Kernel {
 public:
  explicit BoolReduceKernel(bool all) : all_(all) {}
  Status infer(OpContext& ctx) override;
  Status run(OpContext& ctx) override;

 private:
  bool all_;
  ReducePlan plan_;
};

// The reduce_* kernels differ only in their fold: an op's kernel derives from
// ReduceKernel, its infer() is infer_fold<Fold>(ctx) and its run() is
// run_fold<Fold>(ctx), where Fold provides
//   template <typename T> using Acc = ...;          the per-output accumulator
//   template <typename T> static Acc<T> first();    the fold's identity
//   template <typename T> static void combine(Acc<T>& acc, T x);
//   template <typename T> static T finish(Acc<T> acc, int64_t count);  count: inputs folded
// and kAccBytes: the scratch bytes of one accumulator, or 0 to fold in Out
// itself (then Acc<T> is T and finish() is not called).
class ReduceKernel : public Kernel {
 protected:
  template <typename Fold>
  Status infer_fold(OpContext& ctx) {
    return plan(ctx, Fold::kAccBytes);
  }
  template <typename Fold>
  Status run_fold(OpContext& ctx) const;

 private:
  // Accepts float32/float64/int32/int64 X, plans, declares Out, asks for scratch.
  Status plan(OpContext& ctx, size_t acc_bytes);
  template <typename Fold, typename T>
  void fold(const T* x, T* out, int64_t out_n, void* scratch) const;

  ReducePlan plan_;
};

template <typename Fold, typename T>
void ReduceKernel::fold(const T* x, T* out, int64_t out_n, void* scratch) const {
  using Acc = typename Fold::template Acc<T>;
  Acc* acc = nullptr;
  if constexpr (Fold::kAccBytes == 0) {
    static_assert(std::is_same<Acc, T>::value, "a fold without scratch accumulates in Out");
    acc = out;
  } else {
    static_assert(sizeof(Acc) <= Fold::kAccBytes, "accumulator larger than its scratch");
    acc = static_cast<Acc*>(scratch);
  }
  for (int64_t i = 0; i < out_n; ++i) acc[i] = Fold::template first<T>();
  for_each_reduced(plan_, [&](int64_t o, int64_t i) { Fold::combine(acc[o], x[i]); });
  if constexpr (Fold::kAccBytes != 0) {
    for (int64_t i = 0; i < out_n; ++i) out[i] = Fold::template finish<T>(acc[i], plan_.count);
  }
}

template <typename Fold>
Status ReduceKernel::run_fold(OpContext& ctx) const {
  const Tensor* x = ctx.input("X", 0);
  Tensor* out = ctx.output("Out", 0);
  void* scratch = Fold::kAccBytes ? ctx.scratch() : nullptr;
  if (!x || !out || !x->raw() || !out->raw_mut() || (Fold::kAccBytes && !scratch)) {
    return Status::Internal(ctx.op().type + ": tensors not bound at run");
  }
  const int64_t n = out->numel();
  switch (x->dtype()) {
    case DType::kF32: fold<Fold>(x->data<float>(), out->mutable_data<float>(), n, scratch); break;
    case DType::kF64: fold<Fold>(x->data<double>(), out->mutable_data<double>(), n, scratch); break;
    case DType::kI32: fold<Fold>(x->data<int32_t>(), out->mutable_data<int32_t>(), n, scratch); break;
    case DType::kI64: fold<Fold>(x->data<int64_t>(), out->mutable_data<int64_t>(), n, scratch); break;
    default: return Status::Internal(ctx.op().type + ": dtype changed after infer");
  }
  return Status::Ok();
}

// Base of the folds that keep their running value in Out (reduce_max, reduce_min).
struct InPlaceFold {
  static constexpr size_t kAccBytes = 0;
  template <typename T>
  using Acc = T;
};

// The sum of reduce_sum and reduce_mean: floats accumulate in double, integers
// in uint64_t so that overflow wraps like Paddle's (signed overflow is undefined).
struct WideSum {
  static constexpr size_t kAccBytes = 8;
  template <typename T>
  using Acc = std::conditional_t<std::is_floating_point<T>::value, double, uint64_t>;
  template <typename T>
  static Acc<T> first() { return 0; }
  template <typename T>
  static void combine(Acc<T>& acc, T x) {
    if constexpr (std::is_floating_point<T>::value) {
      acc += static_cast<double>(x);
    } else {
      acc += static_cast<uint64_t>(static_cast<int64_t>(x));
    }
  }
  // The sum as a number: double, or the int64_t the wrapped bits stand for.
  template <typename T>
  static auto total(Acc<T> acc) {
    if constexpr (std::is_floating_point<T>::value) {
      return acc;
    } else {
      int64_t v = 0;
      std::memcpy(&v, &acc, sizeof v);  // two's complement reinterpretation
      return v;
    }
  }
};

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
template <typename K, typename... Args>
Status make_kernel(const char* unit, std::unique_ptr<Kernel>* out, Args... args) {
  out->reset(new (std::nothrow) K(args...));
  return *out ? Status::Ok() : Status::NoMemory(std::string(unit) + ": out of memory creating kernel");
}

// The kernel type of ops whose output is the input bytes under a new shape
// (reshape, flatten, squeeze, unsqueeze): subclasses compute the shape.
class ReshapeLike : public Kernel {
 public:
  Status run(OpContext& ctx) override;
};

// A ReshapeLike op whose Out dims follow from X's dims and the op alone
// (reshape, flatten, squeeze, unsqueeze): infer() declares Out with X's dtype
// and XShape; the op gives out_dims().
class ReshapeRule : public ReshapeLike {
 public:
  Status infer(OpContext& ctx) final;

 protected:
  virtual Status out_dims(const OpContext& ctx, const std::string& op, const Dims& x_dims, Dims* out) const = 0;
};

// The kernel type of ops whose Out is a strided gather of X (transpose,
// expand_v2, shuffle_channel): infer() sets the walk, run() copies.
class StridedCopyKernel : public Kernel {
 public:
  Status run(OpContext& ctx) override;

 protected:
  Dims copy_dims_;                    // the dims walked, in Out's row-major order
  std::vector<int64_t> src_strides_;  // X's element stride along each (0: broadcast)
};

}  // namespace shape_util
}  // namespace helpers
}  // namespace tailor
