// Unit tests of the logic-family kernels (kernels_logic catalog part): hostile shapes, dtypes and
// attributes are refused with a Status, and the edge cases the fixtures do not reach (bool bytes
// other than 0/1, integer overflow, extreme range bounds, out-of-range one-hot indices) are defined.
// Run with engine/tests/kernels_logic/run.sh [--asan].
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "harness/kernel_harness.h"

#define DECLARE(unit) \
  namespace tailor::kernels::unit { Status create(const KernelInit&, std::unique_ptr<Kernel>*); }
DECLARE(equal_any_ref)
DECLARE(less_than_any_ref)
DECLARE(logical_and_any_ref)
DECLARE(logical_not_any_ref)
DECLARE(bitwise_not_any_ref)
DECLARE(where_any_ref)
DECLARE(cumsum_any_ref)
DECLARE(range_any_ref)
DECLARE(linspace_any_ref)
DECLARE(one_hot_v2_any_ref)
DECLARE(fill_any_like_any_ref)
DECLARE(fill_constant_batch_size_like_any_ref)
DECLARE(assign_value_any_ref)

using tailor::Attr;
using tailor::AttrType;
using tailor::Dims;
using tailor::DType;
using tailor::test::OpRunner;
namespace k = tailor::kernels;

namespace {

template <typename T>
OpRunner& add(OpRunner& r, const std::string& slot, DType t, Dims d, const std::vector<T>& v,
              bool constant = false) {
  return r.add_input(slot, t, std::move(d), v.data(), v.size() * sizeof(T), constant);
}

template <typename T>
std::vector<T> out_as(OpRunner& r, const std::string& slot = "Out") {
  const tailor::Tensor& t = r.out(slot);
  const T* p = t.data<T>();
  return std::vector<T>(p, p + t.numel());
}

void test_compare() {
  {  // float equality is Lite's |x - y| < 1e-8: inf == inf is false, tiny differences are equal
    OpRunner r("equal");
    const float inf = std::numeric_limits<float>::infinity();
    add(r, "X", DType::kF32, {4}, std::vector<float>{inf, 1.f, 0.f, 1.f});
    add(r, "Y", DType::kF32, {4}, std::vector<float>{inf, 1.f, 1e-9f, 2.f});
    r.output("Out");
    TH_CHECK_OK(r.run(&k::equal_any_ref::create));
    TH_CHECK(r.out("Out").dtype() == DType::kBool);
    const std::vector<bool> want{false, true, true, false};
    const std::vector<uint8_t> got = out_as<uint8_t>(r);
    for (size_t i = 0; i < want.size(); ++i) TH_CHECK((got[i] != 0) == want[i]);
  }
  {  // int64 with a broadcast Y, and X broadcast onto Y
    OpRunner r("less_than");
    add(r, "X", DType::kI64, {2, 1}, std::vector<int64_t>{INT64_MIN, 5});
    add(r, "Y", DType::kI64, {3}, std::vector<int64_t>{0, 5, INT64_MAX});
    r.output("Out");
    TH_CHECK_OK(r.run(&k::less_than_any_ref::create));
    TH_CHECK(r.out("Out").dims() == (Dims{2, 3}));
    const std::vector<uint8_t> got = out_as<uint8_t>(r);
    const std::vector<uint8_t> want{1, 1, 1, 0, 0, 1};
    TH_CHECK(got == want);
  }
  {  // mixed dtypes, shapes that do not broadcast, a bad axis, bool inputs: refused
    OpRunner a("less_than");
    add(a, "X", DType::kF32, {2}, std::vector<float>{1, 2});
    add(a, "Y", DType::kI32, {2}, std::vector<int32_t>{1, 2});
    a.output("Out");
    TH_CHECK_ERR(a.infer(&k::less_than_any_ref::create));
    OpRunner b("less_than");
    add(b, "X", DType::kF32, {2, 3}, std::vector<float>(6));
    add(b, "Y", DType::kF32, {2}, std::vector<float>(2));
    b.output("Out");
    TH_CHECK_ERR(b.infer(&k::less_than_any_ref::create));
    OpRunner c("less_than");
    add(c, "X", DType::kF32, {2, 3}, std::vector<float>(6));
    add(c, "Y", DType::kF32, {3}, std::vector<float>(3));
    c.output("Out").i("axis", 7);
    TH_CHECK_ERR(c.infer(&k::less_than_any_ref::create));
    OpRunner d("less_than");
    add(d, "X", DType::kBool, {2}, std::vector<uint8_t>{1, 0});
    add(d, "Y", DType::kBool, {2}, std::vector<uint8_t>{1, 0});
    d.output("Out");
    TH_CHECK_ERR(d.infer(&k::less_than_any_ref::create));
    OpRunner e("less_than");  // no Y
    add(e, "X", DType::kF32, {2}, std::vector<float>(2));
    e.output("Out");
    TH_CHECK_ERR(e.infer(&k::less_than_any_ref::create));
  }
}

void test_logical() {
  {  // bool bytes other than 0/1 read as true (no UB)
    OpRunner r("logical_and");
    add(r, "X", DType::kBool, {4}, std::vector<uint8_t>{2, 0, 255, 1});
    add(r, "Y", DType::kBool, {4}, std::vector<uint8_t>{7, 7, 0, 1});
    r.output("Out");
    TH_CHECK_OK(r.run(&k::logical_and_any_ref::create));
    TH_CHECK((out_as<uint8_t>(r) == std::vector<uint8_t>{1, 0, 0, 1}));
  }
  {
    OpRunner r("logical_not");
    add(r, "X", DType::kBool, {3}, std::vector<uint8_t>{2, 0, 1});
    r.output("Out");
    TH_CHECK_OK(r.run(&k::logical_not_any_ref::create));
    TH_CHECK((out_as<uint8_t>(r) == std::vector<uint8_t>{0, 1, 0}));
  }
  {  // logical ops take bool only
    OpRunner r("logical_not");
    add(r, "X", DType::kF32, {3}, std::vector<float>(3));
    r.output("Out");
    TH_CHECK_ERR(r.infer(&k::logical_not_any_ref::create));
  }
  {
    OpRunner r("bitwise_not");
    add(r, "X", DType::kI64, {2}, std::vector<int64_t>{0, INT64_MIN});
    r.output("Out");
    TH_CHECK_OK(r.run(&k::bitwise_not_any_ref::create));
    TH_CHECK((out_as<int64_t>(r) == std::vector<int64_t>{-1, INT64_MAX}));
    OpRunner f("bitwise_not");
    add(f, "X", DType::kF32, {1}, std::vector<float>{1.f});
    f.output("Out");
    TH_CHECK_ERR(f.infer(&k::bitwise_not_any_ref::create));
  }
}

void test_where() {
  OpRunner r("where");
  add(r, "Condition", DType::kBool, {3}, std::vector<uint8_t>{3, 0, 1});
  add(r, "X", DType::kI64, {3}, std::vector<int64_t>{1, 2, 3});
  add(r, "Y", DType::kI64, {3}, std::vector<int64_t>{-1, -2, -3});
  r.output("Out");
  TH_CHECK_OK(r.run(&k::where_any_ref::create));
  TH_CHECK((out_as<int64_t>(r) == std::vector<int64_t>{1, -2, 3}));
  OpRunner s("where");  // shapes differ
  add(s, "Condition", DType::kBool, {2}, std::vector<uint8_t>{1, 0});
  add(s, "X", DType::kF32, {3}, std::vector<float>(3));
  add(s, "Y", DType::kF32, {3}, std::vector<float>(3));
  s.output("Out");
  TH_CHECK_ERR(s.infer(&k::where_any_ref::create));
  OpRunner c("where");  // non-bool condition
  add(c, "Condition", DType::kF32, {3}, std::vector<float>(3));
  add(c, "X", DType::kF32, {3}, std::vector<float>(3));
  add(c, "Y", DType::kF32, {3}, std::vector<float>(3));
  c.output("Out");
  TH_CHECK_ERR(c.infer(&k::where_any_ref::create));
}

void test_cumsum() {
  {  // int32 overflow wraps (two's complement), exclusive + reverse
    OpRunner r("cumsum");
    add(r, "X", DType::kI32, {3}, std::vector<int32_t>{INT32_MAX, 1, 5});
    r.output("Out").b("exclusive", true).b("reverse", true);
    TH_CHECK_OK(r.run(&k::cumsum_any_ref::create));
    TH_CHECK((out_as<int32_t>(r) == std::vector<int32_t>{6, 5, 0}));
    OpRunner w("cumsum");
    add(w, "X", DType::kI32, {2}, std::vector<int32_t>{INT32_MAX, 1});
    w.output("Out");
    TH_CHECK_OK(w.run(&k::cumsum_any_ref::create));
    TH_CHECK((out_as<int32_t>(w) == std::vector<int32_t>{INT32_MAX, INT32_MIN}));
  }
  {  // axis out of range; unsupported dtype
    OpRunner r("cumsum");
    add(r, "X", DType::kF32, {2, 2}, std::vector<float>(4));
    r.output("Out").i("axis", 2);
    TH_CHECK_ERR(r.infer(&k::cumsum_any_ref::create));
    OpRunner b("cumsum");
    add(b, "X", DType::kBool, {2}, std::vector<uint8_t>{1, 1});
    b.output("Out");
    TH_CHECK_ERR(b.infer(&k::cumsum_any_ref::create));
  }
}

template <typename T>
tailor::Status range(DType t, T start, T end, T step, std::vector<T>* out, bool constant = true) {
  OpRunner r("range");
  add(r, "Start", t, {1}, std::vector<T>{start}, constant);
  add(r, "End", t, {1}, std::vector<T>{end}, constant);
  add(r, "Step", t, {1}, std::vector<T>{step}, constant);
  r.output("Out");
  tailor::Status s = r.run(&k::range_any_ref::create);
  if (s.ok()) *out = out_as<T>(r);
  return s;
}

void test_range() {
  std::vector<int64_t> v;
  TH_CHECK_OK(range<int64_t>(DType::kI64, INT64_MAX - 5, INT64_MAX, 2, &v));  // no overflow at the end
  TH_CHECK((v == std::vector<int64_t>{INT64_MAX - 5, INT64_MAX - 3, INT64_MAX - 1}));
  TH_CHECK_ERR(range<int64_t>(DType::kI64, INT64_MIN, INT64_MAX, 1, &v));  // too long
  TH_CHECK_ERR(range<int64_t>(DType::kI64, 0, 5, 0, &v));                  // zero step
  TH_CHECK_ERR(range<int64_t>(DType::kI64, 0, 5, -1, &v));                 // wrong direction
  TH_CHECK_ERR(range<int64_t>(DType::kI64, 3, 3, 1, &v));                  // empty
  TH_CHECK_ERR(range<int64_t>(DType::kI64, 0, 5, 1, &v, /*constant=*/false));  // length unknown at plan time
  std::vector<float> f;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  TH_CHECK_ERR(range<float>(DType::kF32, 0.f, nan, 1.f, &f));
  TH_CHECK_ERR(range<float>(DType::kF32, -3e38f, 3e38f, 1e-30f, &f));
  TH_CHECK_OK(range<float>(DType::kF32, 1.f, 0.f, -0.25f, &f));
  TH_CHECK((f == std::vector<float>{1.f, 0.75f, 0.5f, 0.25f}));
  OpRunner m("range");  // mixed dtypes
  add(m, "Start", DType::kF32, {1}, std::vector<float>{0.f}, true);
  add(m, "End", DType::kI32, {1}, std::vector<int32_t>{4}, true);
  add(m, "Step", DType::kF32, {1}, std::vector<float>{1.f}, true);
  m.output("Out");
  TH_CHECK_ERR(m.infer(&k::range_any_ref::create));
}

void test_linspace() {
  auto make = [](float a, float b, int32_t num, int64_t dtype) {
    OpRunner r("linspace");
    add(r, "Start", DType::kF32, {1}, std::vector<float>{a});
    add(r, "Stop", DType::kF32, {1}, std::vector<float>{b});
    add(r, "Num", DType::kI32, {1}, std::vector<int32_t>{num}, true);
    r.output("Out").i("dtype", dtype);
    return r;
  };
  OpRunner ok = make(0.f, 1.f, 5, 5);
  TH_CHECK_OK(ok.run(&k::linspace_any_ref::create));
  TH_CHECK((ok.out_f32("Out") == std::vector<float>{0.f, 0.25f, 0.5f, 0.75f, 1.f}));
  OpRunner zero = make(0.f, 1.f, 0, 5);
  TH_CHECK_ERR(zero.infer(&k::linspace_any_ref::create));
  OpRunner i64 = make(0.f, 1.f, 3, 3);
  TH_CHECK_ERR(i64.infer(&k::linspace_any_ref::create));
  OpRunner big = make(0.f, 3e9f, 3, 2);  // int32 output cannot hold the end
  TH_CHECK_ERR(big.run(&k::linspace_any_ref::create));
  OpRunner nan = make(std::numeric_limits<float>::quiet_NaN(), 1.f, 3, 2);
  TH_CHECK_ERR(nan.run(&k::linspace_any_ref::create));
}

void test_one_hot() {
  auto make = [](std::vector<int64_t> x, int64_t depth, bool allow) {
    OpRunner r("one_hot_v2");
    Dims d{static_cast<int64_t>(x.size())};
    add(r, "X", DType::kI64, d, x);
    r.output("Out").i("depth", depth).b("allow_out_of_range", allow).i("dtype", 5);
    return r;
  };
  OpRunner oor = make({1, 3}, 3, false);
  TH_CHECK_ERR(oor.run(&k::one_hot_v2_any_ref::create));
  OpRunner neg = make({-1, 0}, 3, false);
  TH_CHECK_ERR(neg.run(&k::one_hot_v2_any_ref::create));
  OpRunner allow = make({-1, 2}, 3, true);
  TH_CHECK_OK(allow.run(&k::one_hot_v2_any_ref::create));
  TH_CHECK((allow.out_f32("Out") == std::vector<float>{0, 0, 0, 0, 0, 1}));
  OpRunner d0 = make({0}, 0, false);
  TH_CHECK_ERR(d0.infer(&k::one_hot_v2_any_ref::create));
  OpRunner huge = make({0}, INT64_MAX, false);
  TH_CHECK_ERR(huge.infer(&k::one_hot_v2_any_ref::create));
}

void test_fills() {
  {  // int fills saturate; unknown dtype refused
    OpRunner r("fill_any_like");
    add(r, "X", DType::kF32, {2}, std::vector<float>(2));
    r.output("Out").f("value", 1e30).i("dtype", 2);
    TH_CHECK_OK(r.run(&k::fill_any_like_any_ref::create));
    TH_CHECK((out_as<int32_t>(r) == std::vector<int32_t>{INT32_MAX, INT32_MAX}));
    OpRunner b("fill_any_like");
    add(b, "X", DType::kF32, {2}, std::vector<float>(2));
    b.output("Out").i("dtype", 99);
    TH_CHECK_ERR(b.infer(&k::fill_any_like_any_ref::create));
    OpRunner h("fill_any_like");
    add(h, "X", DType::kF32, {2}, std::vector<float>(2));
    h.output("Out").i("dtype", int64_t{1} << 40);
    TH_CHECK_ERR(h.infer(&k::fill_any_like_any_ref::create));
  }
  auto fcbsl = [](std::vector<int64_t> shape, int64_t in_idx, int64_t out_idx, const char* str) {
    OpRunner r("fill_constant_batch_size_like");
    add(r, "Input", DType::kF32, {3, 4}, std::vector<float>(12));
    r.output("Out").ints("shape", std::move(shape)).i("input_dim_idx", in_idx).i("output_dim_idx", out_idx);
    r.f("value", 2.0).s("str_value", str).i("dtype", 5);
    return r;
  };
  OpRunner ok = fcbsl({-1, 2}, 1, 0, "");
  TH_CHECK_OK(ok.run(&k::fill_constant_batch_size_like_any_ref::create));
  TH_CHECK(ok.out("Out").dims() == (Dims{4, 2}));
  TH_CHECK((ok.out_f32("Out") == std::vector<float>(8, 2.f)));
  OpRunner bad_in = fcbsl({-1, 2}, 2, 0, "");
  TH_CHECK_ERR(bad_in.infer(&k::fill_constant_batch_size_like_any_ref::create));
  OpRunner bad_out = fcbsl({-1, 2}, 0, -1, "");
  TH_CHECK_ERR(bad_out.infer(&k::fill_constant_batch_size_like_any_ref::create));
  OpRunner neg = fcbsl({-1, -1}, 0, 0, "");
  TH_CHECK_ERR(neg.infer(&k::fill_constant_batch_size_like_any_ref::create));
  OpRunner str = fcbsl({-1, 2}, 0, 0, "1.5x");
  TH_CHECK_ERR(str.infer(&k::fill_constant_batch_size_like_any_ref::create));
}

void test_assign_value() {
  OpRunner r("assign_value");
  Attr v;
  v.type = AttrType::kLongs;
  v.ints = {1, -2, 3};
  r.output("Out").ints("shape", {3}).i("dtype", 3).attr("int64_values", v);
  TH_CHECK_OK(r.run(&k::assign_value_any_ref::create));
  TH_CHECK((out_as<int64_t>(r) == std::vector<int64_t>{1, -2, 3}));
  OpRunner few("assign_value");  // 3 values for 4 elements
  few.output("Out").ints("shape", {2, 2}).i("dtype", 3).attr("int64_values", v);
  TH_CHECK_ERR(few.infer(&k::assign_value_any_ref::create));
  OpRunner wrong("assign_value");  // float32 dtype but the values are in int64_values
  wrong.output("Out").ints("shape", {3}).i("dtype", 5).attr("int64_values", v);
  TH_CHECK_ERR(wrong.infer(&k::assign_value_any_ref::create));
  OpRunner neg("assign_value");
  neg.output("Out").ints("shape", {-3}).i("dtype", 3).attr("int64_values", v);
  TH_CHECK_ERR(neg.infer(&k::assign_value_any_ref::create));
}

}  // namespace

int main() {
  test_compare();
  test_logical();
  test_where();
  test_cumsum();
  test_range();
  test_linspace();
  test_one_hot();
  test_fills();
  test_assign_value();
  const int failures = tailor::test::failure_count();
  if (failures) {
    std::fprintf(stderr, "logic_test: %d failure(s)\n", failures);
    return 1;
  }
  std::printf("logic_test: ok\n");
  return 0;
}
