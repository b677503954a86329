// Unit tests of the shape / layout / data-movement reference kernels:
// shape inference (including hostile attributes) and data movement, driven
// through the test harness. Run with engine/tests/kernels_shape/run.sh.
#include <cstdio>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "harness/kernel_harness.h"

#define DECLARE_UNIT(ns) \
  namespace tailor::kernels::ns { Status create(const KernelInit&, std::unique_ptr<Kernel>*); }
DECLARE_UNIT(reshape_any_ref)
DECLARE_UNIT(flatten_any_ref)
DECLARE_UNIT(flatten_contiguous_range_any_ref)
DECLARE_UNIT(squeeze_any_ref)
DECLARE_UNIT(unsqueeze_any_ref)
DECLARE_UNIT(transpose_any_ref)
DECLARE_UNIT(concat_any_ref)
DECLARE_UNIT(split_any_ref)
DECLARE_UNIT(slice_any_ref)
#undef DECLARE_UNIT

namespace k = tailor::kernels;
using tailor::Dims;
using tailor::DType;
using tailor::test::OpRunner;

namespace {

std::vector<float> iota_f(size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.f);
  return v;
}

size_t numel(const Dims& d) {
  size_t n = 1;
  for (int64_t v : d) n *= static_cast<size_t>(v);
  return n;
}

// A float input with values 0, 1, 2, ...
OpRunner& xin(OpRunner& r, const std::string& slot, const Dims& d) { return r.input(slot, d, iota_f(numel(d))); }

OpRunner& const_i32(OpRunner& r, const std::string& slot, Dims d, std::vector<int32_t> v) {
  return r.add_input(slot, DType::kI32, std::move(d), v.data(), v.size() * 4, true);
}
OpRunner& const_i64(OpRunner& r, const std::string& slot, Dims d, std::vector<int64_t> v) {
  return r.add_input(slot, DType::kI64, std::move(d), v.data(), v.size() * 8, true);
}
// Runtime (not constant) int32 input: data hidden in infer().
OpRunner& rt_i32(OpRunner& r, const std::string& slot, Dims d, std::vector<int32_t> v) {
  return r.add_input(slot, DType::kI32, std::move(d), v.data(), v.size() * 4, false);
}

bool dims_eq(const Dims& a, const Dims& b, const char* what) {
  if (a == b) return true;
  std::string sa, sb;
  for (int64_t v : a) sa += std::to_string(v) + ",";
  for (int64_t v : b) sb += std::to_string(v) + ",";
  std::fprintf(stderr, "%s: dims [%s] != expected [%s]\n", what, sa.c_str(), sb.c_str());
  ++tailor::test::failure_count();
  return false;
}

void expect_f32(OpRunner& r, const std::string& slot, int idx, const std::vector<float>& want, const char* what) {
  tailor::test::close(r.out_f32(slot, idx), want, 0.0, what);
}

// ---------------------------------------------------------------- reshape
void test_reshape() {
  {
    OpRunner r("reshape2");
    xin(r, "X", {2, 3, 4}).output("Out").output("XShape").ints("shape", {0, -1});
    TH_CHECK_OK(r.run(&k::reshape_any_ref::create));
    dims_eq(r.out("Out").dims(), {2, 12}, "reshape2 0,-1");
    dims_eq(r.out("XShape").dims(), {0, 2, 3, 4}, "reshape2 XShape");
    expect_f32(r, "Out", 0, iota_f(24), "reshape2 data");
  }
  {  // Shape tensor wins over the attribute; ShapeTensor list over both.
    OpRunner r("reshape2");
    xin(r, "X", {2, 3, 4}).output("Out").ints("shape", {24});
    const_i32(r, "Shape", {2}, {4, 6});
    TH_CHECK_OK(r.run(&k::reshape_any_ref::create));
    dims_eq(r.out("Out").dims(), {4, 6}, "reshape2 Shape tensor");
  }
  {
    OpRunner r("reshape");
    xin(r, "X", {2, 3, 4}).output("Out").ints("shape", {24});
    const_i32(r, "Shape", {2}, {4, 6});
    const_i64(r, "ShapeTensor", {1}, {3});
    const_i32(r, "ShapeTensor", {1}, {-1});
    TH_CHECK_OK(r.run(&k::reshape_any_ref::create));
    dims_eq(r.out("Out").dims(), {3, 8}, "reshape ShapeTensor list");
  }
  {  // A shape only known at run time is refused cleanly.
    OpRunner r("reshape2");
    xin(r, "X", {2, 3}).output("Out");
    rt_i32(r, "Shape", {2}, {3, 2});
    TH_CHECK_ERR(r.infer(&k::reshape_any_ref::create));
  }
  const std::vector<std::vector<int64_t>> bad = {
      {-1, -1}, {5, -1}, {7}, {0, 0, 0, 0}, {-2, 12}, {int64_t{1} << 40, int64_t{1} << 40}, {}, {4, 0, 0}};
  for (const auto& shape : bad) {
    OpRunner r("reshape2");
    xin(r, "X", {2, 12}).output("Out");
    if (!shape.empty()) r.ints("shape", shape);
    TH_CHECK_ERR(r.infer(&k::reshape_any_ref::create));
  }
  {  // int64 data moves unchanged
    OpRunner r("reshape2");
    std::vector<int64_t> v = {1, -2, int64_t{1} << 40, 4};
    r.add_input("X", DType::kI64, {4}, v.data(), 32, false).output("Out").ints("shape", {2, 2});
    TH_CHECK_OK(r.run(&k::reshape_any_ref::create));
    TH_CHECK(r.out("Out").dtype() == DType::kI64);
    TH_CHECK(std::memcmp(r.out("Out").raw(), v.data(), 32) == 0);
  }
  {  // zero-size and huge inputs are refused
    OpRunner r("reshape2");
    r.add_input("X", DType::kF32, {0, 3}, nullptr, 0, false).output("Out").ints("shape", {-1});
    TH_CHECK_ERR(r.infer(&k::reshape_any_ref::create));
    OpRunner r2("reshape2");
    r2.add_input("X", DType::kF32, {1 << 20, 1 << 20}, nullptr, 0, false).output("Out").ints("shape", {-1});
    TH_CHECK_ERR(r2.infer(&k::reshape_any_ref::create));
  }
}

// ---------------------------------------------------------------- flatten
void test_flatten() {
  struct Case { int64_t axis; Dims want; bool ok; };
  for (const Case& c : {Case{1, {2, 12}, true}, Case{0, {1, 24}, true}, Case{3, {24, 1}, true},
                        Case{9, {24, 1}, true}, Case{-1, {}, false}}) {
    OpRunner r("flatten2");
    xin(r, "X", {2, 3, 4}).output("Out").output("XShape").i("axis", c.axis);
    tailor::Status st = r.run(&k::flatten_any_ref::create);
    TH_CHECK(st.ok() == c.ok);
    if (c.ok && st.ok()) {
      dims_eq(r.out("Out").dims(), c.want, "flatten2");
      expect_f32(r, "Out", 0, iota_f(24), "flatten2 data");
    }
  }
  struct RCase { int64_t start, stop; Dims want; bool ok; };
  for (const RCase& c : {RCase{1, -1, {2, 60}, true}, RCase{0, 3, {120}, true}, RCase{1, 2, {2, 12, 5}, true},
                         RCase{-2, -1, {2, 3, 20}, true}, RCase{2, 1, {}, false}, RCase{0, 4, {}, false},
                         RCase{-5, 0, {}, false}}) {
    OpRunner r("flatten_contiguous_range");
    xin(r, "X", {2, 3, 4, 5}).output("Out").output("XShape").i("start_axis", c.start).i("stop_axis", c.stop);
    tailor::Status st = r.run(&k::flatten_contiguous_range_any_ref::create);
    TH_CHECK(st.ok() == c.ok);
    if (c.ok && st.ok()) {
      dims_eq(r.out("Out").dims(), c.want, "flatten_contiguous_range");
      dims_eq(r.out("XShape").dims(), {0, 2, 3, 4, 5}, "flatten_contiguous_range XShape");
      expect_f32(r, "Out", 0, iota_f(120), "flatten_contiguous_range data");
    }
  }
}

// ---------------------------------------------------------------- squeeze / unsqueeze
void test_squeeze() {
  struct Case { std::vector<int64_t> axes; Dims want; bool ok; };
  for (const Case& c : {Case{{}, {3, 4}, true}, Case{{0}, {3, 1, 4}, true}, Case{{-2}, {1, 3, 4}, true},
                        Case{{1}, {1, 3, 1, 4}, true}, Case{{0, 2, 0}, {3, 4}, true}, Case{{4}, {}, false},
                        Case{{-5}, {}, false}}) {
    OpRunner r("squeeze2");
    xin(r, "X", {1, 3, 1, 4}).output("Out").output("XShape");
    if (!c.axes.empty()) r.ints("axes", c.axes);
    tailor::Status st = r.run(&k::squeeze_any_ref::create);
    TH_CHECK(st.ok() == c.ok);
    if (c.ok && st.ok()) {
      dims_eq(r.out("Out").dims(), c.want, "squeeze2");
      expect_f32(r, "Out", 0, iota_f(12), "squeeze2 data");
    }
  }
  {  // all-ones squeezes to 0-D
    OpRunner r("squeeze");
    xin(r, "X", {1, 1}).output("Out");
    TH_CHECK_OK(r.run(&k::squeeze_any_ref::create));
    dims_eq(r.out("Out").dims(), {}, "squeeze to 0-D");
  }
}

void test_unsqueeze() {
  struct Case { std::vector<int64_t> axes; Dims want; bool ok; };
  for (const Case& c : {Case{{0}, {1, 3, 4}, true}, Case{{-1}, {3, 4, 1}, true}, Case{{2}, {3, 4, 1}, true},
                        Case{{0, 1}, {1, 1, 3, 4}, true}, Case{{1, 1}, {3, 1, 1, 4}, true},
                        Case{{0, -1}, {1, 3, 4, 1}, true}, Case{{3}, {}, false}, Case{{-4}, {}, false},
                        Case{{0, 0, 0, 0, 0, 0, 0, 0}, {}, false}}) {
    OpRunner r("unsqueeze2");
    xin(r, "X", {3, 4}).output("Out").output("XShape").ints("axes", c.axes);
    tailor::Status st = r.run(&k::unsqueeze_any_ref::create);
    TH_CHECK(st.ok() == c.ok);
    if (c.ok && st.ok()) dims_eq(r.out("Out").dims(), c.want, "unsqueeze2");
  }
  {  // AxesTensor when the attribute is empty; runtime AxesTensor refused.
    OpRunner r("unsqueeze2");
    xin(r, "X", {3, 4}).output("Out");
    const_i64(r, "AxesTensor", {2}, {0, 3});
    TH_CHECK_OK(r.run(&k::unsqueeze_any_ref::create));
    dims_eq(r.out("Out").dims(), {1, 3, 4, 1}, "unsqueeze2 AxesTensor");
    OpRunner r2("unsqueeze2");
    xin(r2, "X", {3, 4}).output("Out");
    rt_i32(r2, "AxesTensor", {1}, {0});
    TH_CHECK_ERR(r2.infer(&k::unsqueeze_any_ref::create));
    OpRunner r3("unsqueeze");
    xin(r3, "X", {3, 4}).output("Out");
    TH_CHECK_ERR(r3.infer(&k::unsqueeze_any_ref::create));
  }
}

// ---------------------------------------------------------------- transpose
void test_transpose() {
  {
    OpRunner r("transpose2");
    xin(r, "X", {2, 3, 4}).output("Out").output("XShape").ints("axis", {2, 0, 1});
    TH_CHECK_OK(r.run(&k::transpose_any_ref::create));
    dims_eq(r.out("Out").dims(), {4, 2, 3}, "transpose2");
    std::vector<float> want;
    for (int c = 0; c < 4; ++c)
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 3; ++b) want.push_back(static_cast<float>(a * 12 + b * 4 + c));
    expect_f32(r, "Out", 0, want, "transpose2 data");
  }
  {  // NCHW -> NHWC on int32 data, with a negative axis
    OpRunner r("transpose");
    std::vector<int32_t> v(2 * 3 * 2 * 2);
    std::iota(v.begin(), v.end(), 0);
    r.add_input("X", DType::kI32, {2, 3, 2, 2}, v.data(), v.size() * 4, false).output("Out").ints("axis", {0, 2, -1, 1});
    TH_CHECK_OK(r.run(&k::transpose_any_ref::create));
    const tailor::Tensor& o = r.out("Out");
    dims_eq(o.dims(), {2, 2, 2, 3}, "transpose nhwc");
    bool ok = true;
    for (int n = 0; n < 2; ++n)
      for (int h = 0; h < 2; ++h)
        for (int w = 0; w < 2; ++w)
          for (int c = 0; c < 3; ++c)
            ok = ok && o.data<int32_t>()[((n * 2 + h) * 2 + w) * 3 + c] == v[static_cast<size_t>(((n * 3 + c) * 2 + h) * 2 + w)];
    TH_CHECK(ok);
  }
  for (const auto& axis : std::vector<std::vector<int64_t>>{{0, 1}, {0, 0, 1}, {0, 1, 3}, {0, 1, -4}, {}}) {
    OpRunner r("transpose2");
    xin(r, "X", {2, 3, 4}).output("Out").ints("axis", axis);
    TH_CHECK_ERR(r.infer(&k::transpose_any_ref::create));
  }
}

// ---------------------------------------------------------------- concat / split
void test_concat() {
  {
    OpRunner r("concat");
    r.input("X", {2, 1, 2}, {0, 1, 6, 7}).input("X", {2, 2, 2}, {2, 3, 4, 5, 8, 9, 10, 11}).output("Out").i("axis", -2);
    TH_CHECK_OK(r.run(&k::concat_any_ref::create));
    dims_eq(r.out("Out").dims(), {2, 3, 2}, "concat");
    expect_f32(r, "Out", 0, iota_f(12), "concat data");
  }
  {  // AxisTensor overrides the attribute
    OpRunner r("concat");
    r.input("X", {1, 2}, {0, 1}).input("X", {1, 2}, {2, 3}).output("Out").i("axis", 1);
    const_i32(r, "AxisTensor", {1}, {0});
    TH_CHECK_OK(r.run(&k::concat_any_ref::create));
    dims_eq(r.out("Out").dims(), {2, 2}, "concat AxisTensor");
    expect_f32(r, "Out", 0, iota_f(4), "concat AxisTensor data");
  }
  {  // mismatched shapes, dtypes, axis out of range
    OpRunner r("concat");
    r.input("X", {2, 2}, iota_f(4)).input("X", {3, 3}, iota_f(9)).output("Out").i("axis", 0);
    TH_CHECK_ERR(r.infer(&k::concat_any_ref::create));
    OpRunner r2("concat");
    std::vector<int32_t> v(4);
    r2.input("X", {2, 2}, iota_f(4)).add_input("X", DType::kI32, {2, 2}, v.data(), 16, false).output("Out");
    TH_CHECK_ERR(r2.infer(&k::concat_any_ref::create));
    OpRunner r3("concat");
    r3.input("X", {2, 2}, iota_f(4)).output("Out").i("axis", 2);
    TH_CHECK_ERR(r3.infer(&k::concat_any_ref::create));
  }
}

void test_split() {
  {
    OpRunner r("split");
    xin(r, "X", {2, 6}).output("Out", 3).i("axis", 1).i("num", 3);
    TH_CHECK_OK(r.run(&k::split_any_ref::create));
    for (int i = 0; i < 3; ++i) {
      dims_eq(r.out("Out", i).dims(), {2, 2}, "split num");
      expect_f32(r, "Out", i, {2.f * i, 2.f * i + 1, 6 + 2.f * i, 7 + 2.f * i}, "split num data");
    }
  }
  {
    OpRunner r("split");
    xin(r, "X", {5, 2}).output("Out", 2).i("axis", -2).i("num", 0).ints("sections", {-1, 2});
    TH_CHECK_OK(r.run(&k::split_any_ref::create));
    dims_eq(r.out("Out", 0).dims(), {3, 2}, "split sections -1");
    expect_f32(r, "Out", 0, iota_f(6), "split sections 0");
    expect_f32(r, "Out", 1, {6, 7, 8, 9}, "split sections 1");
  }
  struct Bad { int64_t num; std::vector<int64_t> sections; int outs; int64_t axis; };
  for (const Bad& b : {Bad{4, {}, 4, 1}, Bad{3, {}, 2, 1}, Bad{0, {2, 2}, 2, 1}, Bad{0, {-1, -1}, 2, 1},
                       Bad{0, {7, -1}, 2, 1}, Bad{0, {6, -1}, 2, 1}, Bad{0, {0, 6}, 2, 1}, Bad{0, {3, 3}, 3, 1},
                       Bad{2, {}, 2, 2}, Bad{0, {}, 1, 1}}) {
    OpRunner r("split");
    xin(r, "X", {2, 6}).output("Out", b.outs).i("axis", b.axis).i("num", b.num);
    if (!b.sections.empty()) r.ints("sections", b.sections);
    TH_CHECK_ERR(r.infer(&k::split_any_ref::create));
  }
}

// ---------------------------------------------------------------- slice
void test_slice() {
  struct Case {
    std::vector<int64_t> axes, starts, ends, decrease, flags;
    Dims want;
    bool ok;
  };
  const Dims in = {3, 4, 5};
  const std::vector<Case> cases = {
      {{1}, {1}, {3}, {}, {}, {3, 2, 5}, true},
      {{0, 2}, {-2, 1}, {100, -1}, {}, {}, {2, 4, 3}, true},
      {{2}, {-100}, {2}, {}, {}, {3, 4, 2}, true},
      {{-1}, {4}, {5}, {-1}, {}, {3, 4}, true},
      {{0, 1, 2}, {0, 0, 0}, {1, 1, 1}, {0, 1, 2}, {}, {1}, true},
      {{1}, {-1}, {0}, {1}, {-1}, {3, 5}, true},  // x[:, -1]
      {{1}, {3}, {3}, {}, {}, {}, false},
      {{1}, {5}, {9}, {}, {}, {}, false},
      {{1}, {2}, {1}, {}, {}, {}, false},
      {{1}, {0}, {-100}, {}, {}, {}, false},
      {{3}, {0}, {1}, {}, {}, {}, false},
      {{1, 1}, {0, 0}, {1, 1}, {}, {}, {}, false},
      {{1}, {0}, {2}, {1}, {}, {}, false},
      {{1}, {0}, {}, {}, {}, {}, false},
      {{1}, {INT64_MIN}, {INT64_MAX}, {}, {}, {3, 4, 5}, true},
  };
  for (const Case& c : cases) {
    OpRunner r("slice");
    xin(r, "Input", in).output("Out").ints("axes", c.axes).ints("starts", c.starts).ints("ends", c.ends);
    if (!c.decrease.empty()) r.ints("decrease_axis", c.decrease);
    if (!c.flags.empty()) r.ints("infer_flags", c.flags);
    tailor::Status st = r.run(&k::slice_any_ref::create);
    if (st.ok() != c.ok) std::fprintf(stderr, "slice case: %s\n", st.message().c_str());
    TH_CHECK(st.ok() == c.ok);
    if (c.ok && st.ok()) dims_eq(r.out("Out").dims(), c.want, "slice");
  }
  {  // data, with StartsTensor / EndsTensorList overriding the attributes
    OpRunner r("slice");
    xin(r, "Input", in).output("Out").ints("axes", {1, 2}).ints("starts", {0, 0}).ints("ends", {1, 1});
    const_i64(r, "StartsTensor", {2}, {1, -2});
    const_i32(r, "EndsTensorList", {1}, {3});
    const_i32(r, "EndsTensorList", {1}, {5});
    TH_CHECK_OK(r.run(&k::slice_any_ref::create));
    dims_eq(r.out("Out").dims(), {3, 2, 2}, "slice tensors");
    std::vector<float> want;
    for (int a = 0; a < 3; ++a)
      for (int b = 1; b < 3; ++b)
        for (int c = 3; c < 5; ++c) want.push_back(static_cast<float>(a * 20 + b * 5 + c));
    expect_f32(r, "Out", 0, want, "slice data");
  }
}

}  // namespace

int main() {
  test_reshape();
  test_flatten();
  test_squeeze();
  test_unsqueeze();
  test_transpose();
  test_concat();
  test_split();
  test_slice();
  int failures = tailor::test::failure_count();
  std::printf("kernels_shape: %s (%d failures)\n", failures ? "FAILED" : "ok", failures);
  return failures ? 1 : 0;
}
