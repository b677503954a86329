// Semantics (CATALOG.md): `==`/`!=` are deep equality where ints and floats
// compare by value and booleans are not numbers; ordering holds only between
// two numbers; `in`/`not in` need a list on the right; a missing attribute,
// slot or index, and the dims/rank of a non-parameter input, are null.
#include "core/condition.h"

#include <cmath>
#include <string_view>

#include "core/format.h"

namespace tailor {
namespace {

// A subject value, viewed in place (conditions are evaluated at load only and
// never outlive the op): a scalar, or a list whose `count` elements of kind
// `elem` are in `items` (int64_t / double / std::string array, or the
// std::vector<bool> itself).
struct Subject {
  CondKind kind = CondKind::kNull;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  const std::string* s = nullptr;
  CondKind elem = CondKind::kNull;
  size_t count = 0;
  const void* items = nullptr;

  Subject item(size_t k) const {
    Subject r;
    r.kind = elem;
    switch (elem) {
      case CondKind::kInt: r.i = static_cast<const int64_t*>(items)[k]; break;
      case CondKind::kFloat: r.f = static_cast<const double*>(items)[k]; break;
      case CondKind::kString: r.s = static_cast<const std::string*>(items) + k; break;
      case CondKind::kBool: r.b = (*static_cast<const std::vector<bool>*>(items))[k]; break;
      default: break;
    }
    return r;
  }
};

Subject list_of(CondKind elem, const void* items, size_t count) {
  Subject d;
  d.kind = CondKind::kList;
  d.elem = elem;
  d.items = items;
  d.count = count;
  return d;
}

// Attribute value as the Python model decodes it (tailor/model.py AttrValue).
Subject attr_value(const Attr& a) {
  Subject d;
  switch (a.type) {
    case AttrType::kInt: case AttrType::kLong: case AttrType::kBlock:
      d.kind = CondKind::kInt;
      d.i = a.i;
      break;
    case AttrType::kFloat: case AttrType::kFloat64:
      d.kind = CondKind::kFloat;
      d.f = a.f;
      break;
    case AttrType::kString:
      d.kind = CondKind::kString;
      d.s = &a.s;
      break;
    case AttrType::kBoolean:
      d.kind = CondKind::kBool;
      d.b = a.b;
      break;
    case AttrType::kInts: case AttrType::kLongs: case AttrType::kBlocks:
      return list_of(CondKind::kInt, a.ints.data(), a.ints.size());
    case AttrType::kFloats: case AttrType::kFloat64s: return list_of(CondKind::kFloat, a.floats.data(), a.floats.size());
    case AttrType::kStrings: return list_of(CondKind::kString, a.strings.data(), a.strings.size());
    case AttrType::kBooleans: return list_of(CondKind::kBool, &a.bools, a.bools.size());
    case AttrType::kVar: case AttrType::kVars: break;
  }
  return d;
}

Subject index_into(const Subject& whole, int32_t index) {
  if (index < 0) return whole;
  if (whole.kind != CondKind::kList || static_cast<size_t>(index) >= whole.count) return Subject();
  return whole.item(static_cast<size_t>(index));
}

Subject subject_value(const CondTerm& t, const OpFacts& facts, const Registry& reg) {
  const OpDesc& op = *facts.op;
  std::string_view name = reg.str(t.name);
  if (t.subject == CondSubject::kAttr) {
    const Attr* a = op.attr(name);
    return a ? index_into(attr_value(*a), t.index) : Subject();
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
  Subject d;
  switch (t.subject) {
    case CondSubject::kInputCount:
      d.kind = CondKind::kInt;
      d.i = slot ? static_cast<int64_t>(slot->args.size()) : 0;
      break;
    case CondSubject::kInputRank:
      if (dims) {
        d.kind = CondKind::kInt;
        d.i = static_cast<int64_t>(dims->size());
      }
      break;
    case CondSubject::kInputDims:
      if (dims) d = index_into(list_of(CondKind::kInt, dims->data(), dims->size()), t.index);
      break;
    case CondSubject::kAttr: break;
  }
  return d;
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
bool compare_numbers(const Subject& a, const CondValue& b, int* out) {
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

bool equal(const Subject& a, const CondValue& b, const Registry& reg) {
  if (is_number(a.kind) && is_number(b.kind)) {
    int c = 0;
    return compare_numbers(a, b, &c) && c == 0;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case CondKind::kNull: return true;
    case CondKind::kBool: return a.b == b.b;
    case CondKind::kString: return *a.s == reg.str(b.ref);
    case CondKind::kList:
      if (a.count != b.count) return false;
      for (size_t k = 0; k < a.count; ++k) {
        if (!equal(a.item(k), reg.cond_items[b.ref + k], reg)) return false;
      }
      return true;
    case CondKind::kInt: case CondKind::kFloat: break;
  }
  return false;
}

bool member(const Subject& a, const CondValue& list, const Registry& reg) {
  for (uint32_t k = 0; k < list.count; ++k) {
    if (equal(a, reg.cond_items[list.ref + k], reg)) return true;
  }
  return false;
}

void append_value(std::string* out, const CondValue& v, const Registry& reg) {
  switch (v.kind) {
    case CondKind::kNull: out->append("null"); break;
    case CondKind::kBool: out->append(v.b ? "true" : "false"); break;
    case CondKind::kInt: append_format(out, "%lld", static_cast<long long>(v.i)); break;
    case CondKind::kFloat: append_format(out, "%.17g", v.f); break;
    case CondKind::kString: append_format(out, "\"%s\"", reg.str(v.ref)); break;
    case CondKind::kList:
      out->append("[");
      for (uint32_t k = 0; k < v.count; ++k) {
        if (k) out->append(", ");
        append_value(out, reg.cond_items[v.ref + k], reg);
      }
      out->append("]");
      break;
  }
}

}  // namespace

bool condition_holds(const CondTerm& t, const OpFacts& facts, const Registry& reg) {
  Subject a = subject_value(t, facts, reg);
  const CondValue& b = t.rhs;
  switch (t.op) {
    case CondOp::kEq: return equal(a, b, reg);
    case CondOp::kNe: return !equal(a, b, reg);
    case CondOp::kIn: return b.kind == CondKind::kList && member(a, b, reg);
    case CondOp::kNotIn: return b.kind == CondKind::kList && !member(a, b, reg);
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

std::string condition_to_string(const CondTerm& t, const Registry& reg) {
  static const char* const kOps[] = {"==", "!=", "<", "<=", ">", ">=", "in", "not in"};
  static const char* const kSuffix[] = {"", ".dims", ".rank", ".count"};  // by CondSubject
  size_t subject = static_cast<size_t>(t.subject);
  std::string s = format("%s%s%s", t.subject == CondSubject::kAttr ? "attr." : "input.", reg.str(t.name),
                         subject < 4 ? kSuffix[subject] : "");
  if (t.index >= 0) append_format(&s, "[%d]", t.index);
  size_t op = static_cast<size_t>(t.op);
  append_format(&s, " %s ", op < 8 ? kOps[op] : "?");
  append_value(&s, t.rhs, reg);
  return s;
}

}  // namespace tailor
