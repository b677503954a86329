// Model: the immutable result of loading a .nb file — declarations, ops,
// parameters, the SSA program built over them and the kernel chosen per op.
// Shared (read-only) by every predictor created on it.
#pragma once
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
  std::string name;
  ValueKind kind = ValueKind::kOpOutput;
  int32_t param = -1;     // kParam: index into Model::params
  int32_t producer = -1;  // kOpOutput: op index; kInput: the feed op's index
  int32_t input = -1;     // kInput: model input index (feed col)
};

// One op of block 0 in file order, its slots resolved to values.
struct ProgramOp {
  enum class Role : uint8_t { kFeed, kFetch, kCompute };
  Role role = Role::kCompute;
  std::vector<std::vector<int32_t>> inputs;   // parallel to OpDesc::inputs[slot].args
  std::vector<std::vector<int32_t>> outputs;  // parallel to OpDesc::outputs[slot].args
  const KernelEntry* entry = nullptr;         // chosen kernel (kCompute)
  const char* unit = "core";                  // catalog unit serving the op
  std::string key;                            // KernelKey::to_string(), for diagnostics
};

struct ModelIO {
  std::string name;
  int32_t value = -1;
  DType dtype = DType::kF32;
  Dims dims;  // declared shape, -1 replaced by 1 (inputs)
};

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
  std::map<std::string, int32_t, std::less<>> var_index;
  std::map<std::string, int32_t, std::less<>> param_index;
};

// Parses the .nb bytes (copied; the caller keeps ownership), dequantizes
// weight-quantized parameters, builds the SSA program and resolves a kernel
// for every op against registry().
Status load_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out);
Status load_model_file(const char* path, std::unique_ptr<Model>* out);

// load_model without the kernel resolution (tests and tools that only inspect).
Status parse_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out);

// Steps of parse_model / load_model (program.cc).
Status build_program(Model* m);
Status resolve_kernels(Model* m);

// "op 12 conv2d" — the prefix of every per-op message.
std::string op_label(const Model& m, size_t op_index);

}  // namespace tailor
