// kernel_harness.h — test-only driver for one kernel factory, without the loader.
//
// Build an op, bind inputs, run the factory's infer() + run(), read outputs:
//
//   tailor::test::OpRunner r("conv2d");
//   r.input("Input", {1, 3, 8, 8}, x).param("Filter", {4, 3, 3, 3}, w)
//    .output("Output")
//    .ints("strides", {1, 1}).ints("paddings", {1, 1}).ints("dilations", {1, 1})
//    .i("groups", 1).b("with_act", true).s("act_type", "relu");
//   r.epilogue("relu", &tailor::kernels::relu_f32_epilogue::apply);   // or epilogues({...})
//   ASSERT(r.run(&tailor::kernels::conv2d_f32_ref::create).ok());
//   std::vector<float> y = r.out_f32("Output");
//
// What it checks for free: during infer() non-constant inputs have null data (as
// in the engine), outputs get exactly the bytes their declared shape needs, and
// scratch is exactly what infer() requested (64-byte aligned).
//
// activation() resolves names against the epilogue table the test passes in and
// decodes parameters from the op's attributes with Paddle Lite's names (see
// decode_activation_params below; core does the same for real models).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/kernel.h"
#include "core/op_desc.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {
namespace test {

struct EpilogueFn {
  const char* name;  // Paddle activation name
  Activation::Fn fn;
};

// Paddle Lite attribute names for activation parameters, as core decodes them
// (Predictor::Init::activation in src/core/executor.cc): the fused name paddle_lite_opt
// writes on conv / fc / fusion ops first, then the activation op's own name, then the default.
inline void decode_activation_params(const OpDesc& op, std::string_view name, Activation* a) {
  auto pick = [&](const char* fused, const char* plain, double def) {
    if (fused && op.has_attr(fused)) return static_cast<float>(op.get_float(fused, def));
    if (plain && op.has_attr(plain)) return static_cast<float>(op.get_float(plain, def));
    return static_cast<float>(def);
  };
  if (name == "relu6") {
    a->alpha = pick("fuse_brelu_threshold", "threshold", 6.0);
  } else if (name == "leaky_relu") {
    a->alpha = pick("leaky_relu_alpha", "alpha", 0.02);
  } else if (name == "hard_swish") {
    a->alpha = pick("hard_swish_threshold", "threshold", 6.0);
    a->beta = pick("hard_swish_scale", "scale", 6.0);
    a->gamma = pick("hard_swish_offset", "offset", 3.0);
  } else if (name == "hard_sigmoid") {
    a->beta = pick(nullptr, "slope", 0.2);
    a->gamma = pick(nullptr, "offset", 0.5);
  } else if (name == "swish") {
    a->alpha = pick("swish_scale", "beta", 1.0);  // x * sigmoid(alpha * x)
  } else if (name == "elu") {
    a->alpha = pick(nullptr, "alpha", 1.0);
  }
}

class HarnessInit final : public KernelInit {
 public:
  HarnessInit(const OpDesc& op, const std::vector<EpilogueFn>& table) : KernelInit(op), table_(table) {}
  Status activation(std::string_view act_type, Activation* out) const override {
    *out = Activation();
    if (act_type.empty() || act_type == "identity") return Status::Ok();
    for (const EpilogueFn& e : table_) {
      if (act_type == e.name) {
        out->fn = e.fn;
        decode_activation_params(op(), act_type, out);
        return Status::Ok();
      }
    }
    return Status::Unsupported("harness: no epilogue for activation '" + std::string(act_type) + "'");
  }

 private:
  const std::vector<EpilogueFn>& table_;
};

class OpRunner {
 public:
  explicit OpRunner(std::string type) {
    op_.type = type;
    op_.key.op = std::move(type);
    op_.key.alias = "def";
    op_.key.target = static_cast<int>(Target::kHost);
    op_.key.precision = static_cast<int>(Precision::kFloat);
    op_.key.layout = 1;
  }

  // ---- attributes (the names mirror Paddle's AttrType) ----
  OpRunner& i(const std::string& name, int64_t v) { Attr a; a.type = AttrType::kInt; a.i = v; return set(name, a); }
  OpRunner& f(const std::string& name, double v) { Attr a; a.type = AttrType::kFloat; a.f = v; return set(name, a); }
  OpRunner& b(const std::string& name, bool v) { Attr a; a.type = AttrType::kBoolean; a.b = v; return set(name, a); }
  OpRunner& s(const std::string& name, std::string v) { Attr a; a.type = AttrType::kString; a.s = std::move(v); return set(name, a); }
  OpRunner& ints(const std::string& name, std::vector<int64_t> v) { Attr a; a.type = AttrType::kInts; a.ints = std::move(v); return set(name, a); }
  OpRunner& floats(const std::string& name, std::vector<double> v) { Attr a; a.type = AttrType::kFloats; a.floats = std::move(v); return set(name, a); }
  OpRunner& attr(const std::string& name, Attr a) { return set(name, std::move(a)); }
  OpRunner& precision(Precision p) { op_.key.precision = static_cast<int>(p); return *this; }

  // ---- tensors ----
  // A runtime input (data hidden during infer()).
  OpRunner& input(const std::string& slot, Dims dims, const std::vector<float>& data) {
    return add_input(slot, DType::kF32, std::move(dims), data.data(), data.size() * sizeof(float), false);
  }
  // A parameter / constant input (data visible during infer()).
  OpRunner& param(const std::string& slot, Dims dims, const std::vector<float>& data) {
    return add_input(slot, DType::kF32, std::move(dims), data.data(), data.size() * sizeof(float), true);
  }
  // Any dtype; `bytes` must hold numel * dtype_size bytes (not checked: tests may lie on purpose).
  OpRunner& add_input(const std::string& slot, DType dt, Dims dims, const void* data, size_t bytes,
                      bool constant) {
    Var v;
    v.tensor.set_shape(dt, std::move(dims));
    v.storage.resize(bytes + 64);
    v.constant = constant;
    if (bytes) std::memcpy(aligned(v.storage), data, bytes);
    add_slot(&op_.inputs, slot);
    in_[slot].push_back(std::move(v));
    return *this;
  }
  OpRunner& output(const std::string& slot, int count = 1) {
    add_slot(&op_.outputs, slot);
    for (int k = 0; k < count; ++k) out_[slot].emplace_back();
    return *this;
  }
  OpRunner& epilogue(const char* name, Activation::Fn fn) { epilogues_.push_back({name, fn}); return *this; }
  OpRunner& epilogues(std::vector<EpilogueFn> t) { epilogues_ = std::move(t); return *this; }

  OpDesc& op() { return op_; }
  Kernel* kernel() { return kernel_.get(); }

  // create() + infer(). Outputs then have their declared shapes.
  Status infer(KernelFactory factory) {
    kernel_.reset();
    init_ = std::make_unique<HarnessInit>(op_, epilogues_);
    TAILOR_RETURN_IF_ERROR(factory(*init_, &kernel_));
    if (!kernel_) return Status::Internal("harness: factory returned ok but no kernel");
    return reinfer();
  }
  // infer() again on the same kernel (e.g. after replace_input with a new shape).
  Status reinfer() {
    Ctx ctx(this, /*infer=*/true);
    scratch_request_ = 0;
    TAILOR_RETURN_IF_ERROR(kernel_->infer(ctx));
    for (auto& kv : out_)
      for (Var& v : kv.second) {
        v.storage.assign(v.tensor.bytes() + 64, 0xCD);  // poison: outputs must be fully written
      }
    scratch_.assign(scratch_request_ + 64, 0xCD);
    return Status::Ok();
  }
  // infer() then run().
  Status run(KernelFactory factory) {
    TAILOR_RETURN_IF_ERROR(infer(factory));
    return rerun();
  }
  // run() again on the current kernel and shapes.
  Status rerun() {
    Ctx ctx(this, /*infer=*/false);
    return kernel_->run(ctx);
  }
  // Swap the data (and shape) of an existing input, keeping its constness.
  OpRunner& replace_input(const std::string& slot, int idx, Dims dims, const std::vector<float>& data) {
    Var& v = in_.at(slot).at(static_cast<size_t>(idx));
    v.tensor.set_shape(DType::kF32, std::move(dims));
    v.storage.resize(data.size() * sizeof(float) + 64);
    if (!data.empty()) std::memcpy(aligned(v.storage), data.data(), data.size() * sizeof(float));
    return *this;
  }

  const Tensor& out(const std::string& slot, int idx = 0) {
    Var& v = out_.at(slot).at(static_cast<size_t>(idx));
    v.tensor.bind(aligned(v.storage));
    return v.tensor;
  }
  std::vector<float> out_f32(const std::string& slot, int idx = 0) {
    const Tensor& t = out(slot, idx);
    // Empty when the output was never sized (infer() failed) or is not float32.
    const Var& v = out_.at(slot).at(static_cast<size_t>(idx));
    if (t.dtype() != DType::kF32 || v.storage.size() < t.bytes() + 64) return {};
    const float* p = t.data<float>();
    return std::vector<float>(p, p + t.numel());
  }

 private:
  struct Var {
    Tensor tensor;
    std::vector<unsigned char> storage;
    bool constant = false;
  };

  class Ctx final : public OpContext {
   public:
    Ctx(OpRunner* r, bool infer) : r_(r), infer_(infer) {}
    const OpDesc& op() const override { return r_->op_; }
    int input_count(std::string_view slot) const override { return count(r_->in_, slot); }
    int output_count(std::string_view slot) const override { return count(r_->out_, slot); }
    const Tensor* input(std::string_view slot, int i) const override {
      Var* v = find(&r_->in_, slot, i);
      if (!v) return nullptr;
      v->tensor.bind(infer_ && !v->constant ? nullptr : aligned(v->storage));
      return &v->tensor;
    }
    Tensor* output(std::string_view slot, int i) override {
      Var* v = find(&r_->out_, slot, i);
      if (!v) return nullptr;
      v->tensor.bind(infer_ ? nullptr : aligned(v->storage));
      return &v->tensor;
    }
    void request_scratch(size_t bytes) override {
      if (bytes > r_->scratch_request_) r_->scratch_request_ = bytes;
    }
    void* scratch() const override { return infer_ ? nullptr : aligned(r_->scratch_); }
    void outputs_resized() override {}  // the harness reads output dims after every run anyway

   private:
    using VarMap = std::map<std::string, std::vector<Var>, std::less<>>;
    static int count(const VarMap& m, std::string_view slot) {
      auto it = m.find(slot);
      return it == m.end() ? 0 : static_cast<int>(it->second.size());
    }
    static Var* find(VarMap* m, std::string_view slot, int i) {
      auto it = m->find(slot);
      if (it == m->end() || i < 0 || static_cast<size_t>(i) >= it->second.size()) return nullptr;
      return &it->second[static_cast<size_t>(i)];
    }
    OpRunner* r_;
    bool infer_;
  };

  static void* aligned(std::vector<unsigned char>& s) {
    uintptr_t p = reinterpret_cast<uintptr_t>(s.data());
    return s.data() + ((64 - (p & 63)) & 63);
  }
  OpRunner& set(const std::string& name, Attr a) {
    op_.attrs[name] = std::move(a);
    return *this;
  }
  static void add_slot(std::vector<Slot>* slots, const std::string& name) {
    for (Slot& s : *slots)
      if (s.name == name) {
        s.args.push_back(name + "_" + std::to_string(s.args.size()));
        return;
      }
    slots->push_back(Slot{name, {name + "_0"}});
  }

  OpDesc op_;
  std::map<std::string, std::vector<Var>, std::less<>> in_, out_;
  std::vector<EpilogueFn> epilogues_;
  std::unique_ptr<HarnessInit> init_;
  std::unique_ptr<Kernel> kernel_;
  size_t scratch_request_ = 0;
  std::vector<unsigned char> scratch_;
};

// ---- tiny assertion / comparison helpers, so tests need no framework ----
inline int& failure_count() {
  static int n = 0;  // test-only binary: function-local static is fine here
  return n;
}
#define TH_CHECK(cond)                                                              \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++::tailor::test::failure_count();                                            \
    }                                                                               \
  } while (0)
#define TH_CHECK_OK(expr)                                                                    \
  do {                                                                                       \
    ::tailor::Status _s = (expr);                                                            \
    if (!_s.ok()) {                                                                          \
      std::fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #expr,             \
                   _s.message().c_str());                                                    \
      ++::tailor::test::failure_count();                                                     \
    }                                                                                        \
  } while (0)
#define TH_CHECK_ERR(expr)                                                                  \
  do {                                                                                      \
    ::tailor::Status _s = (expr);                                                           \
    if (_s.ok()) {                                                                          \
      std::fprintf(stderr, "%s:%d: %s unexpectedly ok\n", __FILE__, __LINE__, #expr);      \
      ++::tailor::test::failure_count();                                                    \
    }                                                                                       \
  } while (0)

// max |a-b| / max(1, max|b|); reports and counts a failure above `tol`.
inline bool close(const std::vector<float>& got, const std::vector<float>& want, double tol,
                  const char* what) {
  if (got.size() != want.size()) {
    std::fprintf(stderr, "%s: size %zu != expected %zu\n", what, got.size(), want.size());
    ++failure_count();
    return false;
  }
  double maxdiff = 0, maxref = 0;
  size_t at = 0;
  for (size_t k = 0; k < got.size(); ++k) {
    double d = std::abs(static_cast<double>(got[k]) - want[k]);
    if (!(d <= maxdiff)) { maxdiff = d; at = k; }  // also catches NaN
    maxref = std::max(maxref, std::abs(static_cast<double>(want[k])));
  }
  double rel = maxdiff / std::max(1.0, maxref);
  if (!(rel <= tol)) {
    std::fprintf(stderr, "%s: max diff %g at %zu (got %g want %g), tol %g\n", what, maxdiff, at,
                 static_cast<double>(got[at]), static_cast<double>(want[at]), tol);
    ++failure_count();
    return false;
  }
  return true;
}

// Deterministic pseudo-random floats in [lo, hi).
inline std::vector<float> random_floats(size_t n, uint32_t seed, float lo = -1.f, float hi = 1.f) {
  std::vector<float> v(n);
  uint32_t s = seed * 2654435761u + 1;
  for (float& x : v) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    x = lo + (hi - lo) * static_cast<float>(s >> 8) / 16777216.f;
  }
  return v;
}

}  // namespace test
}  // namespace tailor
