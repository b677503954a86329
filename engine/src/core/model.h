// Model: the immutable result of loading a .nb file — declarations, ops,
// parameters, the SSA program built over them and the kernel chosen per op.
// Shared (read-only) by every predictor created on it.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/aligned_buffer.h"
#include "core/op_desc.h"
#include "core/registry.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {

// A VarDesc of block 0. dims may be stale for parameters: use Param::dims.
struct VarDecl {
  std::string name;
  int var_type = 0;          // VarType_.Type of the variable (LOD_TENSOR = 7, ...)
  bool persistable = false;
  bool has_tensor = false;   // false for FEED_MINIBATCH / FETCH_LIST and the like
  DType dtype = DType::kF32;
  Dims dims;
};

struct Param {
  std::string name;
  DType dtype = DType::kF32;
  Dims dims;
  AlignedBuffer data;  // numel * dtype_size bytes, 64-byte aligned
};

// SSA values. ARM programs reuse variable names, so each write of a name makes
// a new value and each read refers to the latest value of that name.
enum class ValueKind : uint8_t { kParam, kInput, kOpOutput };

struct Value {
  const char* name = "";  // the variable's name; points into the model's ops or params
  ValueKind kind = ValueKind::kOpOutput;
  int32_t param = -1;     // kParam: index into Model::params
  int32_t producer = -1;  // kOpOutput: op index; kInput: the feed op's index
  int32_t input = -1;     // kInput: model input index (feed col)
};

// The values of one side (inputs or outputs) of an op, in one flat array:
// slot k, parallel to OpDesc::inputs / ::outputs, holds values[at[k] .. at[k + 1]).
struct SlotValues {
  std::vector<int32_t> values;
  std::vector<int32_t> at;  // one entry more than there are slots
  size_t count(size_t k) const { return static_cast<size_t>(at[k + 1] - at[k]); }
  const int32_t* slot(size_t k) const { return values.data() + at[k]; }
};

// One op of block 0 in file order, its slots resolved to values.
struct ProgramOp {
  enum class Role : uint8_t { kFeed, kFetch, kCompute };
  Role role = Role::kCompute;
  SlotValues inputs;
  SlotValues outputs;
  const KernelEntry* entry = nullptr;  // chosen kernel (kCompute)
  const char* unit = "core";           // catalog unit serving the op
  std::string key;                     // KernelKey::to_string(), for diagnostics
};

struct ModelIO {
  std::string name;
  int32_t value = -1;
  DType dtype = DType::kF32;
  Dims dims;  // declared shape, -1 replaced by 1 (inputs)
};

// Name -> index. One instantiation for every name map of the core.
using NameIndex = std::map<std::string, int32_t, std::less<>>;
int32_t find_name(const NameIndex& index, std::string_view name);  // -1 when absent
// The entry of `name`, inserted with `value` when absent (*inserted tells which).
int32_t& name_entry(NameIndex* index, const std::string& name, int32_t value, bool* inserted = nullptr);

class Model {
 public:
  uint16_t meta_version = 0;
  std::string opt_version;
  int64_t paddle_version = 0;
  std::vector<VarDecl> vars;
  std::vector<OpDesc> ops;
  std::vector<Param> params;
  std::vector<Value> values;
  std::vector<ProgramOp> program;  // parallel to ops
  std::vector<ModelIO> inputs;     // by feed col
  std::vector<ModelIO> outputs;    // by fetch col

  const VarDecl* find_var(std::string_view name) const;
  int32_t find_param(std::string_view name) const;  // -1 when absent

  // Name index of vars and params; filled by the loader.
  NameIndex var_index;
  NameIndex param_index;

 private:
  friend class ModelRef;
  // Owners once loaded: the C API's model handle and each predictor on it,
  // through ModelRef (an intrusive count costs far less code than std::shared_ptr).
  mutable std::atomic<int32_t> refs_{0};
};

// One counted reference to a model; the last one deletes it. The model must
// have been allocated with new and no longer be owned otherwise.
class ModelRef {
 public:
  explicit ModelRef(const Model* m);
  ModelRef(const ModelRef&) = delete;
  ModelRef& operator=(const ModelRef&) = delete;
  ~ModelRef();
  const Model& operator*() const { return *m_; }
  const Model* operator->() const { return m_; }
  const Model* get() const { return m_; }

 private:
  const Model* m_;
};

// The loader lives in its own namespace so that the size report attributes its bytes by name
// (tailor/sizes.py); callers use the names re-declared in tailor.
namespace loader {
// Parses the .nb bytes (copied; the caller keeps ownership), dequantizes
// weight-quantized parameters, builds the SSA program and resolves a kernel
// for every op against registry().
Status load_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out);
Status load_model_file(const char* path, std::unique_ptr<Model>* out);

// load_model without the kernel resolution (tests and tools that only inspect).
Status parse_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out);
}  // namespace loader
using loader::load_model;
using loader::load_model_file;
using loader::parse_model;

// Steps of parse_model / load_model (program.cc).
Status build_program(Model* m);
Status resolve_kernels(Model* m);

// "op 12 conv2d" — the prefix of every per-op message.
std::string op_label(const Model& m, size_t op_index);
// A status whose message is op_label(m, op_index) followed by the printf of fmt.
Status op_error(StatusCode code, const Model& m, size_t op_index, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));

}  // namespace tailor
