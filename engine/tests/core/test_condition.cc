// Condition semantics of CATALOG.md ("Conditions"), as condition.cc implements them.
#include <string>
#include <vector>

#include "core/condition.h"
#include "test_harness.h"

using namespace tailor;

namespace {

// Terms refer to strings and list items through a registry; the tests' live here.
struct Pool {
  std::string strings;
  std::vector<CondValue> items;
  Registry view() const {
    Registry r{};
    r.strings = strings.data();
    r.cond_items = items.data();
    return r;
  }
};
Pool& pool() {
  static Pool p;
  return p;
}
StrRef ref(const char* s) {
  StrRef r = static_cast<StrRef>(pool().strings.size());
  pool().strings.append(s).push_back('\0');
  return r;
}

CondValue v_null() { return CondValue{CondKind::kNull, false, 0, 0, 0, 0}; }
CondValue v_bool(bool b) { return CondValue{CondKind::kBool, b, 0, 0, 0, 0}; }
CondValue v_int(int64_t i) { return CondValue{CondKind::kInt, false, 0, 0, i, 0}; }
CondValue v_float(double f) { return CondValue{CondKind::kFloat, false, 0, 0, 0, f}; }
CondValue v_str(const char* s) { return CondValue{CondKind::kString, false, 0, ref(s), 0, 0}; }
CondValue v_list(const CondValue* items, int n) {
  uint32_t first = static_cast<uint32_t>(pool().items.size());
  pool().items.insert(pool().items.end(), items, items + n);
  return CondValue{CondKind::kList, false, static_cast<uint16_t>(n), first, 0, 0};
}

CondTerm attr(const char* name, CondOp op, CondValue rhs, int index = -1) {
  return CondTerm{CondSubject::kAttr, op, static_cast<int16_t>(index), ref(name), rhs};
}
CondTerm input(CondSubject s, const char* slot, CondOp op, CondValue rhs, int index = -1) {
  return CondTerm{s, op, static_cast<int16_t>(index), ref(slot), rhs};
}
bool holds(const CondTerm& t, const OpFacts& facts) { return condition_holds(t, facts, pool().view()); }
std::string to_string(const CondTerm& t) { return condition_to_string(t, pool().view()); }

struct Fixture {
  OpDesc op;
  Dims filter_dims{8, 3, 1, 1};
  OpFacts facts;
  Fixture() {
    Attr a;
    a.type = AttrType::kInts;
    a.ints = {1, 1};
    op.attrs["strides"] = a;
    Attr g;
    g.type = AttrType::kInt;
    g.i = 1;
    op.attrs["groups"] = g;
    Attr f;
    f.type = AttrType::kFloat;
    f.f = 6.0;
    op.attrs["threshold"] = f;
    Attr s;
    s.type = AttrType::kString;
    s.s = "relu6";
    op.attrs["act_type"] = s;
    Attr b;
    b.type = AttrType::kBoolean;
    b.b = true;
    op.attrs["with_act"] = b;
    Attr h;
    h.type = AttrType::kFloat;
    h.f = 0.5;
    op.attrs["half"] = h;
    Attr v;
    v.type = AttrType::kVar;
    op.attrs["var"] = v;
    op.inputs = {Slot{"Input", {"x"}}, Slot{"Filter", {"w"}}, Slot{"Bias", {}}};
    facts.op = &op;
    facts.param_dims = {nullptr, &filter_dims, nullptr};
  }
  bool holds(const CondTerm& t) const { return ::holds(t, facts); }
};

}  // namespace

TEST(condition_equality_and_numbers) {
  Fixture fx;
  const CondValue ones[] = {v_int(1), v_int(1)};
  const CondValue ones_f[] = {v_float(1.0), v_int(1)};
  EXPECT(fx.holds(attr("strides", CondOp::kEq, v_list(ones, 2))));
  EXPECT(fx.holds(attr("strides", CondOp::kEq, v_list(ones_f, 2))));  // ints and floats by value
  EXPECT(!fx.holds(attr("strides", CondOp::kEq, v_list(ones, 1))));
  EXPECT(fx.holds(attr("groups", CondOp::kEq, v_int(1))));
  EXPECT(fx.holds(attr("groups", CondOp::kEq, v_float(1.0))));
  EXPECT(!fx.holds(attr("groups", CondOp::kEq, v_bool(true))));  // booleans are not numbers
  EXPECT(fx.holds(attr("groups", CondOp::kNe, v_bool(true))));
  EXPECT(fx.holds(attr("threshold", CondOp::kEq, v_int(6))));
  EXPECT(!fx.holds(attr("half", CondOp::kEq, v_int(0))));
  EXPECT(fx.holds(attr("with_act", CondOp::kEq, v_bool(true))));
  EXPECT(!fx.holds(attr("with_act", CondOp::kEq, v_int(1))));
  EXPECT(fx.holds(attr("act_type", CondOp::kEq, v_str("relu6"))));
  EXPECT(!fx.holds(attr("act_type", CondOp::kEq, v_str("relu"))));
}

TEST(condition_null) {
  Fixture fx;
  EXPECT(fx.holds(attr("missing", CondOp::kEq, v_null())));
  EXPECT(!fx.holds(attr("missing", CondOp::kNe, v_null())));
  EXPECT(!fx.holds(attr("missing", CondOp::kEq, v_int(0))));
  EXPECT(fx.holds(attr("strides", CondOp::kEq, v_null(), 5)));  // index past the end
  EXPECT(fx.holds(attr("groups", CondOp::kEq, v_null(), 0)));   // index into a non-list
  EXPECT(fx.holds(attr("var", CondOp::kEq, v_null())));         // VAR attributes decode to null
  EXPECT(!fx.holds(attr("missing", CondOp::kLt, v_int(3))));
  EXPECT(!fx.holds(attr("missing", CondOp::kGe, v_int(3))));
}

TEST(condition_ordering) {
  Fixture fx;
  EXPECT(fx.holds(attr("groups", CondOp::kLt, v_int(2))));
  EXPECT(fx.holds(attr("groups", CondOp::kLe, v_int(1))));
  EXPECT(!fx.holds(attr("groups", CondOp::kGt, v_int(1))));
  EXPECT(fx.holds(attr("groups", CondOp::kGe, v_float(0.5))));
  EXPECT(fx.holds(attr("half", CondOp::kLt, v_int(1))));
  EXPECT(fx.holds(attr("half", CondOp::kGt, v_int(0))));
  EXPECT(!fx.holds(attr("act_type", CondOp::kLt, v_str("z"))));     // only numbers order
  EXPECT(!fx.holds(attr("with_act", CondOp::kGe, v_int(0))));       // booleans are not numbers
  EXPECT(fx.holds(attr("strides", CondOp::kLe, v_int(1), 1)));
  const CondValue big[] = {v_int(1)};
  EXPECT(!fx.holds(attr("strides", CondOp::kLt, v_list(big, 1))));  // lists do not order
  // int64 vs double compare exactly, as in Python: 2**53 + 1 != 2.0**53.
  OpDesc op;
  Attr a;
  a.type = AttrType::kLong;
  a.i = (int64_t{1} << 53) + 1;
  op.attrs["n"] = a;
  OpFacts facts;
  facts.op = &op;
  EXPECT(!holds(attr("n", CondOp::kEq, v_float(9007199254740992.0)), facts));
  EXPECT(holds(attr("n", CondOp::kGt, v_float(9007199254740992.0)), facts));
  EXPECT(holds(attr("n", CondOp::kLt, v_float(1e300)), facts));
}

TEST(condition_membership) {
  Fixture fx;
  const CondValue acts[] = {v_str("relu"), v_str("relu6")};
  EXPECT(fx.holds(attr("act_type", CondOp::kIn, v_list(acts, 2))));
  EXPECT(!fx.holds(attr("act_type", CondOp::kNotIn, v_list(acts, 2))));
  const CondValue nums[] = {v_float(1.0), v_int(3)};
  EXPECT(fx.holds(attr("groups", CondOp::kIn, v_list(nums, 2))));
  const CondValue with_null[] = {v_null(), v_str("relu")};
  EXPECT(fx.holds(attr("missing", CondOp::kIn, v_list(with_null, 2))));
  EXPECT(!fx.holds(attr("groups", CondOp::kIn, v_int(1))));     // `in` needs a list
  EXPECT(!fx.holds(attr("groups", CondOp::kNotIn, v_int(1))));
  const CondValue bools[] = {v_bool(true)};
  EXPECT(!fx.holds(attr("groups", CondOp::kIn, v_list(bools, 1))));
}

TEST(condition_inputs) {
  Fixture fx;
  const CondValue dims[] = {v_int(8), v_int(3), v_int(1), v_int(1)};
  EXPECT(fx.holds(input(CondSubject::kInputDims, "Filter", CondOp::kEq, v_list(dims, 4))));
  EXPECT(fx.holds(input(CondSubject::kInputDims, "Filter", CondOp::kEq, v_int(1), 2)));
  EXPECT(fx.holds(input(CondSubject::kInputDims, "Filter", CondOp::kEq, v_null(), 4)));
  EXPECT(fx.holds(input(CondSubject::kInputRank, "Filter", CondOp::kEq, v_int(4))));
  // Non-parameter inputs have no dims / rank.
  EXPECT(fx.holds(input(CondSubject::kInputDims, "Input", CondOp::kEq, v_null())));
  EXPECT(fx.holds(input(CondSubject::kInputRank, "Input", CondOp::kEq, v_null())));
  EXPECT(fx.holds(input(CondSubject::kInputDims, "Input", CondOp::kEq, v_null(), 0)));
  EXPECT(fx.holds(input(CondSubject::kInputCount, "Input", CondOp::kEq, v_int(1))));
  EXPECT(fx.holds(input(CondSubject::kInputCount, "Bias", CondOp::kEq, v_int(0))));
  EXPECT(fx.holds(input(CondSubject::kInputCount, "Absent", CondOp::kEq, v_int(0))));
  EXPECT(fx.holds(input(CondSubject::kInputRank, "Absent", CondOp::kEq, v_null())));
}

TEST(condition_to_string) {
  const CondValue ones[] = {v_int(1), v_int(1)};
  EXPECT(to_string(attr("strides", CondOp::kEq, v_list(ones, 2))) == "attr.strides == [1, 1]");
  EXPECT(to_string(input(CondSubject::kInputDims, "Filter", CondOp::kLe, v_int(3), 2)) == "input.Filter.dims[2] <= 3");
}
