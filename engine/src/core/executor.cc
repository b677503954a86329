#include "core/executor.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/arena.h"
#include "core/format.h"
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

constexpr size_t kPlanLimitMiB = kMaxPlanBytes >> 20;  // for messages: "... the engine's 1024 MiB limit"

// Bytes of a tensor of this dtype and shape, or an error whose message starts
// with the printf of `what` (formatted only on failure).
Status checked_bytes(DType dtype, const Dims& dims, size_t* bytes, const char* what, ...)
    __attribute__((format(printf, 4, 5)));
Status checked_bytes(DType dtype, const Dims& dims, size_t* bytes, const char* what, ...) {
  size_t esize = dtype_size(dtype);
  int64_t numel = dims_numel(dims);
  if (esize != 0 && numel >= 0 && static_cast<uint64_t>(numel) <= kMaxPlanBytes / esize) {
    *bytes = static_cast<size_t>(numel) * esize;
    return Status::Ok();
  }
  std::string msg;
  va_list ap;
  va_start(ap, what);
  append_vformat(&msg, what, ap);
  va_end(ap);
  if (esize == 0) {
    append_format(&msg, " has unknown dtype %d", static_cast<int>(dtype));
    return Status::Internal(std::move(msg));
  }
  msg.append(numel < 0 ? " has invalid shape " : " of shape ");
  append_dims(&msg, dims);
  if (numel < 0) return Status::Invalid(std::move(msg));
  append_format(&msg, " exceeds the engine's %zu MiB tensor limit", kPlanLimitMiB);
  return Status::NoMemory(std::move(msg));
}

// A kernel's failure, prefixed with the op it belongs to.
Status op_failed(const Model& m, size_t oi, const Status& st) {
  return op_error(st.code(), m, oi, ": %s", st.message().c_str());
}

// Ops whose outputs depend only on their inputs' shapes: foldable once shapes
// are known even when the input data is not (e.g. shape -> slice -> reshape).
bool shape_only_op(const std::string& type) { return one_of(type, "shape size"); }

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

// Float -> integer of [lo, hi], rounding to nearest and saturating; NaN -> 0.
int64_t to_int(float v, int64_t lo, int64_t hi) {
  if (std::isnan(v)) return 0;
  double r = std::nearbyint(static_cast<double>(v));
  if (r <= static_cast<double>(lo)) return lo;
  if (r >= static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(r);
}

// n floats -> n elements of `dtype` (integers rounded and saturated).
void store_elements(DType dtype, const float* src, size_t n, void* dst) {
  if (dtype == DType::kF32) {
    std::memcpy(dst, src, n * sizeof(float));
    return;
  }
  int64_t lo = 0, hi = 0;
  switch (dtype) {
    case DType::kI64: lo = INT64_MIN; hi = INT64_MAX; break;
    case DType::kI32: lo = INT32_MIN; hi = INT32_MAX; break;
    case DType::kI16: lo = INT16_MIN; hi = INT16_MAX; break;
    case DType::kI8: lo = INT8_MIN; hi = INT8_MAX; break;
    case DType::kU8: hi = UINT8_MAX; break;
    default: break;
  }
  for (size_t k = 0; k < n; ++k) {
    const float v = src[k];
    switch (dtype) {
      case DType::kF64: static_cast<double*>(dst)[k] = v; break;
      case DType::kF16: static_cast<uint16_t*>(dst)[k] = float_to_half(v); break;
      case DType::kI64: static_cast<int64_t*>(dst)[k] = to_int(v, lo, hi); break;
      case DType::kI32: static_cast<int32_t*>(dst)[k] = static_cast<int32_t>(to_int(v, lo, hi)); break;
      case DType::kI16: static_cast<int16_t*>(dst)[k] = static_cast<int16_t>(to_int(v, lo, hi)); break;
      case DType::kI8: case DType::kU8: static_cast<uint8_t*>(dst)[k] = static_cast<uint8_t>(to_int(v, lo, hi)); break;
      case DType::kBool: static_cast<uint8_t*>(dst)[k] = v != 0.f; break;
      case DType::kF32: break;
    }
  }
}

// n elements of `dtype` -> n floats.
void load_elements(DType dtype, const void* src, size_t n, float* dst) {
  if (dtype == DType::kF32) {
    std::memcpy(dst, src, n * sizeof(float));
    return;
  }
  for (size_t k = 0; k < n; ++k) {
    float v = 0;
    switch (dtype) {
      case DType::kF64: v = static_cast<float>(static_cast<const double*>(src)[k]); break;
      case DType::kF16: v = half_to_float(static_cast<const uint16_t*>(src)[k]); break;
      case DType::kI64: v = static_cast<float>(static_cast<const int64_t*>(src)[k]); break;
      case DType::kI32: v = static_cast<float>(static_cast<const int32_t*>(src)[k]); break;
      case DType::kI16: v = static_cast<const int16_t*>(src)[k]; break;
      case DType::kI8: v = static_cast<const int8_t*>(src)[k]; break;
      case DType::kU8: v = static_cast<const uint8_t*>(src)[k]; break;
      case DType::kBool: v = static_cast<const uint8_t*>(src)[k] ? 1.f : 0.f; break;
      case DType::kF32: break;
    }
    dst[k] = v;
  }
}

Status validate_input_dims(const Model& m, size_t i, const Dims& dims) {
  const char* name = m.inputs[i].name.c_str();
  if (dims.size() > 16) return Status::Format(StatusCode::kInvalidArgument, "input %s has rank %zu (max 16)", name, dims.size());
  for (int64_t d : dims) {
    if (d < 1) {
      std::string msg = format("input %s shape ", name);
      append_dims(&msg, dims);
      msg.append(" has a non-positive dim");
      return Status::Invalid(std::move(msg));
    }
  }
  size_t bytes = 0;
  return checked_bytes(m.inputs[i].dtype, dims, &bytes, "input %s", name);
}

}  // namespace

// ---- kernel-facing views -----------------------------------------------------

class Predictor::Context final : public OpContext {
 public:
  Context(Predictor& p, size_t op) : p_(p), op_(p.model_->ops[op]), pop_(p.model_->program[op]) {}
  const OpDesc& op() const override { return op_; }
  int input_count(std::string_view slot) const override { return count(op_.inputs, pop_.inputs, slot); }
  int output_count(std::string_view slot) const override { return count(op_.outputs, pop_.outputs, slot); }
  const Tensor* input(std::string_view slot, int i) const override { return tensor(op_.inputs, pop_.inputs, slot, i); }
  Tensor* output(std::string_view slot, int i) override { return tensor(op_.outputs, pop_.outputs, slot, i); }
  void request_scratch(size_t bytes) override { requested = std::max(requested, bytes); }
  void* scratch() const override { return scratch_ptr; }
  void outputs_resized() override { resized = true; }

  size_t requested = 0;
  void* scratch_ptr = nullptr;
  bool resized = false;

 private:
  static int find(const std::vector<Slot>& slots, std::string_view name) {
    for (size_t k = 0; k < slots.size(); ++k) {
      if (slots[k].name == name) return static_cast<int>(k);
    }
    return -1;
  }
  static int count(const std::vector<Slot>& slots, const SlotValues& values, std::string_view slot) {
    int k = find(slots, slot);
    return k < 0 ? 0 : static_cast<int>(values.count(static_cast<size_t>(k)));
  }
  Tensor* tensor(const std::vector<Slot>& slots, const SlotValues& values, std::string_view slot, int i) const {
    int k = find(slots, slot);
    if (k < 0 || i < 0 || static_cast<size_t>(i) >= values.count(static_cast<size_t>(k))) return nullptr;
    return &p_.tensors_[static_cast<size_t>(values.slot(static_cast<size_t>(k))[i])];
  }

  Predictor& p_;
  const OpDesc& op_;
  const ProgramOp& pop_;
};

class Predictor::Init final : public KernelInit {
 public:
  Init(const Model& m, size_t op) : KernelInit(m.ops[op]), model_(m), op_index_(op) {}

  // Parameters come from the fused attribute names paddle_lite_opt writes on
  // conv / fc / fusion ops (Lite's conv_op.h), else from the activation op's
  // own attribute names, else Paddle's defaults.
  Status activation(std::string_view act_type, Activation* out) const override {
    *out = Activation();
    if (act_type.empty() || act_type == "identity") return Status::Ok();
    const Registry& reg = registry();
    for (size_t k = 0; k < reg.num_epilogues; ++k) {
      if (act_type == reg.str(reg.epilogues[k].name)) {
        out->fn = reg.epilogues[k].fn;
        break;
      }
    }
    if (!out->fn) {
      return op_error(StatusCode::kUnsupported, model_, op_index_,
                      ": activation %.*s is not in this build; rebuild with tailor build --models <this model>",
                      static_cast<int>(act_type.size()), act_type.data());
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
  const Model& model_;
  size_t op_index_;
};

// ---- predictor ---------------------------------------------------------------------

// Containers are sized here, once: cheaper in code than resizing them later.
Predictor::Predictor(const Model* model)
    : model_(model),
      kernels_(model->ops.size()),
      tensors_(model->values.size()),
      is_const_(model->values.size()),
      folded_(model->ops.size()),
      input_dims_(model->inputs.size()) {}

Predictor::~Predictor() = default;

Status Predictor::create(const Model* model, std::unique_ptr<Predictor>* out) {
  out->reset();
  if (!model) return Status::Invalid("model is null");
  std::unique_ptr<Predictor> p(new Predictor(model));
  const Model& m = *model;
  for (size_t oi = 0; oi < m.ops.size(); ++oi) {
    const ProgramOp& pop = m.program[oi];
    if (pop.role != ProgramOp::Role::kCompute) continue;
    if (!pop.entry || !pop.entry->create) return op_error(StatusCode::kInternal, m, oi, " has no kernel factory");
    Init init(m, oi);
    Status st = pop.entry->create(init, &p->kernels_[oi]);
    if (!st.ok()) return op_failed(m, oi, st);
    if (!p->kernels_[oi]) return op_error(StatusCode::kInternal, m, oi, ": unit %s created no kernel", pop.unit);
  }
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
    const ModelIO& in = m.inputs[i];
    p->input_dims_[i] = in.dims;
    const VarDecl* var = m.find_var(in.name);
    for (int64_t d : var ? var->dims : Dims()) fully_declared &= d >= 0;
  }
  Status st = p->plan();
  if (!st.ok()) {
    // A shape the file fixes completely must plan; one with -1 dims may only
    // become valid once the caller sets real input shapes.
    if (fully_declared) return st;
    p->plan_error_ = Status::Format(StatusCode::kInvalidArgument,
                                    "the model's declared input shapes (-1 read as 1) do not plan; set input shapes first: %s",
                                    st.message().c_str());
  }
  *out = std::move(p);
  return Status::Ok();
}

Status Predictor::plan() {
  planned_ = false;
  const Model& m = *model_;
  const size_t num_ops = m.ops.size(), num_values = m.values.size();
  for (size_t v = 0; v < num_values; ++v) {
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
  std::fill(folded_.begin(), folded_.end(), 0);
  size_t scratch_need = 0;

  for (size_t oi = 0; oi < num_ops; ++oi) {
    const ProgramOp& pop = m.program[oi];
    if (pop.role != ProgramOp::Role::kCompute) continue;
    bool all_const = true;
    for (int32_t v : pop.inputs.values) {
      if (is_unset(tensors_[static_cast<size_t>(v)])) {
        const Value& val = m.values[static_cast<size_t>(v)];
        return op_error(StatusCode::kInvalidModel, m, oi, " reads %s, which %s did not produce", val.name,
                        op_label(m, static_cast<size_t>(val.producer)).c_str());
      }
      all_const &= is_const_[static_cast<size_t>(v)] != 0;
    }
    Context ctx(*this, oi);
    Status st = kernels_[oi]->infer(ctx);
    if (!st.ok()) return op_failed(m, oi, st);
    if (ctx.requested > kMaxPlanBytes) {
      return op_error(StatusCode::kOutOfMemory, m, oi, " asks for %zu bytes of scratch (limit %zu MiB)", ctx.requested,
                      kPlanLimitMiB);
    }
    size_t out_bytes = 0;
    for (int32_t v : pop.outputs.values) {
      const Tensor& t = tensors_[static_cast<size_t>(v)];
      if (is_unset(t)) continue;  // an optional output the kernel does not produce
      size_t bytes = 0;
      TAILOR_RETURN_IF_ERROR(checked_bytes(t.dtype(), t.dims(), &bytes, "op %zu %s output %s", oi, m.ops[oi].type.c_str(),
                                           m.values[static_cast<size_t>(v)].name));
      out_bytes += bytes;
    }
    if (!(all_const || shape_only_op(m.ops[oi].type))) {
      scratch_need = std::max(scratch_need, ctx.requested);
      continue;
    }
    // Fold: run now into plan-owned storage; later ops see constant data.
    if (out_bytes > kMaxPlanBytes - constant_bytes_) {
      return op_error(StatusCode::kOutOfMemory, m, oi, ": constants folded at plan time exceed the %zu MiB limit",
                      kPlanLimitMiB);
    }
    for (int32_t v : pop.outputs.values) {
      Tensor& t = tensors_[static_cast<size_t>(v)];
      if (is_unset(t)) continue;
      AlignedBuffer buf;
      if (!buf.allocate(t.bytes())) return op_error(StatusCode::kOutOfMemory, m, oi, ": out of memory folding constants");
      t.bind(buf.data());
      constant_bytes_ += t.bytes();
      constants_.push_back(std::move(buf));
      is_const_[static_cast<size_t>(v)] = 1;
    }
    AlignedBuffer tmp;
    if (!tmp.allocate(ctx.requested)) return op_error(StatusCode::kOutOfMemory, m, oi, ": out of memory for scratch");
    ctx.scratch_ptr = tmp.data();
    st = kernels_[oi]->run(ctx);
    if (!st.ok()) return op_failed(m, oi, st);
    folded_[oi] = 1;
  }

  // Lifetimes of the values that need activation memory: model inputs and the
  // outputs of ops that run at run time.
  std::vector<int32_t> first(num_values, INT32_MAX), last(num_values, -1);
  for (size_t oi = 0; oi < num_ops; ++oi) {
    const ProgramOp& pop = m.program[oi];
    const int32_t at = static_cast<int32_t>(oi);
    if (pop.role == ProgramOp::Role::kFeed) {
      for (int32_t v : pop.outputs.values) first[static_cast<size_t>(v)] = -1;
      continue;
    }
    if (pop.role == ProgramOp::Role::kCompute && folded_[oi]) continue;
    for (int32_t v : pop.inputs.values) last[static_cast<size_t>(v)] = std::max(last[static_cast<size_t>(v)], at);
    for (int32_t v : pop.outputs.values) {
      first[static_cast<size_t>(v)] = at;
      last[static_cast<size_t>(v)] = std::max(last[static_cast<size_t>(v)], at);
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
      return Status::Format(StatusCode::kInvalidModel, "output %s is never produced (%s leaves it unset)", o.name.c_str(),
                            op_label(m, static_cast<size_t>(std::max<int32_t>(val.producer, 0))).c_str());
    }
    first[static_cast<size_t>(o.value)] = -1;
    last[static_cast<size_t>(o.value)] = static_cast<int32_t>(num_ops);
  }
  auto in_arena = [&](size_t v) { return !is_const_[v] && first[v] != INT32_MAX && !is_unset(tensors_[v]); };
  size_t num_requests = 0;
  for (size_t v = 0; v < num_values; ++v) num_requests += in_arena(v);
  std::vector<ArenaRequest> requests(num_requests);
  std::vector<size_t> request_value(num_requests), offsets;
  for (size_t v = 0, r = 0; v < num_values; ++v) {
    if (!in_arena(v)) continue;
    requests[r] = ArenaRequest{tensors_[v].bytes(), first[v], std::max(first[v], last[v])};
    request_value[r++] = v;
  }
  size_t peak = plan_arena(requests, AlignedBuffer::kAlign, &offsets);
  if (peak > kMaxPlanBytes) {
    std::string need = peak == SIZE_MAX ? std::string("more than 4 GiB") : format("%zu bytes", peak);
    return Status::Format(StatusCode::kOutOfMemory, "the activations of this plan need %s, more than the engine's %zu MiB limit",
                          need.c_str(), kPlanLimitMiB);
  }
  if (arena_.size() < peak && !arena_.allocate(peak)) {
    return Status::Format(StatusCode::kOutOfMemory, "out of memory allocating a %zu-byte activation arena", peak);
  }
  arena_size_ = peak;
  capacity_.assign(num_values, 0);
  for (size_t r = 0; r < num_requests; ++r) {
    tensors_[request_value[r]].bind(arena_.data() + offsets[r]);
    capacity_[request_value[r]] = requests[r].size;
  }
  if (scratch_.size() < scratch_need && !scratch_.allocate(scratch_need)) {
    return Status::Format(StatusCode::kOutOfMemory, "out of memory allocating %zu bytes of scratch", scratch_need);
  }
  planned_ = true;
  plan_error_ = Status::Ok();
  return Status::Ok();
}

Status Predictor::set_input(size_t i, const float* data, const Dims& dims) {
  const Model& m = *model_;
  if (i >= m.inputs.size()) {
    return Status::Format(StatusCode::kInvalidArgument, "input index %zu out of range (%zu inputs)", i, m.inputs.size());
  }
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
      input_dims_[i] = std::move(old);
      plan_error_ = plan();  // back to the previous shapes, if they planned
      restore(SIZE_MAX);
      return st;
    }
    restore(i);
  }
  Tensor& t = tensors_[static_cast<size_t>(m.inputs[i].value)];
  if (n) store_elements(t.dtype(), data, n, t.raw_mut());
  return Status::Ok();
}

// An op whose output size depends on the data (NMS keeps fewer boxes than infer() allowed for) shrinks
// its outputs in run(). The ops after it then infer again from the actual shapes, within the memory
// planned from the first ones: the plan holds for every run, the shapes follow the data.
Status Predictor::run() {
  if (!planned_) return plan_error_.ok() ? Status::Invalid("predictor has no valid plan; set the inputs first") : plan_error_;
  const Model& m = *model_;
  bool reshaped = false;
  for (size_t oi = 0; oi < m.ops.size(); ++oi) {
    if (m.program[oi].role != ProgramOp::Role::kCompute || folded_[oi]) continue;
    TAILOR_RETURN_IF_ERROR(run_op(oi, reshaped, &reshaped));
  }
  return Status::Ok();
}

Status Predictor::run_op(size_t oi, bool reinfer, bool* reshaped) {
  const Model& m = *model_;
  const ProgramOp& pop = m.program[oi];
  Context ctx(*this, oi);
  ctx.scratch_ptr = scratch_.data();
  if (reinfer) {
    Status st = kernels_[oi]->infer(ctx);
    if (!st.ok()) return op_failed(m, oi, st);
    bool fits = ctx.requested <= scratch_.size();
    for (int32_t v : pop.outputs.values) {
      const Tensor& t = tensors_[static_cast<size_t>(v)];
      size_t bytes = 0;
      if (is_unset(t)) continue;  // an optional output the kernel does not produce
      fits &= checked_bytes(t.dtype(), t.dims(), &bytes, "output").ok() && bytes <= capacity_[static_cast<size_t>(v)];
    }
    if (!fits) return op_error(StatusCode::kInternal, m, oi, " outgrows its planned memory after a run-time shape change");
  }
  Status st = kernels_[oi]->run(ctx);
  if (!st.ok()) return op_failed(m, oi, st);
  *reshaped |= ctx.resized;
  return Status::Ok();
}

Status Predictor::get_output(size_t i, float* dst, size_t capacity, size_t* count) const {
  if (count) *count = 0;
  if (i >= model_->outputs.size()) {
    return Status::Format(StatusCode::kInvalidArgument, "output index %zu out of range (%zu outputs)", i,
                          model_->outputs.size());
  }
  if (!planned_) return plan_error_.ok() ? Status::Invalid("predictor has no valid plan") : plan_error_;
  const Tensor& t = output(i);
  const size_t n = static_cast<size_t>(t.numel());
  if (count) *count = n;
  if (capacity < n) {
    return Status::Format(StatusCode::kInvalidArgument, "output %s has %zu elements, buffer holds %zu",
                          model_->outputs[i].name.c_str(), n, capacity);
  }
  if (!n) return Status::Ok();
  if (!dst) return Status::Invalid("output buffer is null");
  load_elements(t.dtype(), t.raw(), n, dst);
  return Status::Ok();
}

}  // namespace tailor
