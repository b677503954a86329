// The SSA program over block 0 and the choice of a kernel unit for each op.
#include <cstdio>
#include <cstring>

#include "core/condition.h"
#include "core/cpu.h"
#include "core/model.h"
#include "core/registry.h"

namespace tailor {
namespace {

Status io_col(const Model& m, size_t oi, int64_t* col) {
  const Attr* a = m.ops[oi].attr("col");
  if (!a || (a->type != AttrType::kInt && a->type != AttrType::kLong)) {
    return Status::BadModel(op_label(m, oi) + " has no integer attribute col");
  }
  *col = a->i;
  return Status::Ok();
}

// Orders feeds / fetches by col, which must be 0..n-1 without gaps.
Status order_by_col(std::vector<std::pair<int64_t, ModelIO>>* found, std::vector<ModelIO>* out, const char* what) {
  out->assign(found->size(), ModelIO());
  std::vector<bool> seen(found->size(), false);
  for (auto& [col, io] : *found) {
    if (col < 0 || static_cast<size_t>(col) >= found->size() || seen[static_cast<size_t>(col)]) {
      return Status::BadModel(std::string(what) + " col " + std::to_string(col) + " is out of range or repeated (" +
                              std::to_string(found->size()) + " " + what + " ops)");
    }
    seen[static_cast<size_t>(col)] = true;
    (*out)[static_cast<size_t>(col)] = std::move(io);
  }
  return Status::Ok();
}

void append_attr(std::string* s, const Attr& a) {
  auto list = [s](size_t n, auto item) {
    s->push_back('[');
    for (size_t k = 0; k < n && k < 8; ++k) {
      if (k) s->append(", ");
      item(k);
    }
    if (n > 8) s->append(", ...");
    s->push_back(']');
  };
  auto num = [s](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v);
    s->append(buf);
  };
  switch (a.type) {
    case AttrType::kInt: case AttrType::kLong: case AttrType::kBlock: s->append(std::to_string(a.i)); break;
    case AttrType::kFloat: case AttrType::kFloat64: num(a.f); break;
    case AttrType::kString: s->append("\"").append(a.s.substr(0, 64)).append("\""); break;
    case AttrType::kBoolean: s->append(a.b ? "true" : "false"); break;
    case AttrType::kInts: case AttrType::kLongs: case AttrType::kBlocks:
      list(a.ints.size(), [&](size_t k) { s->append(std::to_string(a.ints[k])); });
      break;
    case AttrType::kFloats: case AttrType::kFloat64s: list(a.floats.size(), [&](size_t k) { num(a.floats[k]); }); break;
    case AttrType::kStrings:
      list(a.strings.size(), [&](size_t k) { s->append("\"").append(a.strings[k].substr(0, 64)).append("\""); });
      break;
    case AttrType::kBooleans: list(a.bools.size(), [&](size_t k) { s->append(a.bools[k] ? "true" : "false"); }); break;
    case AttrType::kVar: case AttrType::kVars: s->append("null"); break;
  }
}

std::string describe_unserved(const Model& m, size_t oi) {
  const OpDesc& op = m.ops[oi];
  std::string s = op_label(m, oi) + " (key " + op.key.to_string() + ", attrs {";
  bool first = true;
  for (const auto& [name, a] : op.attrs) {
    if (!first) s.append(", ");
    first = false;
    s.append(name).append(": ");
    append_attr(&s, a);
  }
  return s + "})";
}

bool precision_accepted(const KernelEntry& e, int precision) {
  for (int32_t k = 0; k < e.num_precisions; ++k) {
    if (e.precisions[k] == precision) return true;
  }
  return false;
}

}  // namespace

Status build_program(Model* m) {
  std::map<std::string, int32_t, std::less<>> latest;  // name -> current value
  std::vector<int32_t> param_value(m->params.size(), -1);
  std::vector<std::pair<int64_t, ModelIO>> feeds, fetches;
  m->program.assign(m->ops.size(), ProgramOp());
  m->values.clear();

  auto new_value = [m](const std::string& name, ValueKind kind) {
    Value v;
    v.name = name;
    v.kind = kind;
    m->values.push_back(std::move(v));
    return static_cast<int32_t>(m->values.size() - 1);
  };
  // Reads see the latest write of a name, or else the stored parameter.
  auto read = [&](size_t oi, const std::string& name, int32_t* id) -> Status {
    auto it = latest.find(name);
    if (it != latest.end()) {
      *id = it->second;
      return Status::Ok();
    }
    int32_t pi = m->find_param(name);
    if (pi < 0) {
      return Status::BadModel(op_label(*m, oi) + " reads variable " + name +
                              ", which no earlier op writes and no parameter holds");
    }
    if (param_value[static_cast<size_t>(pi)] < 0) {
      int32_t v = new_value(name, ValueKind::kParam);
      m->values[static_cast<size_t>(v)].param = pi;
      param_value[static_cast<size_t>(pi)] = v;
    }
    *id = param_value[static_cast<size_t>(pi)];
    return Status::Ok();
  };

  for (size_t oi = 0; oi < m->ops.size(); ++oi) {
    const OpDesc& op = m->ops[oi];
    ProgramOp& pop = m->program[oi];
    pop.inputs.resize(op.inputs.size());
    pop.outputs.resize(op.outputs.size());
    pop.key = op.key.to_string();
    if (op.type == "feed") {
      pop.role = ProgramOp::Role::kFeed;
      const Slot* out = op.output("Out");
      int64_t col = 0;
      TAILOR_RETURN_IF_ERROR(io_col(*m, oi, &col));
      if (!out || out->args.size() != 1) return Status::BadModel(op_label(*m, oi) + " must have exactly one Out");
      const VarDecl* var = m->find_var(out->args[0]);
      if (!var || !var->has_tensor) {
        return Status::BadModel(op_label(*m, oi) + " feeds " + out->args[0] + ", which has no tensor declaration");
      }
      int32_t v = new_value(out->args[0], ValueKind::kInput);
      m->values[static_cast<size_t>(v)].producer = static_cast<int32_t>(oi);
      latest[out->args[0]] = v;
      for (size_t k = 0; k < op.outputs.size(); ++k) {
        if (&op.outputs[k] == out) pop.outputs[k] = {v};
      }
      ModelIO io;
      io.name = out->args[0];
      io.value = v;
      io.dtype = var->dtype;
      for (int64_t d : var->dims) io.dims.push_back(d < 0 ? 1 : d);
      feeds.emplace_back(col, std::move(io));
      continue;
    }
    if (op.type == "fetch") {
      pop.role = ProgramOp::Role::kFetch;
      const Slot* x = op.input("X");
      int64_t col = 0;
      TAILOR_RETURN_IF_ERROR(io_col(*m, oi, &col));
      if (!x || x->args.size() != 1) return Status::BadModel(op_label(*m, oi) + " must have exactly one X");
      int32_t v = -1;
      TAILOR_RETURN_IF_ERROR(read(oi, x->args[0], &v));
      for (size_t k = 0; k < op.inputs.size(); ++k) {
        if (&op.inputs[k] == x) pop.inputs[k] = {v};
      }
      ModelIO io;
      io.name = x->args[0];
      io.value = v;
      fetches.emplace_back(col, std::move(io));
      continue;
    }
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      for (const std::string& arg : op.inputs[k].args) {
        int32_t v = -1;
        TAILOR_RETURN_IF_ERROR(read(oi, arg, &v));
        pop.inputs[k].push_back(v);
      }
    }
    // Writes after all reads: an op that reads and writes one name sees the old value.
    for (size_t k = 0; k < op.outputs.size(); ++k) {
      for (const std::string& arg : op.outputs[k].args) {
        if (arg.empty()) return Status::BadModel(op_label(*m, oi) + " writes a variable with an empty name");
        int32_t v = new_value(arg, ValueKind::kOpOutput);
        m->values[static_cast<size_t>(v)].producer = static_cast<int32_t>(oi);
        latest[arg] = v;
        pop.outputs[k].push_back(v);
      }
    }
  }
  TAILOR_RETURN_IF_ERROR(order_by_col(&feeds, &m->inputs, "feed"));
  TAILOR_RETURN_IF_ERROR(order_by_col(&fetches, &m->outputs, "fetch"));
  for (size_t i = 0; i < m->inputs.size(); ++i) m->values[static_cast<size_t>(m->inputs[i].value)].input = static_cast<int32_t>(i);
  if (m->inputs.empty()) return Status::BadModel("model has no feed op");
  if (m->outputs.empty()) return Status::BadModel("model has no fetch op");
  return Status::Ok();
}

Status resolve_kernels(Model* m) {
  const Registry& reg = registry();
  std::vector<size_t> unserved;
  for (size_t oi = 0; oi < m->ops.size(); ++oi) {
    ProgramOp& pop = m->program[oi];
    if (pop.role != ProgramOp::Role::kCompute) {
      pop.unit = "core";
      continue;
    }
    const OpDesc& op = m->ops[oi];
    OpFacts facts;
    facts.op = &op;
    facts.param_dims.assign(op.inputs.size(), nullptr);
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      if (pop.inputs[k].empty()) continue;
      const Value& v = m->values[static_cast<size_t>(pop.inputs[k][0])];
      if (v.kind == ValueKind::kParam) facts.param_dims[k] = &m->params[static_cast<size_t>(v.param)].dims;
    }
    pop.entry = nullptr;
    for (size_t e = 0; e < reg.num_kernels && !pop.entry; ++e) {
      const KernelEntry& entry = reg.kernels[e];
      if (std::strcmp(entry.op, op.type.c_str()) != 0 || !precision_accepted(entry, op.key.precision) ||
          !isa_available(entry.isa)) {
        continue;
      }
      bool holds = true;
      for (int32_t t = 0; t < entry.num_when && holds; ++t) holds = condition_holds(entry.when[t], facts);
      if (holds) pop.entry = &entry;
    }
    if (pop.entry) {
      pop.unit = pop.entry->unit;
    } else {
      unserved.push_back(oi);
    }
  }
  if (unserved.empty()) return Status::Ok();
  // Summary first (the C API truncates long messages), then the first few ops in full.
  // Same instantiation as the other name maps of the core (std::less<>, int32_t).
  std::map<std::string, int32_t, std::less<>> by_key;
  for (size_t oi : unserved) ++by_key[m->ops[oi].key.to_string()];
  std::string msg = std::to_string(unserved.size()) + " op(s) have no kernel in this build (selection " +
                    std::string(reg.selection_id ? reg.selection_id : "?") +
                    "); rebuild the engine for this model with: tailor build --models <this model>\n  missing:";
  for (const auto& [key, n] : by_key) msg += " " + key + " x" + std::to_string(n) + ";";
  constexpr size_t kDetailed = 8;
  for (size_t k = 0; k < unserved.size() && k < kDetailed; ++k) msg += "\n  " + describe_unserved(*m, unserved[k]);
  if (unserved.size() > kDetailed) msg += "\n  ... and " + std::to_string(unserved.size() - kDetailed) + " more";
  return Status::Unsupported(msg);
}

}  // namespace tailor
