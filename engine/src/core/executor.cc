#include "core/executor.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/arena.h"
#include "core/registry.h"

namespace tailor {
namespace {

// Dims of a value no kernel has declared yet (or whose producer left it unset).
constexpr int64_t kUnsetDim = INT64_MIN;

void mark_unset(Tensor* t) {
  t->set_shape(DType::kF32, Dims{kUnsetDim});
  t->bind(nullptr);
}
bool is_unset(const Tensor& t) { return t.dims().size() == 1 && t.dims()[0] == kUnsetDim; }

std::string plan_limit() { return std::to_string(kMaxPlanBytes >> 20) + " MiB"; }

std::string dims_str(const Dims& d) {
  std::string s = "[";
  for (size_t k = 0; k < d.size(); ++k) {
    if (k) s += ", ";
    s += std::to_string(d[k]);
  }
  return s + "]";
}

// Bytes of a tensor of this dtype and shape, or an error naming `what`.
Status checked_bytes(DType dtype, const Dims& dims, const std::string& what, size_t* bytes) {
  size_t esize = dtype_size(dtype);
  if (esize == 0) return Status::Internal(what + " has unknown dtype " + std::to_string(static_cast<int>(dtype)));
  int64_t numel = dims_numel(dims);
  if (numel < 0) return Status::Invalid(what + " has invalid shape " + dims_str(dims));
  if (static_cast<uint64_t>(numel) > kMaxPlanBytes / esize) {
    return Status::NoMemory(what + " of shape " + dims_str(dims) + " exceeds the engine's " + plan_limit() + " tensor limit");
  }
  *bytes = static_cast<size_t>(numel) * esize;
  return Status::Ok();
}

Status with_prefix(const std::string& prefix, const Status& st) {
  if (st.ok()) return st;
  switch (st.code()) {
    case StatusCode::kInvalidArgument: return Status::Invalid(prefix + ": " + st.message());
    case StatusCode::kInvalidModel: return Status::BadModel(prefix + ": " + st.message());
    case StatusCode::kUnsupported: return Status::Unsupported(prefix + ": " + st.message());
    case StatusCode::kOutOfMemory: return Status::NoMemory(prefix + ": " + st.message());
    default: return Status::Internal(prefix + ": " + st.message());
  }
}

// Ops whose outputs depend only on their inputs' shapes: foldable once shapes
// are known even when the input data is not (e.g. shape -> slice -> reshape).
bool shape_only_op(const std::string& type) { return type == "shape" || type == "size"; }

uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t mag = x & 0x7fffffffu;
  if (mag >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (mag > 0x7f800000u ? 0x200u : 0));
  if (mag >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflows to inf
  if (mag < 0x38800000u) {                                               // subnormal half or zero
    float a;
    std::memcpy(&a, &mag, 4);
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(a * 16777216.0f)));
  }
  uint32_t r = mag + 0xc8000fffu + ((mag >> 13) & 1u);  // rebias and round to nearest even
  return static_cast<uint16_t>(sign | (r >> 13));
}

float half_to_float(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
  float f;
  if (exp == 0) {
    f = std::ldexp(static_cast<float>(man), -24);
    return sign ? -f : f;
  }
  uint32_t x = exp == 31 ? (sign | 0x7f800000u | (man << 13)) : (sign | ((exp + 112) << 23) | (man << 13));
  std::memcpy(&f, &x, 4);
  return f;
}

// Float -> integer with saturation (and NaN -> 0), rounding to nearest.
template <typename T>
T to_int(float v) {
  if (std::isnan(v)) return 0;
  double r = std::nearbyint(static_cast<double>(v));
  if (r <= static_cast<double>(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (r >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(r);
}

template <typename T>
void store_as(const float* src, size_t n, void* dst) {
  T* d = static_cast<T*>(dst);
  for (size_t k = 0; k < n; ++k) d[k] = to_int<T>(src[k]);
}

template <typename T>
void load_from(const void* src, size_t n, float* dst) {
  const T* s = static_cast<const T*>(src);
  for (size_t k = 0; k < n; ++k) dst[k] = static_cast<float>(s[k]);
}

Status validate_input_dims(const Model& m, size_t i, const Dims& dims) {
  if (dims.size() > 16) return Status::Invalid("input " + m.inputs[i].name + " has rank " + std::to_string(dims.size()) + " (max 16)");
  for (int64_t d : dims) {
    if (d < 1) return Status::Invalid("input " + m.inputs[i].name + " shape " + dims_str(dims) + " has a non-positive dim");
  }
  size_t bytes = 0;
  return checked_bytes(m.inputs[i].dtype, dims, "input " + m.inputs[i].name, &bytes);
}

}  // namespace

// ---- kernel-facing views -----------------------------------------------------

class Predictor::Context final : public OpContext {
 public:
  Context(Predictor& p, size_t op) : p_(p), op_(p.model_->ops[op]), pop_(p.model_->program[op]) {}
  const OpDesc& op() const override { return op_; }
  int input_count(std::string_view slot) const override {
    int k = find(op_.inputs, slot);
    return k < 0 ? 0 : static_cast<int>(pop_.inputs[static_cast<size_t>(k)].size());
  }
  int output_count(std::string_view slot) const override {
    int k = find(op_.outputs, slot);
    return k < 0 ? 0 : static_cast<int>(pop_.outputs[static_cast<size_t>(k)].size());
  }
  const Tensor* input(std::string_view slot, int i) const override {
    int32_t v = value(op_.inputs, pop_.inputs, slot, i);
    return v < 0 ? nullptr : &p_.tensors_[static_cast<size_t>(v)];
  }
  Tensor* output(std::string_view slot, int i) override {
    int32_t v = value(op_.outputs, pop_.outputs, slot, i);
    return v < 0 ? nullptr : &p_.tensors_[static_cast<size_t>(v)];
  }
  void request_scratch(size_t bytes) override { requested = std::max(requested, bytes); }
  void* scratch() const override { return scratch_ptr; }

  size_t requested = 0;
  void* scratch_ptr = nullptr;

 private:
  static int find(const std::vector<Slot>& slots, std::string_view name) {
    for (size_t k = 0; k < slots.size(); ++k) {
      if (slots[k].name == name) return static_cast<int>(k);
    }
    return -1;
  }
  static int32_t value(const std::vector<Slot>& slots, const std::vector<std::vector<int32_t>>& values,
                       std::string_view slot, int i) {
    int k = find(slots, slot);
    if (k < 0 || i < 0 || static_cast<size_t>(i) >= values[static_cast<size_t>(k)].size()) return -1;
    return values[static_cast<size_t>(k)][static_cast<size_t>(i)];
  }

  Predictor& p_;
  const OpDesc& op_;
  const ProgramOp& pop_;
};

class Predictor::Init final : public KernelInit {
 public:
  Init(const Model& m, size_t op) : KernelInit(m.ops[op]), label_(op_label(m, op)) {}

  // Parameters come from the fused attribute names paddle_lite_opt writes on
  // conv / fc / fusion ops (Lite's conv_op.h), else from the activation op's
  // own attribute names, else Paddle's defaults.
  Status activation(std::string_view act_type, Activation* out) const override {
    *out = Activation();
    if (act_type.empty() || act_type == "identity") return Status::Ok();
    const Registry& reg = registry();
    for (size_t k = 0; k < reg.num_epilogues; ++k) {
      if (act_type == reg.epilogues[k].name) {
        out->fn = reg.epilogues[k].fn;
        break;
      }
    }
    if (!out->fn) {
      return Status::Unsupported(label_ + ": activation " + std::string(act_type) +
                                 " is not in this build; rebuild with tailor build --models <this model>");
    }
    const OpDesc& o = op();
    auto pick = [&o](const char* fused, const char* plain, double def) {
      if (fused && o.has_attr(fused)) return static_cast<float>(o.get_float(fused, def));
      if (plain && o.has_attr(plain)) return static_cast<float>(o.get_float(plain, def));
      return static_cast<float>(def);
    };
    if (act_type == "relu6") {
      out->alpha = pick("fuse_brelu_threshold", "threshold", 6.0);
    } else if (act_type == "leaky_relu") {
      out->alpha = pick("leaky_relu_alpha", "alpha", 0.02);
    } else if (act_type == "hard_swish") {
      out->alpha = pick("hard_swish_threshold", "threshold", 6.0);
      out->beta = pick("hard_swish_scale", "scale", 6.0);
      out->gamma = pick("hard_swish_offset", "offset", 3.0);
    } else if (act_type == "hard_sigmoid") {
      out->beta = pick(nullptr, "slope", 0.2);
      out->gamma = pick(nullptr, "offset", 0.5);
    } else if (act_type == "swish") {
      out->alpha = pick("swish_scale", "beta", 1.0);  // x * sigmoid(alpha * x)
    } else if (act_type == "elu") {
      out->alpha = pick(nullptr, "alpha", 1.0);
    }
    return Status::Ok();
  }

 private:
  std::string label_;
};

// ---- predictor ---------------------------------------------------------------------

Predictor::~Predictor() = default;

Status Predictor::create(std::shared_ptr<const Model> model, std::unique_ptr<Predictor>* out) {
  out->reset();
  if (!model) return Status::Invalid("model is null");
  std::unique_ptr<Predictor> p(new Predictor());
  p->model_ = std::move(model);
  const Model& m = *p->model_;
  p->kernels_.resize(m.ops.size());
  for (size_t oi = 0; oi < m.ops.size(); ++oi) {
    const ProgramOp& pop = m.program[oi];
    if (pop.role != ProgramOp::Role::kCompute) continue;
    if (!pop.entry || !pop.entry->create) return Status::Internal(op_label(m, oi) + " has no kernel factory");
    Init init(m, oi);
    TAILOR_RETURN_IF_ERROR(with_prefix(op_label(m, oi), pop.entry->create(init, &p->kernels_[oi])));
    if (!p->kernels_[oi]) return Status::Internal(op_label(m, oi) + ": unit " + pop.unit + " created no kernel");
  }
  p->tensors_.resize(m.values.size());
  p->is_const_.assign(m.values.size(), 0);
  for (size_t v = 0; v < m.values.size(); ++v) {
    const Value& val = m.values[v];
    if (val.kind != ValueKind::kParam) continue;
    const Param& prm = m.params[static_cast<size_t>(val.param)];
    p->tensors_[v].set_shape(prm.dtype, prm.dims);
    // Kernels only get const access to inputs; parameters are never written.
    p->tensors_[v].bind(const_cast<unsigned char*>(prm.data.data()));
    p->is_const_[v] = 1;
  }
  bool fully_declared = true;
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    p->input_dims_.push_back(m.inputs[i].dims);
    const VarDecl* var = m.find_var(m.inputs[i].name);
    for (int64_t d : var ? var->dims : Dims()) fully_declared &= d >= 0;
  }
  Status st = p->plan();
  if (!st.ok()) {
    // A shape the file fixes completely must plan; one with -1 dims may only
    // become valid once the caller sets real input shapes.
    if (fully_declared) return st;
    p->plan_error_ = Status::Invalid("the model's declared input shapes (-1 read as 1) do not plan; set input shapes first: " +
                                     st.message());
  }
  *out = std::move(p);
  return Status::Ok();
}

Status Predictor::plan() {
  planned_ = false;
  const Model& m = *model_;
  const size_t num_ops = m.ops.size();
  for (size_t v = 0; v < m.values.size(); ++v) {
    if (m.values[v].kind == ValueKind::kParam) continue;
    mark_unset(&tensors_[v]);
    is_const_[v] = 0;
  }
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    TAILOR_RETURN_IF_ERROR(validate_input_dims(m, i, input_dims_[i]));
    tensors_[static_cast<size_t>(m.inputs[i].value)].set_shape(m.inputs[i].dtype, input_dims_[i]);
  }
  constants_.clear();
  constant_bytes_ = 0;
  folded_.assign(num_ops, 0);
  size_t scratch_need = 0;

  for (size_t oi = 0; oi < num_ops; ++oi) {
    const ProgramOp& pop = m.program[oi];
    if (pop.role != ProgramOp::Role::kCompute) continue;
    const std::string label = op_label(m, oi);
    bool all_const = true;
    for (const auto& slot : pop.inputs) {
      for (int32_t v : slot) {
        if (is_unset(tensors_[static_cast<size_t>(v)])) {
          const Value& val = m.values[static_cast<size_t>(v)];
          return Status::BadModel(label + " reads " + val.name + ", which " + op_label(m, static_cast<size_t>(val.producer)) +
                                  " did not produce");
        }
        all_const &= is_const_[static_cast<size_t>(v)] != 0;
      }
    }
    Context ctx(*this, oi);
    TAILOR_RETURN_IF_ERROR(with_prefix(label, kernels_[oi]->infer(ctx)));
    if (ctx.requested > kMaxPlanBytes) {
      return Status::NoMemory(label + " asks for " + std::to_string(ctx.requested) + " bytes of scratch (limit " + plan_limit() + ")");
    }
    size_t out_bytes = 0;
    for (size_t k = 0; k < pop.outputs.size(); ++k) {
      for (int32_t v : pop.outputs[k]) {
        const Tensor& t = tensors_[static_cast<size_t>(v)];
        if (is_unset(t)) continue;  // an optional output the kernel does not produce
        size_t bytes = 0;
        TAILOR_RETURN_IF_ERROR(checked_bytes(t.dtype(), t.dims(), label + " output " + m.values[static_cast<size_t>(v)].name, &bytes));
        out_bytes += bytes;
      }
    }
    if (!(all_const || shape_only_op(m.ops[oi].type))) {
      scratch_need = std::max(scratch_need, ctx.requested);
      continue;
    }
    // Fold: run now into plan-owned storage; later ops see constant data.
    if (out_bytes > kMaxPlanBytes - constant_bytes_) {
      return Status::NoMemory(label + ": constants folded at plan time exceed the " + plan_limit() + " limit");
    }
    for (const auto& slot : pop.outputs) {
      for (int32_t v : slot) {
        Tensor& t = tensors_[static_cast<size_t>(v)];
        if (is_unset(t)) continue;
        AlignedBuffer buf;
        if (!buf.allocate(t.bytes())) return Status::NoMemory(label + ": out of memory folding constants");
        t.bind(buf.data());
        constant_bytes_ += t.bytes();
        constants_.push_back(std::move(buf));
        is_const_[static_cast<size_t>(v)] = 1;
      }
    }
    AlignedBuffer tmp;
    if (!tmp.allocate(ctx.requested)) return Status::NoMemory(label + ": out of memory for scratch");
    ctx.scratch_ptr = tmp.data();
    TAILOR_RETURN_IF_ERROR(with_prefix(label, kernels_[oi]->run(ctx)));
    folded_[oi] = 1;
  }

  // Lifetimes of the values that need activation memory: model inputs and the
  // outputs of ops that run at run time.
  std::vector<int32_t> first(m.values.size(), INT32_MAX), last(m.values.size(), -1);
  for (size_t oi = 0; oi < num_ops; ++oi) {
    const ProgramOp& pop = m.program[oi];
    const int32_t at = static_cast<int32_t>(oi);
    if (pop.role == ProgramOp::Role::kFeed) {
      for (const auto& slot : pop.outputs) {
        for (int32_t v : slot) first[static_cast<size_t>(v)] = -1;
      }
      continue;
    }
    if (pop.role == ProgramOp::Role::kCompute && folded_[oi]) continue;
    for (const auto& slot : pop.inputs) {
      for (int32_t v : slot) last[static_cast<size_t>(v)] = std::max(last[static_cast<size_t>(v)], at);
    }
    for (const auto& slot : pop.outputs) {
      for (int32_t v : slot) {
        first[static_cast<size_t>(v)] = at;
        last[static_cast<size_t>(v)] = std::max(last[static_cast<size_t>(v)], at);
      }
    }
  }
  // Inputs and fetched values live from the start to the end: a second run
  // without set_input sees the same inputs, and the next set_input never
  // overwrites the outputs of the last run.
  for (const ModelIO& in : m.inputs) last[static_cast<size_t>(in.value)] = static_cast<int32_t>(num_ops);
  for (const ModelIO& o : m.outputs) {
    const Tensor& t = tensors_[static_cast<size_t>(o.value)];
    if (is_unset(t)) {
      const Value& val = m.values[static_cast<size_t>(o.value)];
      return Status::BadModel("output " + o.name + " is never produced (" +
                              op_label(m, static_cast<size_t>(std::max<int32_t>(val.producer, 0))) + " leaves it unset)");
    }
    first[static_cast<size_t>(o.value)] = -1;
    last[static_cast<size_t>(o.value)] = static_cast<int32_t>(num_ops);
  }
  std::vector<ArenaRequest> requests;
  std::vector<size_t> request_value;
  for (size_t v = 0; v < m.values.size(); ++v) {
    if (is_const_[v] || first[v] == INT32_MAX || is_unset(tensors_[v])) continue;
    requests.push_back(ArenaRequest{tensors_[v].bytes(), first[v], std::max(first[v], last[v])});
    request_value.push_back(v);
  }
  std::vector<size_t> offsets;
  size_t peak = plan_arena(requests, AlignedBuffer::kAlign, &offsets);
  if (peak > kMaxPlanBytes) {
    return Status::NoMemory("the activations of this plan need " + (peak == SIZE_MAX ? std::string("more than 4 GiB") : std::to_string(peak) + " bytes") +
                            ", more than the engine's " + plan_limit() + " limit");
  }
  if (arena_.size() < peak && !arena_.allocate(peak)) {
    return Status::NoMemory("out of memory allocating a " + std::to_string(peak) + "-byte activation arena");
  }
  arena_size_ = peak;
  for (size_t r = 0; r < requests.size(); ++r) tensors_[request_value[r]].bind(arena_.data() + offsets[r]);
  if (scratch_.size() < scratch_need && !scratch_.allocate(scratch_need)) {
    return Status::NoMemory("out of memory allocating " + std::to_string(scratch_need) + " bytes of scratch");
  }
  planned_ = true;
  plan_error_ = Status::Ok();
  return Status::Ok();
}

Status Predictor::set_input(size_t i, const float* data, const Dims& dims) {
  const Model& m = *model_;
  if (i >= m.inputs.size()) return Status::Invalid("input index " + std::to_string(i) + " out of range (" + std::to_string(m.inputs.size()) + " inputs)");
  TAILOR_RETURN_IF_ERROR(validate_input_dims(m, i, dims));
  const size_t n = static_cast<size_t>(dims_numel(dims));
  if (!data && n) return Status::Invalid("input data is null");
  if (!planned_ || dims != input_dims_[i]) {
    // Re-planning moves the arena: keep the data other inputs already hold.
    std::vector<AlignedBuffer> saved(m.inputs.size());
    for (size_t k = 0; planned_ && k < m.inputs.size(); ++k) {
      const Tensor& t = tensors_[static_cast<size_t>(m.inputs[k].value)];
      if (!saved[k].allocate(t.bytes())) continue;
      if (t.bytes()) std::memcpy(saved[k].data(), t.raw(), t.bytes());
    }
    auto restore = [&](size_t skip) {
      for (size_t k = 0; planned_ && k < m.inputs.size(); ++k) {
        if (k == skip) continue;
        Tensor& t = tensors_[static_cast<size_t>(m.inputs[k].value)];
        if (saved[k].data() && saved[k].size() == t.bytes()) std::memcpy(t.raw_mut(), saved[k].data(), t.bytes());
      }
    };
    Dims old = input_dims_[i];
    input_dims_[i] = dims;
    Status st = plan();
    if (!st.ok()) {
      input_dims_[i] = old;
      plan_error_ = plan();  // back to the previous shapes, if they planned
      restore(SIZE_MAX);
      return st;
    }
    restore(i);
  }
  Tensor& t = tensors_[static_cast<size_t>(m.inputs[i].value)];
  void* dst = t.raw_mut();
  if (!n) return Status::Ok();
  switch (t.dtype()) {
    case DType::kF32: std::memcpy(dst, data, n * sizeof(float)); break;
    case DType::kF64: for (size_t k = 0; k < n; ++k) static_cast<double*>(dst)[k] = data[k]; break;
    case DType::kF16: for (size_t k = 0; k < n; ++k) static_cast<uint16_t*>(dst)[k] = float_to_half(data[k]); break;
    case DType::kI64: store_as<int64_t>(data, n, dst); break;
    case DType::kI32: store_as<int32_t>(data, n, dst); break;
    case DType::kI16: store_as<int16_t>(data, n, dst); break;
    case DType::kI8: store_as<int8_t>(data, n, dst); break;
    case DType::kU8: store_as<uint8_t>(data, n, dst); break;
    case DType::kBool: for (size_t k = 0; k < n; ++k) static_cast<uint8_t*>(dst)[k] = data[k] != 0.f; break;
  }
  return Status::Ok();
}

Status Predictor::run() {
  if (!planned_) return plan_error_.ok() ? Status::Invalid("predictor has no valid plan; set the inputs first") : plan_error_;
  const Model& m = *model_;
  for (size_t oi = 0; oi < m.ops.size(); ++oi) {
    if (m.program[oi].role != ProgramOp::Role::kCompute || folded_[oi]) continue;
    Context ctx(*this, oi);
    ctx.scratch_ptr = scratch_.data();
    TAILOR_RETURN_IF_ERROR(with_prefix(op_label(m, oi), kernels_[oi]->run(ctx)));
  }
  return Status::Ok();
}

Status Predictor::get_output(size_t i, float* dst, size_t capacity, size_t* count) const {
  if (count) *count = 0;
  if (i >= model_->outputs.size()) return Status::Invalid("output index " + std::to_string(i) + " out of range (" + std::to_string(model_->outputs.size()) + " outputs)");
  if (!planned_) return plan_error_.ok() ? Status::Invalid("predictor has no valid plan") : plan_error_;
  const Tensor& t = output(i);
  const size_t n = static_cast<size_t>(t.numel());
  if (count) *count = n;
  if (capacity < n) {
    return Status::Invalid("output " + model_->outputs[i].name + " has " + std::to_string(n) + " elements, buffer holds " + std::to_string(capacity));
  }
  if (!n) return Status::Ok();
  if (!dst) return Status::Invalid("output buffer is null");
  const void* src = t.raw();
  switch (t.dtype()) {
    case DType::kF32: std::memcpy(dst, src, n * sizeof(float)); break;
    case DType::kF64: load_from<double>(src, n, dst); break;
    case DType::kF16: for (size_t k = 0; k < n; ++k) dst[k] = half_to_float(static_cast<const uint16_t*>(src)[k]); break;
    case DType::kI64: load_from<int64_t>(src, n, dst); break;
    case DType::kI32: load_from<int32_t>(src, n, dst); break;
    case DType::kI16: load_from<int16_t>(src, n, dst); break;
    case DType::kI8: load_from<int8_t>(src, n, dst); break;
    case DType::kU8: load_from<uint8_t>(src, n, dst); break;
    case DType::kBool: for (size_t k = 0; k < n; ++k) dst[k] = static_cast<const uint8_t*>(src)[k] ? 1.f : 0.f; break;
  }
  return Status::Ok();
}

}  // namespace tailor
