// Semantics (CATALOG.md): `==`/`!=` are deep equality where ints and floats
// compare by value and booleans are not numbers; ordering holds only between
// two numbers; `in`/`not in` need a list on the right; a missing attribute,
// slot or index, and the dims/rank of a non-parameter input, are null.
#include "core/condition.h"

#include <cmath>
#include <cstdio>
#include <string_view>

namespace tailor {
namespace {

// A subject value, owned (conditions are evaluated at load only).
struct Dyn {
  CondKind kind = CondKind::kNull;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<Dyn> items;
};

Dyn make_int(int64_t v) { Dyn d; d.kind = CondKind::kInt; d.i = v; return d; }
Dyn make_float(double v) { Dyn d; d.kind = CondKind::kFloat; d.f = v; return d; }
Dyn make_bool(bool v) { Dyn d; d.kind = CondKind::kBool; d.b = v; return d; }
Dyn make_string(const std::string& v) { Dyn d; d.kind = CondKind::kString; d.s = v; return d; }

template <typename T, typename F>
Dyn make_list(const std::vector<T>& v, F make) {
  Dyn d;
  d.kind = CondKind::kList;
  d.items.reserve(v.size());
  for (const auto& x : v) d.items.push_back(make(x));
  return d;
}

// Attribute value as the Python model decodes it (tailor/model.py AttrValue).
Dyn attr_value(const Attr& a) {
  switch (a.type) {
    case AttrType::kInt: case AttrType::kLong: case AttrType::kBlock: return make_int(a.i);
    case AttrType::kFloat: case AttrType::kFloat64: return make_float(a.f);
    case AttrType::kString: return make_string(a.s);
    case AttrType::kBoolean: return make_bool(a.b);
    case AttrType::kInts: case AttrType::kLongs: case AttrType::kBlocks: return make_list(a.ints, make_int);
    case AttrType::kFloats: case AttrType::kFloat64s: return make_list(a.floats, make_float);
    case AttrType::kStrings: return make_list(a.strings, make_string);
    case AttrType::kBooleans: {
      Dyn d;
      d.kind = CondKind::kList;
      for (bool x : a.bools) d.items.push_back(make_bool(x));
      return d;
    }
    case AttrType::kVar: case AttrType::kVars: break;
  }
  return Dyn();
}

Dyn index_into(Dyn whole, int32_t index) {
  if (index < 0) return whole;
  if (whole.kind != CondKind::kList || static_cast<size_t>(index) >= whole.items.size()) return Dyn();
  return whole.items[static_cast<size_t>(index)];
}

Dyn subject_value(const CondTerm& t, const OpFacts& facts) {
  const OpDesc& op = *facts.op;
  std::string_view name = t.name ? t.name : "";
  if (t.subject == CondSubject::kAttr) {
    const Attr* a = op.attr(name);
    return a ? index_into(attr_value(*a), t.index) : Dyn();
  }
  const Dims* dims = nullptr;
  const Slot* slot = nullptr;
  for (size_t k = 0; k < op.inputs.size(); ++k) {
    if (op.inputs[k].name == name) {
      slot = &op.inputs[k];
      dims = k < facts.param_dims.size() ? facts.param_dims[k] : nullptr;
      break;
    }
  }
  switch (t.subject) {
    case CondSubject::kInputCount:
      return make_int(slot ? static_cast<int64_t>(slot->args.size()) : 0);
    case CondSubject::kInputRank:
      return dims ? make_int(static_cast<int64_t>(dims->size())) : Dyn();
    case CondSubject::kInputDims:
      return dims ? index_into(make_list(*dims, make_int), t.index) : Dyn();
    case CondSubject::kAttr: break;
  }
  return Dyn();
}

bool is_number(CondKind k) { return k == CondKind::kInt || k == CondKind::kFloat; }

// Exact three-way comparison of an int64 with a double, as Python does it.
// Returns false when unordered (NaN).
bool compare_int_float(int64_t i, double f, int* out) {
  if (std::isnan(f)) return false;
  if (f >= 9223372036854775808.0) { *out = -1; return true; }
  if (f < -9223372036854775808.0) { *out = 1; return true; }
  double fl = std::floor(f);
  int64_t fi = static_cast<int64_t>(fl);
  if (i < fi) { *out = -1; return true; }
  if (i > fi) { *out = 1; return true; }
  *out = f > fl ? -1 : 0;
  return true;
}

// Three-way comparison of two numbers; false when unordered.
bool compare_numbers(const Dyn& a, const CondValue& b, int* out) {
  if (a.kind == CondKind::kInt && b.kind == CondKind::kInt) {
    *out = a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    return true;
  }
  if (a.kind == CondKind::kInt) return compare_int_float(a.i, b.f, out);
  if (b.kind == CondKind::kInt) {
    if (!compare_int_float(b.i, a.f, out)) return false;
    *out = -*out;
    return true;
  }
  if (std::isnan(a.f) || std::isnan(b.f)) return false;
  *out = a.f < b.f ? -1 : (a.f > b.f ? 1 : 0);
  return true;
}

bool equal(const Dyn& a, const CondValue& b) {
  if (is_number(a.kind) && is_number(b.kind)) {
    int c = 0;
    return compare_numbers(a, b, &c) && c == 0;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case CondKind::kNull: return true;
    case CondKind::kBool: return a.b == b.b;
    case CondKind::kString: return b.s && a.s == b.s;
    case CondKind::kList:
      if (b.count < 0 || a.items.size() != static_cast<size_t>(b.count)) return false;
      for (size_t k = 0; k < a.items.size(); ++k) {
        if (!equal(a.items[k], b.items[k])) return false;
      }
      return true;
    case CondKind::kInt: case CondKind::kFloat: break;
  }
  return false;
}

bool member(const Dyn& a, const CondValue& list) {
  for (int32_t k = 0; k < list.count; ++k) {
    if (equal(a, list.items[k])) return true;
  }
  return false;
}

void append_value(std::string* out, const CondValue& v) {
  switch (v.kind) {
    case CondKind::kNull: out->append("null"); break;
    case CondKind::kBool: out->append(v.b ? "true" : "false"); break;
    case CondKind::kInt: out->append(std::to_string(v.i)); break;
    case CondKind::kFloat: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.17g", v.f);
      out->append(buf);
      break;
    }
    case CondKind::kString: out->append("\"").append(v.s ? v.s : "").append("\""); break;
    case CondKind::kList:
      out->push_back('[');
      for (int32_t k = 0; k < v.count; ++k) {
        if (k) out->append(", ");
        append_value(out, v.items[k]);
      }
      out->push_back(']');
      break;
  }
}

}  // namespace

bool condition_holds(const CondTerm& t, const OpFacts& facts) {
  Dyn a = subject_value(t, facts);
  const CondValue& b = t.rhs;
  switch (t.op) {
    case CondOp::kEq: return equal(a, b);
    case CondOp::kNe: return !equal(a, b);
    case CondOp::kIn: return b.kind == CondKind::kList && member(a, b);
    case CondOp::kNotIn: return b.kind == CondKind::kList && !member(a, b);
    case CondOp::kLt: case CondOp::kLe: case CondOp::kGt: case CondOp::kGe: {
      int c = 0;
      if (!is_number(a.kind) || !is_number(b.kind) || !compare_numbers(a, b, &c)) return false;
      if (t.op == CondOp::kLt) return c < 0;
      if (t.op == CondOp::kLe) return c <= 0;
      if (t.op == CondOp::kGt) return c > 0;
      return c >= 0;
    }
  }
  return false;
}

std::string condition_to_string(const CondTerm& t) {
  static const char* const kOps[] = {"==", "!=", "<", "<=", ">", ">=", "in", "not in"};
  std::string s = t.subject == CondSubject::kAttr ? "attr." : "input.";
  s.append(t.name ? t.name : "");
  switch (t.subject) {
    case CondSubject::kInputDims: s.append(".dims"); break;
    case CondSubject::kInputRank: s.append(".rank"); break;
    case CondSubject::kInputCount: s.append(".count"); break;
    case CondSubject::kAttr: break;
  }
  if (t.index >= 0) s.append("[").append(std::to_string(t.index)).append("]");
  size_t op = static_cast<size_t>(t.op);
  s.append(" ").append(op < 8 ? kOps[op] : "?").append(" ");
  append_value(&s, t.rhs);
  return s;
}

}  // namespace tailor
