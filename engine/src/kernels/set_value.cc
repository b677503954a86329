// set_value.any.ref — slice assignment (`x[index] = value`, what dygraph-to-static exports write), as Paddle
// Lite's host kernel computes it: Out is a copy of Input whose slice (axes / starts / ends / steps, each list
// also given as StartsTensorList / EndsTensorList / StepsTensorList of one-value tensors) holds `value`
// broadcast numpy-style to the slice's shape after dropping decrease_axes and inserting none_axes. The value
// is ValueTensor (Input's dtype) or, without it, the attribute list of Input's dtype (fp32_values,
// int32_values, int64_values, bool_values) shaped by `shape`. float32, int32, int64 and bool Inputs.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace set_value_any_ref {
namespace {

namespace su = helpers::shape_util;

// Attribute value lists beyond this are refused (they are written out per element in the model).
constexpr size_t kMaxAttrValues = size_t(1) << 20;

struct SlicePlan {
  Dims slice;                   // slice extent along every Input dim
  std::vector<int64_t> start;   // first index along every dim
  std::vector<int64_t> step;    // index step along every dim
  std::vector<int64_t> vstride;  // value element stride along every slice dim (0: broadcast)
};

class SetValueRef final : public Kernel {
 public:
  Status infer(OpContext& ctx) override {
    const OpDesc& desc = ctx.op();
    const std::string& op = desc.type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "Input", 0, &x));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Out", 0, &out));
    const DType dt = x->dtype();
    if (dt != DType::kF32 && dt != DType::kI32 && dt != DType::kI64 && dt != DType::kBool)
      return Status::Unsupported(op + ": Input dtype " + dtype_name(dt) + " (float32, int32, int64, bool served)");
    if (x->rank() < 1) return Status::Invalid(op + ": Input must have at least one dim");
    axes_ = desc.get_ints("axes");
    decrease_ = desc.get_ints("decrease_axes");
    none_ = desc.get_ints("none_axes");
    const int rank = x->rank();
    for (int64_t a : axes_)
      if (a < 0 || a >= rank) return Status::BadModel(op + ": axis " + std::to_string(a) + " out of range");
    for (int64_t a : decrease_)
      if (a < 0 || a >= rank) return Status::BadModel(op + ": decrease axis " + std::to_string(a) + " out of range");
    for (int64_t a : none_)
      if (a < 0 || a > su::kMaxRank) return Status::BadModel(op + ": none axis " + std::to_string(a) + " out of range");
    if (none_.size() > size_t(su::kMaxRank)) return Status::BadModel(op + ": too many none_axes");

    has_tensor_ = su::has_input(ctx, "ValueTensor");
    if (has_tensor_) {
      const Tensor* v = nullptr;
      TAILOR_RETURN_IF_ERROR(su::get_input(ctx, op, "ValueTensor", 0, &v));
      if (v->dtype() != dt)
        return Status::Unsupported(op + ": ValueTensor dtype " + dtype_name(v->dtype()) + " differs from Input's " +
                                   dtype_name(dt));
      value_dims_ = v->dims();
    } else {
      TAILOR_RETURN_IF_ERROR(read_attr_values(desc, dt));
    }
    // The slice depends on data only through the *TensorList inputs; check it now when it does not.
    if (lists_known(ctx)) {
      SlicePlan plan;
      TAILOR_RETURN_IF_ERROR(make_plan(ctx, *x, &plan));
    }
    out->set_shape(dt, x->dims());
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("Input");
    Tensor* out = ctx.output("Out");
    if (!x || !out || !x->raw() || !out->raw_mut()) return Status::Internal(ctx.op().type + ": unbound tensors");
    SlicePlan plan;
    TAILOR_RETURN_IF_ERROR(make_plan(ctx, *x, &plan));
    const size_t es = dtype_size(x->dtype());
    su::copy_bytes(out->raw_mut(), x->raw(), x->bytes());
    const unsigned char* val = nullptr;
    if (has_tensor_) {
      const Tensor* v = ctx.input("ValueTensor");
      if (!v || !v->raw()) return Status::Internal(ctx.op().type + ": unbound ValueTensor");
      val = static_cast<const unsigned char*>(v->raw());
    } else {
      val = attr_bytes_.data();
    }
    const std::vector<int64_t> in_strides = su::strides_of(x->dims());
    const int rank = x->rank();
    const int64_t total = dims_numel(plan.slice);
    unsigned char* dst = static_cast<unsigned char*>(out->raw_mut());
    std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
    for (int64_t n = 0; n < total; ++n) {
      int64_t d_off = 0, v_off = 0;
      for (int i = 0; i < rank; ++i) {
        const size_t u = static_cast<size_t>(i);
        d_off += (plan.start[u] + idx[u] * plan.step[u]) * in_strides[u];
        v_off += idx[u] * plan.vstride[u];
      }
      std::memcpy(dst + static_cast<size_t>(d_off) * es, val + static_cast<size_t>(v_off) * es, es);
      for (int i = rank - 1; i >= 0; --i) {  // row-major odometer over the slice
        const size_t u = static_cast<size_t>(i);
        if (++idx[u] < plan.slice[u]) break;
        idx[u] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  // The attribute values, stored as Input's dtype.
  Status read_attr_values(const OpDesc& desc, DType dt) {
    const std::string& op = desc.type;
    value_dims_ = desc.get_ints("shape");
    attr_bytes_.clear();
    size_t count = 0;
    if (dt == DType::kF32) {
      std::vector<double> v = desc.get_floats("fp32_values");
      if (v.empty()) v = desc.get_floats("fp64_values");
      count = v.size();
      if (count > kMaxAttrValues) return Status::BadModel(op + ": too many values");
      attr_bytes_.resize(count * sizeof(float));
      for (size_t i = 0; i < count; ++i) {
        const float f = static_cast<float>(v[i]);
        std::memcpy(&attr_bytes_[i * sizeof(float)], &f, sizeof(float));
      }
    } else {
      const char* name = dt == DType::kI32 ? "int32_values" : dt == DType::kI64 ? "int64_values" : "bool_values";
      const std::vector<int64_t> v = desc.get_ints(name);
      count = v.size();
      if (count > kMaxAttrValues) return Status::BadModel(op + ": too many values");
      const size_t es = dtype_size(dt);
      attr_bytes_.resize(count * es);
      for (size_t i = 0; i < count; ++i) {
        if (dt == DType::kI32) {
          const int32_t e = static_cast<int32_t>(v[i]);
          std::memcpy(&attr_bytes_[i * es], &e, es);
        } else if (dt == DType::kI64) {
          std::memcpy(&attr_bytes_[i * es], &v[i], es);
        } else {
          attr_bytes_[i] = v[i] != 0;
        }
      }
    }
    if (count == 0) return Status::BadModel(op + ": neither ValueTensor nor values of Input's dtype");
    TAILOR_RETURN_IF_ERROR(su::check_shape(op, "value shape", value_dims_));
    if (dims_numel(value_dims_) != static_cast<int64_t>(count))
      return Status::BadModel(op + ": value shape " + su::ints_str(value_dims_) + " does not hold the " +
                              std::to_string(count) + " values");
    return Status::Ok();
  }

  bool lists_known(const OpContext& ctx) const {
    for (const char* slot : {"StartsTensorList", "EndsTensorList", "StepsTensorList"})
      for (int i = 0; i < ctx.input_count(slot); ++i)
        if (!ctx.input(slot, i) || !ctx.input(slot, i)->raw()) return false;
    return true;
  }

  // One of starts / ends / steps: the tensor list when given, else the attribute.
  Status read_list(const OpContext& ctx, const char* slot, const char* attr, std::vector<int64_t>* out) const {
    if (ctx.input_count(slot) > 0) return su::read_int_list(ctx, ctx.op().type, slot, out);
    *out = ctx.op().get_ints(attr);
    return Status::Ok();
  }

  Status make_plan(const OpContext& ctx, const Tensor& x, SlicePlan* p) const {
    const std::string& op = ctx.op().type;
    std::vector<int64_t> starts, ends, steps;
    TAILOR_RETURN_IF_ERROR(read_list(ctx, "StartsTensorList", "starts", &starts));
    TAILOR_RETURN_IF_ERROR(read_list(ctx, "EndsTensorList", "ends", &ends));
    TAILOR_RETURN_IF_ERROR(read_list(ctx, "StepsTensorList", "steps", &steps));
    if (steps.empty()) steps.assign(axes_.size(), 1);
    if (starts.size() != axes_.size() || ends.size() != axes_.size() || steps.size() != axes_.size())
      return Status::BadModel(op + ": starts, ends and steps must have one value per axis");
    const size_t rank = static_cast<size_t>(x.rank());
    p->slice = x.dims();
    p->start.assign(rank, 0);
    p->step.assign(rank, 1);
    for (size_t i = 0; i < axes_.size(); ++i) {
      const size_t a = static_cast<size_t>(axes_[i]);
      const int64_t dim = x.dims()[a];
      if (steps[i] == 0) return Status::Invalid(op + ": step 0 on axis " + std::to_string(a));
      // Clamp far-out values first so that the arithmetic below cannot overflow; a step beyond the dim
      // selects at most one element either way.
      const int64_t step = std::max<int64_t>(std::min<int64_t>(steps[i], dim + 1), -dim - 1);
      int64_t start = std::max<int64_t>(std::min<int64_t>(starts[i], 2 * dim + 1), -2 * dim - 1);
      int64_t end = std::max<int64_t>(std::min<int64_t>(ends[i], 2 * dim + 1), -2 * dim - 1);
      if (start < 0) start += dim;
      start = std::max<int64_t>(start, 0);
      if (step > 0 && end < 0) end += dim;
      end = std::min(end, dim);
      int64_t len = 0;
      if (step > 0) {
        start = std::min(start, dim);
        end = std::max<int64_t>(end, 0);
        if (end < start) return Status::Invalid(op + ": end before start on axis " + std::to_string(a));
        len = (end - start + step - 1) / step;
      } else {
        start = std::min(start, dim - 1);
        if (end < -1) end += dim;
        end = std::max<int64_t>(end, -1);
        if (start < end) return Status::Invalid(op + ": start before end with a negative step on axis " +
                                                std::to_string(a));
        len = (end - start + step + 1) / step;
      }
      p->slice[a] = len;
      p->start[a] = start;
      p->step[a] = step;
    }
    // The shape the value is broadcast to: the slice without decrease_axes, with none_axes inserted.
    std::vector<bool> dropped(rank, false);
    for (int64_t a : decrease_) {
      if (p->slice[static_cast<size_t>(a)] != 1)
        return Status::Invalid(op + ": decrease axis " + std::to_string(a) + " has " +
                               std::to_string(p->slice[static_cast<size_t>(a)]) + " elements, not 1");
      dropped[static_cast<size_t>(a)] = true;
    }
    // assign_src[k]: the slice dim behind dim k of the assign shape, -1 for an inserted 1.
    std::vector<int> assign_src;
    size_t none_cur = 0;
    for (size_t i = 0; i < rank; ++i) {
      while (none_cur < none_.size() && none_[none_cur] <= static_cast<int64_t>(i)) {
        assign_src.push_back(-1);
        ++none_cur;
      }
      if (!dropped[i]) assign_src.push_back(static_cast<int>(i));
    }
    for (; none_cur < none_.size(); ++none_cur) assign_src.push_back(-1);
    if (none_.empty() && assign_src.empty()) assign_src.push_back(-1);  // every dim dropped: [1]

    // Right-align the value's dims (leading 1s ignored) with the assign shape.
    size_t lead = 0;
    while (lead < value_dims_.size() && value_dims_[lead] == 1) ++lead;
    const size_t vr = value_dims_.size() - lead;
    p->vstride.assign(rank, 0);
    if (vr > assign_src.size())
      return Status::Invalid(op + ": value shape " + su::ints_str(value_dims_) + " has more dims than the slice");
    int64_t stride = 1;
    for (size_t k = 0; k < vr; ++k) {
      const int64_t vd = value_dims_[value_dims_.size() - 1 - k];
      const int src = assign_src[assign_src.size() - 1 - k];
      const int64_t ad = src < 0 ? 1 : p->slice[static_cast<size_t>(src)];
      if (vd != ad && vd != 1)
        return Status::Invalid(op + ": value shape " + su::ints_str(value_dims_) + " does not broadcast to the slice");
      if (vd != 1 && src >= 0) p->vstride[static_cast<size_t>(src)] = stride;
      stride *= vd;
    }
    return Status::Ok();
  }

  std::vector<int64_t> axes_, decrease_, none_;
  bool has_tensor_ = false;
  std::vector<int64_t> value_dims_;
  std::vector<unsigned char> attr_bytes_;
};

}  // namespace

Status create(const KernelInit& /*init*/, std::unique_ptr<Kernel>* out) {
  return su::make_kernel<SetValueRef>("set_value.any.ref", out);
}

}  // namespace set_value_any_ref
}  // namespace kernels
}  // namespace tailor
