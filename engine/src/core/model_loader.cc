// Decodes a Paddle Lite .nb file (meta_version 1 or 2; /work/shared/paddle-lite/FORMAT.md).
// Everything read from the file is untrusted: see flatbuffer.h for the rules.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "core/flatbuffer.h"
#include "core/model.h"
#include "core/registry.h"

namespace tailor {
namespace {

constexpr size_t kHeaderSize = 26;  // meta_version u16, opt_version char[16], topo_size u64
constexpr const char* kKernelTypeAttr = "__@kernel_type_attr@__";

// VarType_.Type values with a tensor description.
constexpr int kVarSelectedRows = 8;
constexpr int kVarLodTensor = 7;
constexpr int kVarLodTensorArray = 13;

template <typename T>
T load_le(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

bool valid_dtype(int v) {
  return (v >= 0 && v <= 6) || v == 20 || v == 21;
}

// ---- topology ---------------------------------------------------------------

Status decode_tensor_desc(const fb::Table& t, VarDecl* var) {
  int32_t dt = 0;
  TAILOR_RETURN_IF_ERROR(t.scalar<int32_t>(0, 0, &dt));
  std::vector<int64_t> dims;
  TAILOR_RETURN_IF_ERROR(t.scalar_vector<int64_t>(1, &dims));
  var->has_tensor = valid_dtype(dt);
  var->dtype = static_cast<DType>(dt);
  var->dims = std::move(dims);
  return Status::Ok();
}

Status decode_var(const fb::Buffer& buf, const fb::Table& t, VarDecl* var) {
  bool present = false;
  TAILOR_RETURN_IF_ERROR(t.string(0, &var->name, &present));
  if (!present) return buf.error(t.pos(), "VarDesc without a name");
  TAILOR_RETURN_IF_ERROR(t.scalar<bool>(2, false, &var->persistable));
  fb::Table type;
  TAILOR_RETURN_IF_ERROR(t.table(1, &type, &present));
  if (!present) return Status::Ok();
  int32_t kind = 0;
  TAILOR_RETURN_IF_ERROR(type.scalar<int32_t>(0, 0, &kind));
  var->var_type = kind;
  fb::Table tensor;
  bool has = false;
  if (kind == kVarSelectedRows) {
    TAILOR_RETURN_IF_ERROR(type.table(1, &tensor, &has));
  } else if (kind == kVarLodTensor || kind == kVarLodTensorArray) {
    fb::Table holder;
    bool has_holder = false;
    TAILOR_RETURN_IF_ERROR(type.table(kind == kVarLodTensor ? 2 : 3, &holder, &has_holder));
    if (has_holder) TAILOR_RETURN_IF_ERROR(holder.table(0, &tensor, &has));
  }
  return has ? decode_tensor_desc(tensor, var) : Status::Ok();
}

Status decode_slots(const fb::Buffer& buf, const fb::Table& op, int id, std::vector<Slot>* slots) {
  fb::Vector v;
  bool present = false;
  TAILOR_RETURN_IF_ERROR(op.vector(id, 4, &v, &present));
  slots->reserve(v.count);
  for (uint32_t i = 0; i < v.count; ++i) {
    fb::Table t;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(v, i, &t));
    Slot slot;
    TAILOR_RETURN_IF_ERROR(t.string(0, &slot.name, &present));
    if (!present) return buf.error(t.pos(), "op slot without a parameter name");
    fb::Vector args;
    TAILOR_RETURN_IF_ERROR(t.vector(1, 4, &args, &present));
    slot.args.resize(args.count);
    for (uint32_t k = 0; k < args.count; ++k) TAILOR_RETURN_IF_ERROR(buf.string_elem(args, k, &slot.args[k]));
    slots->push_back(std::move(slot));
  }
  return Status::Ok();
}

Status decode_attr(const fb::Buffer& buf, const fb::Table& t, std::string* name, Attr* a) {
  bool present = false;
  TAILOR_RETURN_IF_ERROR(t.string(0, name, &present));
  if (!present) return buf.error(t.pos(), "attribute without a name");
  int32_t type = 0;
  TAILOR_RETURN_IF_ERROR(t.scalar<int32_t>(1, 0, &type));
  if (type < 0 || type > 15) return buf.error(t.pos(), "attribute " + *name + " has unknown type " + std::to_string(type));
  a->type = static_cast<AttrType>(type);
  switch (a->type) {
    case AttrType::kInt: {
      int32_t v = 0;
      TAILOR_RETURN_IF_ERROR(t.scalar<int32_t>(2, 0, &v));
      a->i = v;
      break;
    }
    case AttrType::kFloat: {
      float v = 0;
      TAILOR_RETURN_IF_ERROR(t.scalar<float>(3, 0.f, &v));
      a->f = v;
      break;
    }
    case AttrType::kString:
      TAILOR_RETURN_IF_ERROR(t.string(4, &a->s, &present));
      break;
    case AttrType::kInts: case AttrType::kBlocks: {
      std::vector<int32_t> v;
      TAILOR_RETURN_IF_ERROR(t.scalar_vector<int32_t>(a->type == AttrType::kInts ? 5 : 12, &v));
      a->ints.assign(v.begin(), v.end());
      break;
    }
    case AttrType::kFloats: {
      std::vector<float> v;
      TAILOR_RETURN_IF_ERROR(t.scalar_vector<float>(6, &v));
      a->floats.assign(v.begin(), v.end());
      break;
    }
    case AttrType::kStrings: {
      fb::Vector v;
      TAILOR_RETURN_IF_ERROR(t.vector(7, 4, &v, &present));
      a->strings.resize(v.count);
      for (uint32_t k = 0; k < v.count; ++k) TAILOR_RETURN_IF_ERROR(buf.string_elem(v, k, &a->strings[k]));
      break;
    }
    case AttrType::kBoolean:
      TAILOR_RETURN_IF_ERROR(t.scalar<bool>(8, false, &a->b));
      break;
    case AttrType::kBooleans: {
      std::vector<uint8_t> v;
      TAILOR_RETURN_IF_ERROR(t.scalar_vector<uint8_t>(9, &v));
      a->bools = std::vector<bool>(v.begin(), v.end());  // nonzero -> true (smaller than resize + fill)
      break;
    }
    case AttrType::kBlock: {
      int32_t v = 0;
      TAILOR_RETURN_IF_ERROR(t.scalar<int32_t>(10, 0, &v));
      a->i = v;
      break;
    }
    case AttrType::kLong:
      TAILOR_RETURN_IF_ERROR(t.scalar<int64_t>(11, 0, &a->i));
      break;
    case AttrType::kLongs:
      TAILOR_RETURN_IF_ERROR(t.scalar_vector<int64_t>(13, &a->ints));
      break;
    case AttrType::kFloat64s:
      TAILOR_RETURN_IF_ERROR(t.scalar_vector<double>(15, &a->floats));
      break;
    case AttrType::kFloat64:
      TAILOR_RETURN_IF_ERROR(t.scalar<double>(14, 0.0, &a->f));
      break;
    case AttrType::kVar: case AttrType::kVars:
      break;  // no storage in Lite's schema
  }
  return Status::Ok();
}

// "op/alias/target/precision/layout" with integer enums; the alias may itself
// contain '/', so the numbers are taken from the end.
bool parse_kernel_key(const std::string& s, KernelKey* key) {
  size_t first = s.find('/');
  if (first == std::string::npos || first == 0) return false;
  int nums[3];
  size_t end = s.size();
  for (int k = 2; k >= 0; --k) {
    size_t slash = s.rfind('/', end - 1);
    if (slash == std::string::npos || slash <= first || slash + 1 >= end || end - slash - 1 > 4) return false;
    int v = 0;
    for (size_t c = slash + 1; c < end; ++c) {
      if (s[c] < '0' || s[c] > '9') return false;
      v = v * 10 + (s[c] - '0');
    }
    nums[k] = v;
    end = slash;
  }
  if (end <= first + 1) return false;  // empty alias
  key->op = s.substr(0, first);
  key->alias = s.substr(first + 1, end - first - 1);
  key->target = nums[0];
  key->precision = nums[1];
  key->layout = nums[2];
  return true;
}

bool cpu_target(int t) {
  return t == static_cast<int>(Target::kHost) || t == static_cast<int>(Target::kX86) ||
         t == static_cast<int>(Target::kARM) || t == static_cast<int>(Target::kAny);
}

Status decode_op(const fb::Buffer& buf, const fb::Table& t, size_t index, OpDesc* op) {
  bool present = false;
  TAILOR_RETURN_IF_ERROR(t.string(0, &op->type, &present));
  if (!present || op->type.empty()) return buf.error(t.pos(), "op " + std::to_string(index) + " has no type");
  TAILOR_RETURN_IF_ERROR(decode_slots(buf, t, 1, &op->inputs));
  TAILOR_RETURN_IF_ERROR(decode_slots(buf, t, 2, &op->outputs));
  fb::Vector attrs;
  TAILOR_RETURN_IF_ERROR(t.vector(3, 4, &attrs, &present));
  bool has_key = false;
  for (uint32_t i = 0; i < attrs.count; ++i) {
    fb::Table at;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(attrs, i, &at));
    std::string name;
    Attr a;
    TAILOR_RETURN_IF_ERROR(decode_attr(buf, at, &name, &a));
    if (name == kKernelTypeAttr) {
      if (a.type != AttrType::kString || !parse_kernel_key(a.s, &op->key) || op->key.op != op->type) {
        return buf.error(at.pos(), "op " + std::to_string(index) + " " + op->type + ": kernel key '" + a.s +
                                       "' is not of the form " + op->type + "/alias/target/precision/layout");
      }
      has_key = true;
      continue;
    }
    op->attrs[name] = std::move(a);  // duplicates: the last one wins, like Lite's map
  }
  if (!has_key) {
    return buf.error(t.pos(), "op " + std::to_string(index) + " " + op->type + " has no " + kKernelTypeAttr +
                                  " (not a model written by paddle_lite_opt)");
  }
  if (!cpu_target(op->key.target)) {
    return Status::Unsupported("op " + std::to_string(index) + " " + op->type + ": kernel key " +
                               op->key.to_string() + " needs a target this engine lacks");
  }
  return Status::Ok();
}

Status decode_topology(const uint8_t* data, size_t size, size_t file_offset, Model* m) {
  fb::Buffer buf(data, size, file_offset);
  fb::Table root;
  TAILOR_RETURN_IF_ERROR(buf.root(&root));
  fb::Vector blocks;
  bool present = false;
  TAILOR_RETURN_IF_ERROR(root.vector(0, 4, &blocks, &present));
  if (blocks.count == 0) return buf.error(root.pos(), "ProgramDesc has no blocks");
  fb::Table version;
  TAILOR_RETURN_IF_ERROR(root.table(1, &version, &present));
  if (present) TAILOR_RETURN_IF_ERROR(version.scalar<int64_t>(0, 0, &m->paddle_version));

  // Block 0 is the program; sub-blocks only matter to control-flow ops, which
  // no unit of this engine serves.
  fb::Table block;
  TAILOR_RETURN_IF_ERROR(buf.table_elem(blocks, 0, &block));
  fb::Vector vars, ops;
  TAILOR_RETURN_IF_ERROR(block.vector(2, 4, &vars, &present));
  TAILOR_RETURN_IF_ERROR(block.vector(3, 4, &ops, &present));
  // Grown as decoded (not resized from the counts): memory follows what the
  // file really holds, and decoding stops at the first bad entry.
  for (uint32_t i = 0; i < vars.count; ++i) {
    fb::Table t;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(vars, i, &t));
    VarDecl var;
    TAILOR_RETURN_IF_ERROR(decode_var(buf, t, &var));
    if (!m->var_index.emplace(var.name, static_cast<int32_t>(i)).second) {
      return buf.error(t.pos(), "variable " + var.name + " is declared twice");
    }
    m->vars.push_back(std::move(var));
  }
  for (uint32_t i = 0; i < ops.count; ++i) {
    fb::Table t;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(ops, i, &t));
    OpDesc op;
    TAILOR_RETURN_IF_ERROR(decode_op(buf, t, i, &op));
    m->ops.push_back(std::move(op));
  }
  return Status::Ok();
}

// ---- parameters ---------------------------------------------------------------

// ParamDesc{1 name, 2 variable_type, 3 variable: LoDTensorDesc{2 dim, 3 data_type, 4 data}}
Status decode_param(const fb::Buffer& buf, const fb::Table& t, Model* m) {
  Param p;
  bool present = false;
  TAILOR_RETURN_IF_ERROR(t.string(1, &p.name, &present));
  if (!present || p.name.empty()) return buf.error(t.pos(), "parameter without a name");
  uint8_t vtype = 0;
  TAILOR_RETURN_IF_ERROR(t.scalar<uint8_t>(2, 0, &vtype));
  fb::Table tensor;
  TAILOR_RETURN_IF_ERROR(t.table(3, &tensor, &present));
  if (vtype != 1 || !present) return buf.error(t.pos(), "parameter " + p.name + " is not a LoDTensorDesc");
  TAILOR_RETURN_IF_ERROR(tensor.scalar_vector<int64_t>(2, &p.dims));
  int32_t dt = 0;
  TAILOR_RETURN_IF_ERROR(tensor.scalar<int32_t>(3, 0, &dt));
  if (!valid_dtype(dt)) {
    return buf.error(tensor.pos(), "parameter " + p.name + " has unknown data type " + std::to_string(dt));
  }
  p.dtype = static_cast<DType>(dt);
  fb::Vector data;
  TAILOR_RETURN_IF_ERROR(tensor.vector(4, 1, &data, &present));
  int64_t numel = dims_numel(p.dims);
  size_t esize = dtype_size(p.dtype);
  if (numel < 0 || static_cast<uint64_t>(numel) > data.count / esize ||
      static_cast<uint64_t>(numel) * esize != data.count) {
    return buf.error(tensor.pos(), "parameter " + p.name + ": dims x " + dtype_name(p.dtype) + " do not match its " +
                                       std::to_string(data.count) + " data bytes");
  }
  if (!p.data.allocate(data.count)) return Status::NoMemory("out of memory copying parameter " + p.name);
  if (data.count) std::memcpy(p.data.data(), buf.data() + data.start, data.count);
  if (!m->param_index.emplace(p.name, static_cast<int32_t>(m->params.size())).second) {
    return buf.error(t.pos(), "parameter " + p.name + " is stored twice");
  }
  m->params.push_back(std::move(p));
  return Status::Ok();
}

Status decode_params_v2(const uint8_t* file, size_t size, size_t pos, Model* m) {
  auto need = [&](size_t n, const char* what) -> Status {
    if (n > size - pos) {
      return Status::BadModel("malformed model at byte " + std::to_string(pos) + ": truncated " + what);
    }
    return Status::Ok();
  };
  TAILOR_RETURN_IF_ERROR(need(4, "parameter section header"));
  uint16_t params_version = load_le<uint16_t>(file + pos);
  uint16_t meta_size = load_le<uint16_t>(file + pos + 2);
  if (params_version != 0) {
    return Status::BadModel("malformed model at byte " + std::to_string(pos) + ": parameter section version " +
                            std::to_string(params_version) + ", expected 0");
  }
  pos += 4;
  TAILOR_RETURN_IF_ERROR(need(meta_size, "parameter meta"));
  pos += meta_size;
  TAILOR_RETURN_IF_ERROR(need(2, "parameter header"));
  uint16_t header_size = load_le<uint16_t>(file + pos);
  pos += 2;
  if (header_size < 6) {
    return Status::BadModel("malformed model at byte " + std::to_string(pos - 2) + ": parameter header of " +
                            std::to_string(header_size) + " bytes, expected 6");
  }
  TAILOR_RETURN_IF_ERROR(need(header_size, "parameter header"));
  uint16_t num_params = load_le<uint16_t>(file + pos);
  pos += header_size;  // max_tensor_bytes is a preallocation hint we do not need
  m->params.reserve(num_params);
  for (uint16_t i = 0; i < num_params; ++i) {
    TAILOR_RETURN_IF_ERROR(need(8, "parameter record"));
    uint32_t total = load_le<uint32_t>(file + pos);
    uint32_t offset = load_le<uint32_t>(file + pos + 4);
    if (offset < 4 || total < offset) {
      return Status::BadModel("malformed model at byte " + std::to_string(pos) + ": parameter " + std::to_string(i) +
                              " record sizes " + std::to_string(total) + "/" + std::to_string(offset));
    }
    pos += 4;
    TAILOR_RETURN_IF_ERROR(need(total, "parameter record"));
    size_t fb_start = pos + offset;
    size_t fb_size = total - offset;
    pos += total;
    fb::Buffer buf(file + fb_start, fb_size, fb_start);
    fb::Table root;
    TAILOR_RETURN_IF_ERROR(buf.root(&root));
    TAILOR_RETURN_IF_ERROR(decode_param(buf, root, m));
  }
  return Status::Ok();
}

Status decode_params_v1(const uint8_t* file, size_t size, size_t pos, Model* m) {
  fb::Buffer buf(file + pos, size - pos, pos);
  fb::Table root;
  TAILOR_RETURN_IF_ERROR(buf.root(&root));
  fb::Vector params;
  bool present = false;
  TAILOR_RETURN_IF_ERROR(root.vector(0, 4, &params, &present));
  m->params.reserve(params.count);
  for (uint32_t i = 0; i < params.count; ++i) {
    fb::Table t;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(params, i, &t));
    TAILOR_RETURN_IF_ERROR(decode_param(buf, t, m));
  }
  return Status::Ok();
}

// ---- weight-only quantization ---------------------------------------------------
// paddle_lite_opt's post_quant_dynamic_pass (and older weight_quantization
// passes) store conv / fc / mul / matmul weights as INT8 or INT16 and put
// the per-channel scales on the consuming op as `<weight var>_quant_scale`.
// Lite's LightPredictor::DequantizeWeight restores float32 at load; so do we.

bool is_weight_quantized_op(const OpDesc& op) {
  const Attr* qt = op.attr("quantization_type");
  if (qt) return qt->type == AttrType::kString && (qt->s == "post_weight_abs_max" || qt->s == "post_weight_channel_wise_abs_max");
  return op.has_attr("quantize_weight_bits");
}

// Scales run along dims[0] (output channels) for convolutions and along the
// last dim (N of a [K, N] weight) for the matrix ops.
int dequant_axis(const std::string& type, const Dims& dims) {
  if (type == "conv2d" || type == "depthwise_conv2d" || type == "conv2d_transpose" ||
      type == "depthwise_conv2d_transpose") {
    return 0;
  }
  if (type == "fc" || type == "mul" || type == "matmul" || type == "matmul_v2" || type == "lookup_table" ||
      type == "lookup_table_v2") {
    return dims.size() >= 2 ? static_cast<int>(dims.size()) - 1 : 0;
  }
  return -1;
}

Status dequantize_weights(Model* m) {
  for (size_t oi = 0; oi < m->ops.size(); ++oi) {
    const OpDesc& op = m->ops[oi];
    if (!is_weight_quantized_op(op)) continue;
    for (const Slot& slot : op.inputs) {
      for (const std::string& arg : slot.args) {
        const Attr* scales = op.attr(arg + "_quant_scale");
        int32_t pi = m->find_param(arg);
        if (!scales || pi < 0) continue;
        Param& p = m->params[static_cast<size_t>(pi)];
        if (p.dtype == DType::kF32) continue;  // shared weight, already restored
        std::string where = op_label(*m, oi) + ": weight " + arg;
        if (p.dtype != DType::kI8 && p.dtype != DType::kI16) {
          return Status::BadModel(where + " has quant scales but is stored as " + dtype_name(p.dtype));
        }
        int64_t bits = op.get_int("quantize_weight_bits", p.dtype == DType::kI8 ? 8 : 16);
        if (bits != (p.dtype == DType::kI8 ? 8 : 16)) {
          return Status::BadModel(where + " is stored as " + dtype_name(p.dtype) + " but quantize_weight_bits is " +
                                  std::to_string(bits));
        }
        int axis = dequant_axis(op.type, p.dims);
        if (axis < 0) return Status::Unsupported(where + " is weight-quantized, which this engine supports only for conv and matrix ops");
        if (p.dims.empty()) return Status::BadModel(where + " is a quantized scalar");
        int64_t channels = p.dims[static_cast<size_t>(axis)];
        std::vector<double> sc = op.get_floats(arg + "_quant_scale");
        if (sc.size() == 1 && channels != 1) sc.assign(static_cast<size_t>(channels), sc[0]);
        if (static_cast<int64_t>(sc.size()) != channels) {
          return Status::BadModel(where + " has " + std::to_string(sc.size()) + " quant scales for " +
                                  std::to_string(channels) + " channels");
        }
        DequantizeFn fn = registry().dequantize;
        if (!fn) {
          return Status::Unsupported("model has weight-quantized parameters (" + where +
                                     "); rebuild with tailor build --models <this model>");
        }
        AlignedBuffer f32;
        if (!f32.allocate(static_cast<size_t>(dims_numel(p.dims)) * sizeof(float))) {
          return Status::NoMemory("out of memory dequantizing " + arg);
        }
        TAILOR_RETURN_IF_ERROR(fn(p.dtype, p.data.data(), p.dims, sc.data(), static_cast<int64_t>(sc.size()), axis,
                                  reinterpret_cast<float*>(f32.data())));
        p.data = std::move(f32);
        p.dtype = DType::kF32;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

const VarDecl* Model::find_var(std::string_view name) const {
  auto it = var_index.find(name);
  return it == var_index.end() ? nullptr : &vars[static_cast<size_t>(it->second)];
}

int32_t Model::find_param(std::string_view name) const {
  auto it = param_index.find(name);
  return it == param_index.end() ? -1 : it->second;
}

std::string op_label(const Model& m, size_t op_index) {
  return "op " + std::to_string(op_index) + " " + (op_index < m.ops.size() ? m.ops[op_index].type : "?");
}

Status load_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out) {
  std::unique_ptr<Model> m;
  TAILOR_RETURN_IF_ERROR(parse_model(data, size, &m));
  TAILOR_RETURN_IF_ERROR(resolve_kernels(m.get()));
  *out = std::move(m);
  return Status::Ok();
}

Status parse_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out) {
  out->reset();
  if (!data && size) return Status::Invalid("model buffer is null");
  if (size < kHeaderSize) {
    return Status::BadModel("malformed model at byte 0: " + std::to_string(size) + " bytes is shorter than the " +
                            std::to_string(kHeaderSize) + "-byte .nb header");
  }
  auto m = std::make_unique<Model>();
  m->meta_version = load_le<uint16_t>(data);
  if (m->meta_version == 0) {
    return Status::Unsupported(
        "model uses meta_version 0, the legacy pre-2.7 Paddle Lite format; re-export it with paddle_lite_opt 2.13");
  }
  if (m->meta_version > 16) {  // no Paddle Lite version comes close: not a .nb file at all
    return Status::BadModel("malformed model at byte 0: not a Paddle Lite .nb file (meta_version " +
                            std::to_string(m->meta_version) + ")");
  }
  if (m->meta_version > 2) {
    return Status::Unsupported("model has meta_version " + std::to_string(m->meta_version) +
                               "; this engine reads Paddle Lite meta_version 1 and 2");
  }
  // opt_version: up to the first NUL; the bytes after it are garbage.
  size_t len = 0;
  while (len < 16 && data[2 + len] != 0) ++len;
  m->opt_version.assign(reinterpret_cast<const char*>(data + 2), len);
  uint64_t topo_size = load_le<uint64_t>(data + 18);
  if (topo_size > size - kHeaderSize) {
    return Status::BadModel("malformed model at byte 18: topology size " + std::to_string(topo_size) +
                            " exceeds the file (" + std::to_string(size) + " bytes)");
  }
  TAILOR_RETURN_IF_ERROR(decode_topology(data + kHeaderSize, static_cast<size_t>(topo_size), kHeaderSize, m.get()));
  size_t params_pos = kHeaderSize + static_cast<size_t>(topo_size);
  if (m->meta_version == 2) {
    TAILOR_RETURN_IF_ERROR(decode_params_v2(data, size, params_pos, m.get()));
  } else {
    TAILOR_RETURN_IF_ERROR(decode_params_v1(data, size, params_pos, m.get()));
  }
  TAILOR_RETURN_IF_ERROR(dequantize_weights(m.get()));
  TAILOR_RETURN_IF_ERROR(build_program(m.get()));
  *out = std::move(m);
  return Status::Ok();
}

Status load_model_file(const char* path, std::unique_ptr<Model>* out) {
  out->reset();
  if (!path) return Status::Invalid("model path is null");
  FILE* f = std::fopen(path, "rb");
  if (!f) return Status::Invalid(std::string("cannot open model ") + path + ": " + std::strerror(errno));
  AlignedBuffer bytes;
  Status st;
  if (std::fseek(f, 0, SEEK_END) != 0) {
    st = Status::Invalid(std::string("cannot seek in model ") + path);
  } else {
    long n = std::ftell(f);
    if (n < 0 || static_cast<unsigned long>(n) > std::numeric_limits<size_t>::max() / 2) {
      st = Status::Invalid(std::string("cannot size model ") + path);
    } else if (!bytes.allocate(static_cast<size_t>(n))) {
      st = Status::NoMemory("out of memory reading model " + std::string(path));
    } else {
      std::rewind(f);
      if (n > 0 && std::fread(bytes.data(), 1, static_cast<size_t>(n), f) != static_cast<size_t>(n)) {
        st = Status::Invalid(std::string("cannot read model ") + path);
      }
    }
  }
  std::fclose(f);
  if (!st.ok()) return st;
  return load_model(bytes.data(), bytes.size(), out);
}

}  // namespace tailor
