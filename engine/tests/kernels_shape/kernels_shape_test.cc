// Unit tests of the shape / layout / data-movement reference kernels:
// shape inference (including hostile attributes) and data movement, driven
// through the test harness. Run with engine/tests/kernels_shape/run.sh.
#include <algorithm>
#include <climits>
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
DECLARE_UNIT(stack_any_ref)
DECLARE_UNIT(expand_v2_any_ref)
DECLARE_UNIT(reduce_mean_any_ref)
DECLARE_UNIT(reduce_sum_any_ref)
DECLARE_UNIT(reduce_max_any_ref)
DECLARE_UNIT(reduce_min_any_ref)
DECLARE_UNIT(arg_max_any_ref)
DECLARE_UNIT(shape_any_ref)
DECLARE_UNIT(cast_any_ref)
DECLARE_UNIT(fill_constant_any_ref)
DECLARE_UNIT(gather_any_ref)
DECLARE_UNIT(pad2d_any_ref)
DECLARE_UNIT(nearest_interp_f32_ref)
DECLARE_UNIT(bilinear_interp_f32_ref)
DECLARE_UNIT(shuffle_channel_any_ref)
DECLARE_UNIT(assign_any_ref)
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

// ---------------------------------------------------------------- stack / expand
void test_stack() {
  for (int64_t axis : {0, 1, 2, -1, -3}) {
    OpRunner r("stack");
    r.input("X", {2, 2}, {0, 1, 2, 3}).input("X", {2, 2}, {4, 5, 6, 7}).output("Y").i("axis", axis);
    TH_CHECK_OK(r.run(&k::stack_any_ref::create));
    const int a = static_cast<int>(axis < 0 ? axis + 3 : axis);
    Dims want = {2, 2};
    want.insert(want.begin() + a, 2);
    dims_eq(r.out("Y").dims(), want, "stack");
    std::vector<float> y = r.out_f32("Y");
    // Y[..., i at a, ...] == X_i[...]
    bool ok = y.size() == 8;
    for (int i = 0; ok && i < 2; ++i)
      for (int p = 0; p < 2; ++p)
        for (int q = 0; q < 2; ++q) {
          int idx[3];
          int src[2] = {p, q};
          for (int d = 0, s2 = 0; d < 3; ++d) idx[d] = d == a ? i : src[s2++];
          ok = ok && y[static_cast<size_t>((idx[0] * static_cast<int>(want[1]) + idx[1]) * static_cast<int>(want[2]) + idx[2])] == static_cast<float>(i * 4 + p * 2 + q);
        }
    TH_CHECK(ok);
  }
  for (int64_t axis : {3, -4}) {
    OpRunner r("stack");
    r.input("X", {2, 2}, iota_f(4)).output("Y").i("axis", axis);
    TH_CHECK_ERR(r.infer(&k::stack_any_ref::create));
  }
  OpRunner r("stack");
  r.input("X", {2, 2}, iota_f(4)).input("X", {4}, iota_f(4)).output("Y");
  TH_CHECK_ERR(r.infer(&k::stack_any_ref::create));
}

void test_expand_v2() {
  {
    OpRunner r("expand_v2");
    r.input("X", {3, 1}, {1, 2, 3}).output("Out").ints("shape", {2, -1, 2});
    TH_CHECK_OK(r.run(&k::expand_v2_any_ref::create));
    dims_eq(r.out("Out").dims(), {2, 3, 2}, "expand_v2");
    expect_f32(r, "Out", 0, {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, "expand_v2 data");
  }
  {
    OpRunner r("expand_v2");
    r.input("X", {3, 1}, {1, 2, 3}).output("Out").ints("shape", {1});
    const_i32(r, "Shape", {2}, {3, 4});
    TH_CHECK_OK(r.run(&k::expand_v2_any_ref::create));
    dims_eq(r.out("Out").dims(), {3, 4}, "expand_v2 Shape");
  }
  for (const auto& shape : std::vector<std::vector<int64_t>>{{1}, {2, 3}, {2, 0, 1}, {4, 1}, {3, -2},
                                                             {int64_t{1} << 33, 3, 1}}) {
    OpRunner r("expand_v2");
    r.input("X", {3, 1}, {1, 2, 3}).output("Out").ints("shape", shape);
    TH_CHECK_ERR(r.infer(&k::expand_v2_any_ref::create));
  }
}

// ---------------------------------------------------------------- reductions
void test_reduce() {
  const std::vector<float> x = tailor::test::random_floats(2 * 3 * 4, 7);
  auto at = [&](int a, int b, int c) { return x[static_cast<size_t>((a * 3 + b) * 4 + c)]; };
  {  // sum over dims 0 and 2, keep_dim
    OpRunner r("reduce_sum");
    r.input("X", {2, 3, 4}, x).output("Out").ints("dim", {0, -1}).b("keep_dim", true);
    TH_CHECK_OK(r.run(&k::reduce_sum_any_ref::create));
    dims_eq(r.out("Out").dims(), {1, 3, 1}, "reduce_sum keep");
    std::vector<float> want(3, 0.f);
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 3; ++b)
        for (int c = 0; c < 4; ++c) want[static_cast<size_t>(b)] += at(a, b, c);
    tailor::test::close(r.out_f32("Out"), want, 1e-6, "reduce_sum data");
  }
  {  // mean over dim 1
    OpRunner r("reduce_mean");
    r.input("X", {2, 3, 4}, x).output("Out").ints("dim", {1});
    TH_CHECK_OK(r.run(&k::reduce_mean_any_ref::create));
    dims_eq(r.out("Out").dims(), {2, 4}, "reduce_mean");
    std::vector<float> want(8, 0.f);
    for (int a = 0; a < 2; ++a)
      for (int c = 0; c < 4; ++c) {
        for (int b = 0; b < 3; ++b) want[static_cast<size_t>(a * 4 + c)] += at(a, b, c);
        want[static_cast<size_t>(a * 4 + c)] /= 3;
      }
    tailor::test::close(r.out_f32("Out"), want, 1e-6, "reduce_mean data");
  }
  {  // reduce_all -> [1]; keep_dim -> all ones
    OpRunner r("reduce_max");
    r.input("X", {2, 3, 4}, x).output("Out").ints("dim", {0}).b("reduce_all", true);
    TH_CHECK_OK(r.run(&k::reduce_max_any_ref::create));
    dims_eq(r.out("Out").dims(), {1}, "reduce_max all");
    tailor::test::close(r.out_f32("Out"), {*std::max_element(x.begin(), x.end())}, 0, "reduce_max data");
    OpRunner r2("reduce_min");
    r2.input("X", {2, 3, 4}, x).output("Out").ints("dim", {2, 1, 0}).b("keep_dim", true);
    TH_CHECK_OK(r2.run(&k::reduce_min_any_ref::create));
    dims_eq(r2.out("Out").dims(), {1, 1, 1}, "reduce_min all keep");
    tailor::test::close(r2.out_f32("Out"), {*std::min_element(x.begin(), x.end())}, 0, "reduce_min data");
  }
  {  // int64 sum and mean
    std::vector<int64_t> v = {1, 2, 3, 4, 5, 7};
    OpRunner r("reduce_mean");
    r.add_input("X", DType::kI64, {2, 3}, v.data(), 48, false).output("Out").ints("dim", {1});
    TH_CHECK_OK(r.run(&k::reduce_mean_any_ref::create));
    TH_CHECK(r.out("Out").dtype() == DType::kI64 && r.out("Out").data<int64_t>()[0] == 2 &&
             r.out("Out").data<int64_t>()[1] == 5);
  }
  for (const auto& dim : std::vector<std::vector<int64_t>>{{3}, {-4}, {0, 5}}) {
    OpRunner r("reduce_sum");
    r.input("X", {2, 3, 4}, x).output("Out").ints("dim", dim);
    TH_CHECK_ERR(r.infer(&k::reduce_sum_any_ref::create));
  }
}

void test_arg_max() {
  {
    OpRunner r("arg_max");
    r.input("X", {2, 3}, {0, 5, 5, 9, 1, 2}).output("Out").i("axis", 1);
    TH_CHECK_OK(r.run(&k::arg_max_any_ref::create));
    const tailor::Tensor& o = r.out("Out");
    dims_eq(o.dims(), {2}, "arg_max");
    TH_CHECK(o.dtype() == DType::kI64 && o.data<int64_t>()[0] == 1 && o.data<int64_t>()[1] == 0);
  }
  {
    OpRunner r("arg_max");
    r.input("X", {2, 3}, {0, 5, 5, 9, 1, 2}).output("Out").i("axis", -2).b("keepdims", true).i("dtype", 2);
    TH_CHECK_OK(r.run(&k::arg_max_any_ref::create));
    const tailor::Tensor& o = r.out("Out");
    dims_eq(o.dims(), {1, 3}, "arg_max keepdims");
    TH_CHECK(o.dtype() == DType::kI32 && o.data<int32_t>()[0] == 1 && o.data<int32_t>()[1] == 0 &&
             o.data<int32_t>()[2] == 0);
  }
  {
    OpRunner r("arg_max");
    r.input("X", {2, 3}, {0, 5, 5, 9, 1, 2}).output("Out").b("flatten", true);
    TH_CHECK_OK(r.run(&k::arg_max_any_ref::create));
    TH_CHECK(r.out("Out").numel() == 1 && r.out("Out").data<int64_t>()[0] == 3);
  }
  for (int64_t axis : {2, -3}) {
    OpRunner r("arg_max");
    r.input("X", {2, 3}, iota_f(6)).output("Out").i("axis", axis);
    TH_CHECK_ERR(r.infer(&k::arg_max_any_ref::create));
  }
  OpRunner r("arg_max");
  r.input("X", {2, 3}, iota_f(6)).output("Out").i("axis", 0).i("dtype", 5);
  TH_CHECK_ERR(r.infer(&k::arg_max_any_ref::create));
}

// ---------------------------------------------------------------- shape / cast / fill_constant / assign
void test_shape_cast_fill() {
  {
    OpRunner r("shape");
    xin(r, "Input", {2, 3, 4}).output("Out");
    TH_CHECK_OK(r.run(&k::shape_any_ref::create));
    const tailor::Tensor& o = r.out("Out");
    TH_CHECK(o.dtype() == DType::kI32 && o.dims() == Dims{3} && o.data<int32_t>()[0] == 2 &&
             o.data<int32_t>()[2] == 4);
  }
  {
    OpRunner r("cast");
    r.input("X", {5}, {-2.7f, -0.5f, 0.f, 3.9f, 1e20f}).output("Out").i("in_dtype", 5).i("out_dtype", 2);
    TH_CHECK_OK(r.run(&k::cast_any_ref::create));
    const int32_t* o = r.out("Out").data<int32_t>();
    TH_CHECK(r.out("Out").dtype() == DType::kI32 && o[0] == -2 && o[1] == 0 && o[3] == 3 && o[4] == INT32_MAX);
    OpRunner r2("cast");
    std::vector<int64_t> v = {-3, 0, 7};
    r2.add_input("X", DType::kI64, {3}, v.data(), 24, false).output("Out").i("out_dtype", 5);
    TH_CHECK_OK(r2.run(&k::cast_any_ref::create));
    expect_f32(r2, "Out", 0, {-3, 0, 7}, "cast i64->f32");
    OpRunner r3("cast");
    r3.input("X", {2}, {0.f, -0.25f}).output("Out").i("out_dtype", 0);
    TH_CHECK_OK(r3.run(&k::cast_any_ref::create));
    TH_CHECK(r3.out("Out").dtype() == DType::kBool && r3.out("Out").data<uint8_t>()[0] == 0 &&
             r3.out("Out").data<uint8_t>()[1] == 1);
    for (int64_t to : {4, 7, 99, -1}) {
      OpRunner rb("cast");
      rb.input("X", {2}, {0.f, 1.f}).output("Out").i("out_dtype", to);
      TH_CHECK_ERR(rb.infer(&k::cast_any_ref::create));
    }
  }
  {
    OpRunner r("fill_constant");
    r.output("Out").ints("shape", {2, 3}).i("dtype", 5).f("value", 1.5).s("str_value", "1.5");
    TH_CHECK_OK(r.run(&k::fill_constant_any_ref::create));
    expect_f32(r, "Out", 0, std::vector<float>(6, 1.5f), "fill_constant");
    OpRunner r2("fill_constant");  // exact int64 through str_value; ShapeTensorList
    r2.output("Out").ints("shape", {9}).i("dtype", 3).f("value", 0).s("str_value", "9007199254740993");
    const_i32(r2, "ShapeTensorList", {1}, {2});
    TH_CHECK_OK(r2.run(&k::fill_constant_any_ref::create));
    TH_CHECK(r2.out("Out").dims() == Dims{2} && r2.out("Out").data<int64_t>()[1] == 9007199254740993LL);
    OpRunner r3("fill_constant");  // runtime ShapeTensor matching the attribute: planned from it, checked in run
    r3.output("Out").ints("shape", {2, 2}).i("dtype", 5).f("value", 2);
    rt_i32(r3, "ShapeTensor", {2}, {2, 2});
    TH_CHECK_OK(r3.run(&k::fill_constant_any_ref::create));
    expect_f32(r3, "Out", 0, std::vector<float>(4, 2.f), "fill_constant runtime ShapeTensor");
    OpRunner r4("fill_constant");
    r4.output("Out").ints("shape", {2, 2}).i("dtype", 5);
    rt_i32(r4, "ShapeTensor", {2}, {2, 3});
    TH_CHECK_ERR(r4.run(&k::fill_constant_any_ref::create));
    for (const auto& shape : std::vector<std::vector<int64_t>>{{0}, {-1, 2}, {1 << 20, 1 << 20}}) {
      OpRunner rb("fill_constant");
      rb.output("Out").i("dtype", 5).ints("shape", shape);
      TH_CHECK_ERR(rb.infer(&k::fill_constant_any_ref::create));
    }
    OpRunner rs("fill_constant");
    rs.output("Out").ints("shape", {1}).i("dtype", 5).s("str_value", "abc");
    TH_CHECK_ERR(rs.infer(&k::fill_constant_any_ref::create));
  }
  {
    OpRunner r("assign");
    xin(r, "X", {2, 2}).output("Out");
    TH_CHECK_OK(r.run(&k::assign_any_ref::create));
    expect_f32(r, "Out", 0, iota_f(4), "assign");
  }
}

// ---------------------------------------------------------------- gather / pad2d / shuffle_channel
void test_gather() {
  {
    OpRunner r("gather");
    xin(r, "X", {3, 2}).output("Out").i("axis", 0);
    const_i32(r, "Index", {4}, {2, 0, 2, 1});
    TH_CHECK_OK(r.run(&k::gather_any_ref::create));
    dims_eq(r.out("Out").dims(), {4, 2}, "gather");
    expect_f32(r, "Out", 0, {4, 5, 0, 1, 4, 5, 2, 3}, "gather data");
  }
  {
    OpRunner r("gather");
    xin(r, "X", {2, 3}).output("Out").i("axis", 0);
    std::vector<int64_t> idx = {2, 2};
    r.add_input("Index", DType::kI64, {2, 1}, idx.data(), 16, false);
    const_i64(r, "Axis", {1}, {1});
    TH_CHECK_OK(r.run(&k::gather_any_ref::create));
    dims_eq(r.out("Out").dims(), {2, 2}, "gather axis tensor");
    expect_f32(r, "Out", 0, {2, 2, 5, 5}, "gather axis data");
  }
  for (int32_t bad : {3, -1}) {  // out-of-range index fails the run
    OpRunner r("gather");
    xin(r, "X", {3, 2}).output("Out");
    rt_i32(r, "Index", {1}, {bad});
    TH_CHECK_ERR(r.run(&k::gather_any_ref::create));
  }
  OpRunner r("gather");
  xin(r, "X", {3, 2}).output("Out").i("axis", 2);
  const_i32(r, "Index", {1}, {0});
  TH_CHECK_ERR(r.infer(&k::gather_any_ref::create));
}

void test_pad2d() {
  // 1x1x2x3 input 0..5, paddings [top, bottom, left, right] = [1, 0, 2, 1]
  struct Case { const char* mode; std::vector<float> want; };
  const std::vector<Case> cases = {
      {"constant", {9, 9, 9, 9, 9, 9, 9, 9, 0, 1, 2, 9, 9, 9, 3, 4, 5, 9}},
      {"edge", {0, 0, 0, 1, 2, 2, 0, 0, 0, 1, 2, 2, 3, 3, 3, 4, 5, 5}},
      {"reflect", {5, 4, 3, 4, 5, 4, 2, 1, 0, 1, 2, 1, 5, 4, 3, 4, 5, 4}},
  };
  for (const Case& c : cases) {
    OpRunner r("pad2d");
    xin(r, "X", {1, 1, 2, 3}).output("Out").ints("paddings", {1, 0, 2, 1}).s("mode", c.mode).f("pad_value", 9)
        .s("data_format", "NCHW");
    TH_CHECK_OK(r.run(&k::pad2d_any_ref::create));
    dims_eq(r.out("Out").dims(), {1, 1, 3, 6}, "pad2d");
    expect_f32(r, "Out", 0, c.want, c.mode);
  }
  {  // NHWC matches NCHW on a 1-channel input
    OpRunner r("pad2d");
    xin(r, "X", {1, 2, 3, 1}).output("Out").ints("paddings", {1, 0, 2, 1}).s("mode", "reflect").s("data_format", "NHWC");
    TH_CHECK_OK(r.run(&k::pad2d_any_ref::create));
    dims_eq(r.out("Out").dims(), {1, 3, 6, 1}, "pad2d nhwc");
    expect_f32(r, "Out", 0, cases[2].want, "pad2d nhwc data");
  }
  struct Bad { std::vector<int64_t> p; const char* mode; };
  for (const Bad& b : {Bad{{2, 0, 0, 0}, "reflect"}, Bad{{0, 0, 0, 3}, "reflect"}, Bad{{-1, 0, 0, 0}, "constant"},
                       Bad{{0, 0, 0}, "constant"}, Bad{{0, 0, 0, 0}, "circular"},
                       Bad{{int64_t{1} << 40, 0, 0, 0}, "constant"}}) {
    OpRunner r("pad2d");
    xin(r, "X", {1, 1, 2, 3}).output("Out").ints("paddings", b.p).s("mode", b.mode);
    TH_CHECK_ERR(r.infer(&k::pad2d_any_ref::create));
  }
}

void test_shuffle_channel() {
  OpRunner r("shuffle_channel");
  xin(r, "X", {1, 6, 1, 2}).output("Out").i("group", 3);
  TH_CHECK_OK(r.run(&k::shuffle_channel_any_ref::create));
  // channels [0..5] as [3 groups x 2] -> order 0,2,4,1,3,5
  expect_f32(r, "Out", 0, {0, 1, 4, 5, 8, 9, 2, 3, 6, 7, 10, 11}, "shuffle_channel");
  for (int64_t g : {0, 4, -1}) {
    OpRunner rb("shuffle_channel");
    xin(rb, "X", {1, 6, 1, 2}).output("Out").i("group", g);
    TH_CHECK_ERR(rb.infer(&k::shuffle_channel_any_ref::create));
  }
}

// ---------------------------------------------------------------- interpolation
void test_interp() {
  const std::vector<float> x = iota_f(6);  // 1x1x2x3
  {  // nearest x2, not aligned: index = floor(o / 2)
    OpRunner r("nearest_interp_v2");
    r.input("X", {1, 1, 2, 3}, x).output("Out").floats("scale", {2.0, 2.0}).b("align_corners", false)
        .s("data_layout", "NCHW").i("out_h", -1).i("out_w", -1);
    TH_CHECK_OK(r.run(&k::nearest_interp_f32_ref::create));
    dims_eq(r.out("Out").dims(), {1, 1, 4, 6}, "nearest v2");
    std::vector<float> want;
    for (int h = 0; h < 4; ++h)
      for (int w = 0; w < 6; ++w) want.push_back(x[static_cast<size_t>(h / 2 * 3 + w / 2)]);
    expect_f32(r, "Out", 0, want, "nearest v2 data");
  }
  {  // nearest v1 with align_corners: round((in-1)/(out-1) * o)
    OpRunner r("nearest_interp");
    r.input("X", {1, 1, 2, 3}, x).output("Out").i("out_h", 3).i("out_w", 5).b("align_corners", true);
    TH_CHECK_OK(r.run(&k::nearest_interp_f32_ref::create));
    dims_eq(r.out("Out").dims(), {1, 1, 3, 5}, "nearest v1");
    std::vector<float> want;
    const int rows[3] = {0, 1, 1}, cols[5] = {0, 1, 1, 2, 2};  // 0.5*o+0.5 and 0.5*o+0.5 truncated
    for (int h : rows)
      for (int w : cols) want.push_back(x[static_cast<size_t>(h * 3 + w)]);
    expect_f32(r, "Out", 0, want, "nearest v1 data");
  }
  {  // bilinear align_corners maps corners to corners; OutSize overrides scale
    OpRunner r("bilinear_interp_v2");
    r.input("X", {1, 1, 2, 3}, x).output("Out").floats("scale", {4.0, 4.0}).b("align_corners", true).i("align_mode", 1);
    const_i32(r, "OutSize", {2}, {3, 5});
    TH_CHECK_OK(r.run(&k::bilinear_interp_f32_ref::create));
    dims_eq(r.out("Out").dims(), {1, 1, 3, 5}, "bilinear v2");
    std::vector<float> want;  // linear data stays linear: v(h, w) = 3 * h * 1/2 + w * 2/4
    for (int h = 0; h < 3; ++h)
      for (int w = 0; w < 5; ++w) want.push_back(3.f * 0.5f * h + 0.5f * w);
    tailor::test::close(r.out_f32("Out"), want, 1e-6, "bilinear v2 data");
  }
  {  // bilinear half-pixel (align_mode 0), x2: edges clamp
    OpRunner r("bilinear_interp");
    r.input("X", {1, 1, 1, 2}, {0, 4}).output("Out").f("scale", 2.0).b("align_corners", false).i("align_mode", 0);
    TH_CHECK_OK(r.run(&k::bilinear_interp_f32_ref::create));
    dims_eq(r.out("Out").dims(), {1, 1, 2, 4}, "bilinear v1");
    expect_f32(r, "Out", 0, {0, 1, 3, 4, 0, 1, 3, 4}, "bilinear v1 data");
  }
  struct Bad { const char* op; std::vector<double> scale; int64_t oh, ow; };
  for (const Bad& b : {Bad{"nearest_interp_v2", {}, -1, -1}, Bad{"bilinear_interp_v2", {0.1, 0.1}, -1, -1},
                       Bad{"nearest_interp_v2", {1e12, 1e12}, -1, -1}, Bad{"bilinear_interp", {}, 0, 4},
                       Bad{"nearest_interp", {}, 1 << 20, 1 << 20}}) {
    OpRunner r(b.op);
    r.input("X", {1, 1, 2, 3}, x).output("Out").i("out_h", b.oh).i("out_w", b.ow);
    if (!b.scale.empty()) r.floats("scale", b.scale);
    TH_CHECK_ERR(r.infer(b.op[0] == 'n' ? &k::nearest_interp_f32_ref::create : &k::bilinear_interp_f32_ref::create));
  }
  OpRunner r("bilinear_interp");  // 3-D input refused
  r.input("X", {1, 2, 3}, x).output("Out").i("out_h", 2).i("out_w", 2);
  TH_CHECK_ERR(r.infer(&k::bilinear_interp_f32_ref::create));
}

// ---------------------------------------------------------------- hostile attributes
// Random small shapes and random (often invalid) attribute values for every
// kernel: infer() must either refuse or declare shapes that run() fills
// without touching memory it does not own (run.sh --asan checks the latter).
struct Rng {
  uint64_t s;
  uint64_t next() { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
  int64_t in(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1)); }
  std::vector<int64_t> list(int64_t lo, int64_t hi, int max_len) {
    std::vector<int64_t> v(static_cast<size_t>(in(0, max_len)));
    for (int64_t& x : v) x = in(lo, hi);
    return v;
  }
};

void test_hostile() {
  struct Target { const char* op; tailor::KernelFactory f; const char* in_slot; const char* out_slot; int n_in, n_out; };
  const Target targets[] = {
      {"reshape2", &k::reshape_any_ref::create, "X", "Out", 1, 1},
      {"flatten2", &k::flatten_any_ref::create, "X", "Out", 1, 1},
      {"flatten_contiguous_range", &k::flatten_contiguous_range_any_ref::create, "X", "Out", 1, 1},
      {"squeeze2", &k::squeeze_any_ref::create, "X", "Out", 1, 1},
      {"unsqueeze2", &k::unsqueeze_any_ref::create, "X", "Out", 1, 1},
      {"transpose2", &k::transpose_any_ref::create, "X", "Out", 1, 1},
      {"concat", &k::concat_any_ref::create, "X", "Out", 2, 1},
      {"split", &k::split_any_ref::create, "X", "Out", 1, 2},
      {"slice", &k::slice_any_ref::create, "Input", "Out", 1, 1},
      {"stack", &k::stack_any_ref::create, "X", "Y", 3, 1},
      {"expand_v2", &k::expand_v2_any_ref::create, "X", "Out", 1, 1},
      {"reduce_mean", &k::reduce_mean_any_ref::create, "X", "Out", 1, 1},
      {"reduce_max", &k::reduce_max_any_ref::create, "X", "Out", 1, 1},
      {"arg_max", &k::arg_max_any_ref::create, "X", "Out", 1, 1},
      {"gather", &k::gather_any_ref::create, "X", "Out", 1, 1},
      {"pad2d", &k::pad2d_any_ref::create, "X", "Out", 1, 1},
      {"nearest_interp_v2", &k::nearest_interp_f32_ref::create, "X", "Out", 1, 1},
      {"bilinear_interp", &k::bilinear_interp_f32_ref::create, "X", "Out", 1, 1},
      {"shuffle_channel", &k::shuffle_channel_any_ref::create, "X", "Out", 1, 1},
  };
  Rng rng{0x9e3779b97f4a7c15ull};
  int ran = 0;
  for (const Target& t : targets) {
    for (int iter = 0; iter < 300; ++iter) {
      Dims d(static_cast<size_t>(rng.in(0, 4)));
      for (int64_t& v : d) v = rng.in(1, 4);
      OpRunner r(t.op);
      for (int i = 0; i < t.n_in; ++i) {
        Dims di = d;
        if (rng.in(0, 9) == 0 && !di.empty()) di[0] += 1;  // occasionally mismatched inputs
        xin(r, t.in_slot, di);
      }
      if (std::string(t.op) == "gather") {
        std::vector<int32_t> idx(static_cast<size_t>(rng.in(1, 3)));
        for (int32_t& v : idx) v = static_cast<int32_t>(rng.in(-1, 4));
        const_i32(r, "Index", {static_cast<int64_t>(idx.size())}, idx);
      }
      r.output(t.out_slot, t.n_out);
      for (const char* a : {"shape", "axes", "axis", "starts", "ends", "decrease_axis", "dim", "paddings", "sections",
                            "infer_flags"}) {
        if (rng.in(0, 2)) r.ints(a, rng.list(-6, 6, 5));
      }
      for (const char* a : {"axis", "start_axis", "stop_axis", "num", "group", "out_h", "out_w", "align_mode", "dtype"}) {
        if (rng.in(0, 2)) r.i(a, rng.in(-6, 9));
      }
      if (rng.in(0, 1)) r.b("keep_dim", true);
      if (rng.in(0, 1)) r.b("align_corners", rng.in(0, 1) != 0);
      if (rng.in(0, 2)) r.floats("scale", {static_cast<double>(rng.in(-2, 6)) / 2, static_cast<double>(rng.in(-2, 6)) / 2});
      if (rng.in(0, 2)) r.s("mode", rng.in(0, 1) ? "reflect" : "edge");
      if (r.run(t.f).ok()) ++ran;  // failures are fine; crashes and overruns are not
    }
  }
  std::printf("hostile: %d of %zu random cases valid\n", ran, sizeof(targets) / sizeof(targets[0]) * 300);
  TH_CHECK(ran > 100);  // the generator must also produce valid cases
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
  test_stack();
  test_expand_v2();
  test_reduce();
  test_arg_max();
  test_shape_cast_fill();
  test_gather();
  test_pad2d();
  test_shuffle_channel();
  test_interp();
  test_hostile();
  int failures = tailor::test::failure_count();
  std::printf("kernels_shape: %s (%d failures)\n", failures ? "FAILED" : "ok", failures);
  return failures ? 1 : 0;
}
