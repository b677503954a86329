// The SSA program over block 0 and the choice of a kernel unit for each op.
#include <cstdio>

#include "core/condition.h"
#include "core/cpu.h"
#include "core/format.h"
#include "core/model.h"
#include "core/registry.h"

namespace tailor {
namespace {

Status io_col(const Model& m, size_t oi, int64_t* col) {
  const Attr* a = m.ops[oi].attr("col");
  if (!a || (a->type != AttrType::kInt && a->type != AttrType::kLong)) {
    return op_error(StatusCode::kInvalidModel, m, oi, " has no integer attribute col");
  }
  *col = a->i;
  return Status::Ok();
}

// Puts feeds / fetches (collected in op order, cols[k] for io[k]) in col
// order; cols must be 0..n-1 without gaps.
Status order_by_col(const std::vector<int64_t>& cols, std::vector<ModelIO>* io, const char* what) {
  const size_t n = cols.size();
  std::vector<ModelIO> sorted(n);
  for (size_t k = 0; k < n; ++k) {
    int64_t col = cols[k];
    // A filled entry has a value (>= 0): that col is repeated.
    if (col < 0 || static_cast<size_t>(col) >= n || sorted[static_cast<size_t>(col)].value >= 0) {
      return Status::Format(StatusCode::kInvalidModel, "%s col %lld is out of range or repeated (%zu %s ops)", what,
                            static_cast<long long>(col), n, what);
    }
    sorted[static_cast<size_t>(col)] = std::move((*io)[k]);
  }
  io->swap(sorted);
  return Status::Ok();
}

// Element k of a list attribute, or (k ignored) a scalar one, as in the
// selector's messages: strings quoted and cut at 64 bytes.
void append_attr_item(std::string* s, const Attr& a, size_t k) {
  switch (a.type) {
    case AttrType::kInt: case AttrType::kLong: case AttrType::kBlock:
      append_format(s, "%lld", static_cast<long long>(a.i));
      break;
    case AttrType::kInts: case AttrType::kLongs: case AttrType::kBlocks:
      append_format(s, "%lld", static_cast<long long>(a.ints[k]));
      break;
    case AttrType::kFloat: case AttrType::kFloat64: append_format(s, "%g", a.f); break;
    case AttrType::kFloats: case AttrType::kFloat64s: append_format(s, "%g", a.floats[k]); break;
    case AttrType::kString: append_format(s, "\"%.64s\"", a.s.c_str()); break;
    case AttrType::kStrings: append_format(s, "\"%.64s\"", a.strings[k].c_str()); break;
    case AttrType::kBoolean: s->append(a.b ? "true" : "false"); break;
    case AttrType::kBooleans: s->append(a.bools[k] ? "true" : "false"); break;
    case AttrType::kVar: case AttrType::kVars: s->append("null"); break;
  }
}

// The attribute's value; lists show their first 8 elements.
void append_attr(std::string* s, const Attr& a) {
  size_t n = 0;
  switch (a.type) {
    case AttrType::kInts: case AttrType::kLongs: case AttrType::kBlocks: n = a.ints.size(); break;
    case AttrType::kFloats: case AttrType::kFloat64s: n = a.floats.size(); break;
    case AttrType::kStrings: n = a.strings.size(); break;
    case AttrType::kBooleans: n = a.bools.size(); break;
    default: append_attr_item(s, a, 0); return;
  }
  s->append("[");
  for (size_t k = 0; k < n && k < 8; ++k) {
    if (k) s->append(", ");
    append_attr_item(s, a, k);
  }
  if (n > 8) s->append(", ...");
  s->append("]");
}

std::string describe_unserved(const Model& m, size_t oi) {
  const OpDesc& op = m.ops[oi];
  std::string s = op_label(m, oi);
  append_format(&s, " (key %s, attrs {", op.key.to_string().c_str());
  const char* sep = "";
  for (const auto& [name, a] : op.attrs) {
    append_format(&s, "%s%s: ", sep, name.c_str());
    sep = ", ";
    append_attr(&s, a);
  }
  s.append("})");
  return s;
}

// One push_back instantiation (by const reference) for every int32 list here.
void push(std::vector<int32_t>* v, int32_t x) { v->push_back(x); }

}  // namespace

Status build_program(Model* m) {
  NameIndex latest;  // name -> current value
  std::vector<int32_t> param_value(m->params.size(), -1);
  std::vector<int64_t> feed_cols, fetch_cols;
  m->program = std::vector<ProgramOp>(m->ops.size());
  m->values.clear();
  m->inputs.clear();
  m->outputs.clear();

  auto new_value = [m](const std::string& name, ValueKind kind, int32_t producer) {
    Value v;
    v.name = name.c_str();
    v.kind = kind;
    v.producer = producer;
    m->values.push_back(v);
    return static_cast<int32_t>(m->values.size() - 1);
  };
  // Reads see the latest write of a name, or else the stored parameter.
  auto read = [&](size_t oi, const std::string& name, int32_t* id) -> Status {
    *id = find_name(latest, name);
    if (*id >= 0) return Status::Ok();
    int32_t pi = m->find_param(name);
    if (pi < 0) {
      return op_error(StatusCode::kInvalidModel, *m, oi,
                      " reads variable %s, which no earlier op writes and no parameter holds", name.c_str());
    }
    int32_t& pv = param_value[static_cast<size_t>(pi)];
    if (pv < 0) {
      pv = new_value(m->params[static_cast<size_t>(pi)].name, ValueKind::kParam, -1);
      m->values[static_cast<size_t>(pv)].param = pi;
    }
    *id = pv;
    return Status::Ok();
  };

  for (size_t oi = 0; oi < m->ops.size(); ++oi) {
    const OpDesc& op = m->ops[oi];
    ProgramOp& pop = m->program[oi];
    pop.key = op.key.to_string();
    // feed and fetch move data in and out of the program: of all their slots,
    // only feed's Out and fetch's X hold a value.
    const bool feed = op.type == "feed", fetch = op.type == "fetch";
    const Slot* io = nullptr;
    int32_t io_value = -1;
    if (feed || fetch) {
      pop.role = feed ? ProgramOp::Role::kFeed : ProgramOp::Role::kFetch;
      io = feed ? op.output("Out") : op.input("X");
      int64_t col = 0;
      TAILOR_RETURN_IF_ERROR(io_col(*m, oi, &col));
      if (!io || io->args.size() != 1) {
        return op_error(StatusCode::kInvalidModel, *m, oi, " must have exactly one %s", feed ? "Out" : "X");
      }
      const std::string& name = io->args[0];
      ModelIO mio;
      mio.name = name;
      if (feed) {
        const VarDecl* var = m->find_var(name);
        if (!var || !var->has_tensor) {
          return op_error(StatusCode::kInvalidModel, *m, oi, " feeds %s, which has no tensor declaration", name.c_str());
        }
        io_value = new_value(name, ValueKind::kInput, static_cast<int32_t>(oi));
        name_entry(&latest, name, io_value) = io_value;
        mio.dtype = var->dtype;
        mio.dims = var->dims;
        for (int64_t& d : mio.dims) d = d < 0 ? 1 : d;
      } else {
        TAILOR_RETURN_IF_ERROR(read(oi, name, &io_value));
      }
      mio.value = io_value;
      (feed ? m->inputs : m->outputs).push_back(std::move(mio));
      (feed ? feed_cols : fetch_cols).push_back(col);
    }
    SlotValues& in = pop.inputs;
    push(&in.at, 0);
    for (const Slot& slot : op.inputs) {
      if (&slot == io) push(&in.values, io_value);
      for (size_t k = 0; !io && k < slot.args.size(); ++k) {
        int32_t v = -1;
        TAILOR_RETURN_IF_ERROR(read(oi, slot.args[k], &v));
        push(&in.values, v);
      }
      push(&in.at, static_cast<int32_t>(in.values.size()));
    }
    // Writes after all reads: an op that reads and writes one name sees the old value.
    SlotValues& out = pop.outputs;
    push(&out.at, 0);
    for (const Slot& slot : op.outputs) {
      if (&slot == io) push(&out.values, io_value);
      for (size_t k = 0; !io && k < slot.args.size(); ++k) {
        const std::string& arg = slot.args[k];
        if (arg.empty()) return op_error(StatusCode::kInvalidModel, *m, oi, " writes a variable with an empty name");
        int32_t v = new_value(arg, ValueKind::kOpOutput, static_cast<int32_t>(oi));
        name_entry(&latest, arg, v) = v;
        push(&out.values, v);
      }
      push(&out.at, static_cast<int32_t>(out.values.size()));
    }
  }
  TAILOR_RETURN_IF_ERROR(order_by_col(feed_cols, &m->inputs, "feed"));
  TAILOR_RETURN_IF_ERROR(order_by_col(fetch_cols, &m->outputs, "fetch"));
  for (size_t i = 0; i < m->inputs.size(); ++i) m->values[static_cast<size_t>(m->inputs[i].value)].input = static_cast<int32_t>(i);
  if (m->inputs.empty()) return Status::BadModel("model has no feed op");
  if (m->outputs.empty()) return Status::BadModel("model has no fetch op");
  return Status::Ok();
}

Status resolve_kernels(Model* m) {
  const Registry& reg = registry();
  std::vector<int32_t> unserved;  // op indices
  const char* isa_lacking = nullptr;  // a unit for an unserved op exists but needs an ISA the CPU lacks
  for (size_t oi = 0; oi < m->ops.size(); ++oi) {
    ProgramOp& pop = m->program[oi];
    pop.entry = nullptr;
    pop.unit = "core";
    if (pop.role != ProgramOp::Role::kCompute) continue;
    const OpDesc& op = m->ops[oi];
    OpFacts facts;
    facts.op = &op;
    facts.param_dims = std::vector<const Dims*>(op.inputs.size());
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      if (pop.inputs.count(k) == 0) continue;
      const Value& v = m->values[static_cast<size_t>(*pop.inputs.slot(k))];
      if (v.kind == ValueKind::kParam) facts.param_dims[k] = &m->params[static_cast<size_t>(v.param)].dims;
    }
    const char* skipped_isa = nullptr;
    for (size_t e = 0; e < reg.num_kernels && !pop.entry; ++e) {
      const KernelEntry& entry = reg.kernels[e];
      if (std::string_view(op.type) != reg.str(entry.op) || !precision_accepted(entry, op.key.precision)) continue;
      if (!isa_available(entry.isa)) {
        skipped_isa = entry.isa == Isa::kAvx2 ? "AVX2+FMA" : "NEON";
        continue;
      }
      bool holds = true;
      for (uint32_t t = 0; t < entry.num_when && holds; ++t) holds = condition_holds(entry.when[t], facts, reg);
      if (holds) pop.entry = &entry;
    }
    if (pop.entry) {
      pop.unit = reg.str(pop.entry->unit);
    } else {
      push(&unserved, static_cast<int32_t>(oi));
      if (skipped_isa) isa_lacking = skipped_isa;
    }
  }
  if (unserved.empty()) return Status::Ok();
  // Summary first (the C API truncates long messages), then the first few ops in full.
  NameIndex by_key;  // kernel key -> number of ops
  for (int32_t oi : unserved) ++name_entry(&by_key, m->program[static_cast<size_t>(oi)].key, 0);
  std::string msg = format(
      "%zu op(s) have no kernel in this build (selection %s); rebuild the engine for this model with: tailor build "
      "--models <this model>\n  missing:",
      unserved.size(), reg.selection_id ? reg.selection_id : "?");
  for (const auto& [key, n] : by_key) append_format(&msg, " %s x%d;", key.c_str(), n);
  constexpr size_t kDetailed = 8;
  for (size_t k = 0; k < unserved.size() && k < kDetailed; ++k) {
    msg.append("\n  ").append(describe_unserved(*m, static_cast<size_t>(unserved[k])));
  }
  if (unserved.size() > kDetailed) append_format(&msg, "\n  ... and %zu more", unserved.size() - kDetailed);
  if (isa_lacking) {
    // A library built with `tailor build --no-isa-fallbacks`, on a CPU without the ISA (or with
    // TAILOR_DISABLE_SIMD=1): the kernels are there, the CPU cannot run them.
    append_format(&msg, "\n  this build has %s kernels for them, which this CPU lacks (or TAILOR_DISABLE_SIMD hides), "
                  "and no reference fallback", isa_lacking);
  }
  return Status::Unsupported(std::move(msg));
}

}  // namespace tailor
