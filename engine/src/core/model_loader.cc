// Decodes a Paddle Lite .nb file (meta_version 1 or 2; /work/shared/paddle-lite/FORMAT.md).
// Everything read from the file is untrusted: see flatbuffer.h for the rules.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "core/flatbuffer.h"
#include "core/format.h"
#include "core/model.h"
#include "core/registry.h"

namespace tailor {
// The decoding steps live in tailor::loader, so the size report can attribute their bytes to the loader
// whatever translation unit they are compiled in (unity builds name none).
namespace loader {
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
  TAILOR_RETURN_IF_ERROR(t.int_vector(1, 8, &var->dims));
  var->has_tensor = valid_dtype(dt);
  var->dtype = static_cast<DType>(dt);
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
  for (uint32_t i = 0; i < v.count; ++i) {
    fb::Table t;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(v, i, &t));
    Slot& slot = slots->emplace_back();
    TAILOR_RETURN_IF_ERROR(t.string(0, &slot.name, &present));
    if (!present) return buf.error(t.pos(), "op slot without a parameter name");
    fb::Vector args;
    TAILOR_RETURN_IF_ERROR(t.vector(1, 4, &args, &present));
    slot.args = std::vector<std::string>(args.count);
    for (uint32_t k = 0; k < args.count; ++k) TAILOR_RETURN_IF_ERROR(buf.string_elem(args, k, &slot.args[k]));
  }
  return Status::Ok();
}

Status decode_attr(const fb::Buffer& buf, const fb::Table& t, std::string* name, Attr* a) {
  bool present = false;
  TAILOR_RETURN_IF_ERROR(t.string(0, name, &present));
  if (!present) return buf.error(t.pos(), "attribute without a name");
  int32_t type = 0;
  TAILOR_RETURN_IF_ERROR(t.scalar<int32_t>(1, 0, &type));
  if (type < 0 || type > 15) return buf.error(t.pos(), "attribute %s has unknown type %d", name->c_str(), type);
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
    case AttrType::kInts: case AttrType::kBlocks:
      TAILOR_RETURN_IF_ERROR(t.int_vector(a->type == AttrType::kInts ? 5 : 12, 4, &a->ints));
      break;
    case AttrType::kFloats:
      TAILOR_RETURN_IF_ERROR(t.real_vector(6, 4, &a->floats));
      break;
    case AttrType::kStrings: {
      fb::Vector v;
      TAILOR_RETURN_IF_ERROR(t.vector(7, 4, &v, &present));
      a->strings = std::vector<std::string>(v.count);
      for (uint32_t k = 0; k < v.count; ++k) TAILOR_RETURN_IF_ERROR(buf.string_elem(v, k, &a->strings[k]));
      break;
    }
    case AttrType::kBoolean:
      TAILOR_RETURN_IF_ERROR(t.scalar<bool>(8, false, &a->b));
      break;
    case AttrType::kBooleans: {
      fb::Vector v;
      TAILOR_RETURN_IF_ERROR(t.vector(9, 1, &v, &present));
      const uint8_t* bytes = buf.data() + v.start;
      a->bools = std::vector<bool>(bytes, bytes + v.count);  // nonzero -> true (smaller than assign)
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
      TAILOR_RETURN_IF_ERROR(t.int_vector(13, 8, &a->ints));
      break;
    case AttrType::kFloat64s:
      TAILOR_RETURN_IF_ERROR(t.real_vector(15, 8, &a->floats));
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
bool parse_kernel_key(std::string_view s, KernelKey* key) {
  size_t first = s.find('/');
  if (first == std::string_view::npos || first == 0) return false;
  int nums[3];
  size_t end = s.size();
  for (int k = 2; k >= 0; --k) {
    size_t slash = s.rfind('/', end - 1);
    if (slash == std::string_view::npos || slash <= first || slash + 1 >= end || end - slash - 1 > 4) return false;
    int v = 0;
    for (size_t c = slash + 1; c < end; ++c) {
      if (s[c] < '0' || s[c] > '9') return false;
      v = v * 10 + (s[c] - '0');
    }
    nums[k] = v;
    end = slash;
  }
  if (end <= first + 1) return false;  // empty alias
  key->op.assign(s.data(), first);
  key->alias.assign(s.data() + first + 1, end - first - 1);
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
  if (!present || op->type.empty()) return buf.error(t.pos(), "op %zu has no type", index);
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
        return buf.error(at.pos(), "op %zu %s: kernel key '%s' is not of the form %s/alias/target/precision/layout",
                         index, op->type.c_str(), a.s.c_str(), op->type.c_str());
      }
      has_key = true;
      continue;
    }
    op->attrs[name] = std::move(a);  // duplicates: the last one wins, like Lite's map
  }
  if (!has_key) {
    return buf.error(t.pos(), "op %zu %s has no %s (not a model written by paddle_lite_opt)", index,
                     op->type.c_str(), kKernelTypeAttr);
  }
  if (!cpu_target(op->key.target)) {
    return Status::Format(StatusCode::kUnsupported, "op %zu %s: kernel key %s needs a target this engine lacks", index,
                          op->type.c_str(), op->key.to_string().c_str());
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
  // file really holds, and decoding stops at the first bad entry. Entries are
  // decoded in place; on failure the whole model is discarded.
  for (uint32_t i = 0; i < vars.count; ++i) {
    fb::Table t;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(vars, i, &t));
    VarDecl& var = m->vars.emplace_back();
    TAILOR_RETURN_IF_ERROR(decode_var(buf, t, &var));
    bool inserted = false;
    name_entry(&m->var_index, var.name, static_cast<int32_t>(i), &inserted);
    if (!inserted) {
      return buf.error(t.pos(), "variable %s is declared twice", var.name.c_str());
    }
  }
  for (uint32_t i = 0; i < ops.count; ++i) {
    fb::Table t;
    TAILOR_RETURN_IF_ERROR(buf.table_elem(ops, i, &t));
    TAILOR_RETURN_IF_ERROR(decode_op(buf, t, i, &m->ops.emplace_back()));
  }
  return Status::Ok();
}

// ---- parameters ---------------------------------------------------------------

// ParamDesc{1 name, 2 variable_type, 3 variable: LoDTensorDesc{2 dim, 3 data_type, 4 data}}
Status decode_param(const fb::Buffer& buf, const fb::Table& t, Model* m) {
  const int32_t index = static_cast<int32_t>(m->params.size());
  Param& p = m->params.emplace_back();  // decoded in place; on failure the model is discarded
  bool present = false;
  TAILOR_RETURN_IF_ERROR(t.string(1, &p.name, &present));
  if (!present || p.name.empty()) return buf.error(t.pos(), "parameter without a name");
  uint8_t vtype = 0;
  TAILOR_RETURN_IF_ERROR(t.scalar<uint8_t>(2, 0, &vtype));
  fb::Table tensor;
  TAILOR_RETURN_IF_ERROR(t.table(3, &tensor, &present));
  if (vtype != 1 || !present) return buf.error(t.pos(), "parameter %s is not a LoDTensorDesc", p.name.c_str());
  TAILOR_RETURN_IF_ERROR(tensor.int_vector(2, 8, &p.dims));
  int32_t dt = 0;
  TAILOR_RETURN_IF_ERROR(tensor.scalar<int32_t>(3, 0, &dt));
  if (!valid_dtype(dt)) {
    return buf.error(tensor.pos(), "parameter %s has unknown data type %d", p.name.c_str(), dt);
  }
  p.dtype = static_cast<DType>(dt);
  fb::Vector data;
  TAILOR_RETURN_IF_ERROR(tensor.vector(4, 1, &data, &present));
  int64_t numel = dims_numel(p.dims);
  size_t esize = dtype_size(p.dtype);
  if (numel < 0 || static_cast<uint64_t>(numel) > data.count / esize ||
      static_cast<uint64_t>(numel) * esize != data.count) {
    return buf.error(tensor.pos(), "parameter %s: dims x %s do not match its %u data bytes", p.name.c_str(),
                     dtype_name(p.dtype), data.count);
  }
  if (!p.data.allocate(data.count)) {
    return Status::Format(StatusCode::kOutOfMemory, "out of memory copying parameter %s", p.name.c_str());
  }
  if (data.count) std::memcpy(p.data.data(), buf.data() + data.start, data.count);
  bool inserted = false;
  name_entry(&m->param_index, p.name, index, &inserted);
  if (!inserted) {
    return buf.error(t.pos(), "parameter %s is stored twice", p.name.c_str());
  }
  return Status::Ok();
}

Status decode_params_v2(const uint8_t* file, size_t size, size_t pos, Model* m) {
  auto need = [&](size_t n, const char* what) -> Status {
    return n > size - pos ? fb::malformed(pos, "truncated %s", what) : Status::Ok();
  };
  TAILOR_RETURN_IF_ERROR(need(4, "parameter section header"));
  uint16_t params_version = load_le<uint16_t>(file + pos);
  uint16_t meta_size = load_le<uint16_t>(file + pos + 2);
  if (params_version != 0) {
    return fb::malformed(pos, "parameter section version %d, expected 0", params_version);
  }
  pos += 4;
  TAILOR_RETURN_IF_ERROR(need(meta_size, "parameter meta"));
  pos += meta_size;
  TAILOR_RETURN_IF_ERROR(need(2, "parameter header"));
  uint16_t header_size = load_le<uint16_t>(file + pos);
  pos += 2;
  if (header_size < 6) {
    return fb::malformed(pos - 2, "parameter header of %d bytes, expected 6", header_size);
  }
  TAILOR_RETURN_IF_ERROR(need(header_size, "parameter header"));
  uint16_t num_params = load_le<uint16_t>(file + pos);
  pos += header_size;  // max_tensor_bytes is a preallocation hint we do not need
  for (uint16_t i = 0; i < num_params; ++i) {
    TAILOR_RETURN_IF_ERROR(need(8, "parameter record"));
    uint32_t total = load_le<uint32_t>(file + pos);
    uint32_t offset = load_le<uint32_t>(file + pos + 4);
    if (offset < 4 || total < offset) {
      return fb::malformed(pos, "parameter %d record sizes %u/%u", i, total, offset);
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
  if (qt) return qt->type == AttrType::kString && one_of(qt->s, "post_weight_abs_max post_weight_channel_wise_abs_max");
  return op.has_attr("quantize_weight_bits");
}

// Scales run along dims[0] (output channels) for convolutions and along the
// last dim (N of a [K, N] weight) for the matrix ops.
int dequant_axis(const std::string& type, const Dims& dims) {
  if (one_of(type, "conv2d depthwise_conv2d conv2d_transpose depthwise_conv2d_transpose")) return 0;
  if (one_of(type, "fc mul matmul matmul_v2 lookup_table lookup_table_v2")) {
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
        const std::string scale_name = arg + "_quant_scale";
        int32_t pi = m->find_param(arg);
        if (!op.has_attr(scale_name) || pi < 0) continue;
        Param& p = m->params[static_cast<size_t>(pi)];
        if (p.dtype == DType::kF32) continue;  // shared weight, already restored
        const char* a = arg.c_str();
        if (p.dtype != DType::kI8 && p.dtype != DType::kI16) {
          return op_error(StatusCode::kInvalidModel, *m, oi, ": weight %s has quant scales but is stored as %s", a,
                          dtype_name(p.dtype));
        }
        int64_t bits = op.get_int("quantize_weight_bits", p.dtype == DType::kI8 ? 8 : 16);
        if (bits != (p.dtype == DType::kI8 ? 8 : 16)) {
          return op_error(StatusCode::kInvalidModel, *m, oi, ": weight %s is stored as %s but quantize_weight_bits is %lld",
                          a, dtype_name(p.dtype), static_cast<long long>(bits));
        }
        int axis = dequant_axis(op.type, p.dims);
        if (axis < 0) {
          return op_error(StatusCode::kUnsupported, *m, oi,
                          ": weight %s is weight-quantized, which this engine supports only for conv and matrix ops", a);
        }
        if (p.dims.empty()) return op_error(StatusCode::kInvalidModel, *m, oi, ": weight %s is a quantized scalar", a);
        int64_t channels = p.dims[static_cast<size_t>(axis)];
        std::vector<double> sc = op.get_floats(scale_name);
        if (sc.size() == 1 && channels != 1) sc = std::vector<double>(static_cast<size_t>(channels), sc[0]);
        if (static_cast<int64_t>(sc.size()) != channels) {
          return op_error(StatusCode::kInvalidModel, *m, oi, ": weight %s has %zu quant scales for %lld channels", a,
                          sc.size(), static_cast<long long>(channels));
        }
        DequantizeFn fn = registry().dequantize;
        if (!fn) {
          return Status::Format(StatusCode::kUnsupported,
                                "model has weight-quantized parameters (%s: weight %s); rebuild with tailor build "
                                "--models <this model>",
                                op_label(*m, oi).c_str(), a);
        }
        AlignedBuffer f32;
        if (!f32.allocate(static_cast<size_t>(dims_numel(p.dims)) * sizeof(float))) {
          return Status::Format(StatusCode::kOutOfMemory, "out of memory dequantizing %s", a);
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
}  // namespace loader

ModelRef::ModelRef(const Model* m) : m_(m) { m_->refs_.fetch_add(1, std::memory_order_relaxed); }

ModelRef::~ModelRef() {
  if (m_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete m_;
}

int32_t find_name(const NameIndex& index, std::string_view name) {
  auto it = index.find(name);
  return it == index.end() ? -1 : it->second;
}

int32_t& name_entry(NameIndex* index, const std::string& name, int32_t value, bool* inserted) {
  auto [it, added] = index->emplace(name, value);
  if (inserted) *inserted = added;
  return it->second;
}

const VarDecl* Model::find_var(std::string_view name) const {
  int32_t i = find_name(var_index, name);
  return i < 0 ? nullptr : &vars[static_cast<size_t>(i)];
}

int32_t Model::find_param(std::string_view name) const { return find_name(param_index, name); }

std::string op_label(const Model& m, size_t op_index) {
  return format("op %zu %s", op_index, op_index < m.ops.size() ? m.ops[op_index].type.c_str() : "?");
}

Status op_error(StatusCode code, const Model& m, size_t op_index, const char* fmt, ...) {
  std::string msg = op_label(m, op_index);
  va_list ap;
  va_start(ap, fmt);
  append_vformat(&msg, fmt, ap);
  va_end(ap);
  return Status::Format(code, "%s", msg.c_str());
}

Status loader::load_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out) {
  std::unique_ptr<Model> m;
  TAILOR_RETURN_IF_ERROR(parse_model(data, size, &m));
  TAILOR_RETURN_IF_ERROR(resolve_kernels(m.get()));
  *out = std::move(m);
  return Status::Ok();
}

Status loader::parse_model(const uint8_t* data, size_t size, std::unique_ptr<Model>* out) {
  out->reset();
  if (!data && size) return Status::Invalid("model buffer is null");
  if (size < kHeaderSize) {
    return fb::malformed(0, "%zu bytes is shorter than the %zu-byte .nb header", size, kHeaderSize);
  }
  auto m = std::make_unique<Model>();
  m->meta_version = load_le<uint16_t>(data);
  if (m->meta_version == 0) {
    return Status::Unsupported(
        "model uses meta_version 0, the legacy pre-2.7 Paddle Lite format; re-export it with paddle_lite_opt 2.13");
  }
  if (m->meta_version > 16) {  // no Paddle Lite version comes close: not a .nb file at all
    return fb::malformed(0, "not a Paddle Lite .nb file (meta_version %d)", m->meta_version);
  }
  if (m->meta_version > 2) {
    return Status::Format(StatusCode::kUnsupported,
                          "model has meta_version %d; this engine reads Paddle Lite meta_version 1 and 2", m->meta_version);
  }
  // opt_version: up to the first NUL; the bytes after it are garbage.
  size_t len = 0;
  while (len < 16 && data[2 + len] != 0) ++len;
  m->opt_version.assign(reinterpret_cast<const char*>(data + 2), len);
  uint64_t topo_size = load_le<uint64_t>(data + 18);
  if (topo_size > size - kHeaderSize) {
    return fb::malformed(18, "topology size %llu exceeds the file (%zu bytes)", static_cast<unsigned long long>(topo_size),
                         size);
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

Status loader::load_model_file(const char* path, std::unique_ptr<Model>* out) {
  out->reset();
  if (!path) return Status::Invalid("model path is null");
  FILE* f = std::fopen(path, "rb");
  if (!f) return Status::Format(StatusCode::kInvalidArgument, "cannot open model %s: %s", path, std::strerror(errno));
  AlignedBuffer bytes;
  Status st;
  if (std::fseek(f, 0, SEEK_END) != 0) {
    st = Status::Format(StatusCode::kInvalidArgument, "cannot seek in model %s", path);
  } else {
    long n = std::ftell(f);
    if (n < 0 || static_cast<unsigned long>(n) > std::numeric_limits<size_t>::max() / 2) {
      st = Status::Format(StatusCode::kInvalidArgument, "cannot size model %s", path);
    } else if (!bytes.allocate(static_cast<size_t>(n))) {
      st = Status::Format(StatusCode::kOutOfMemory, "out of memory reading model %s", path);
    } else {
      std::rewind(f);
      if (n > 0 && std::fread(bytes.data(), 1, static_cast<size_t>(n), f) != static_cast<size_t>(n)) {
        st = Status::Format(StatusCode::kInvalidArgument, "cannot read model %s", path);
      }
    }
  }
  std::fclose(f);
  if (!st.ok()) return st;
  return load_model(bytes.data(), bytes.size(), out);
}

}  // namespace tailor
