// Unit tests of the pad3d reference kernel (pad3d.f32.ref): shape inference,
// validation of hostile attributes, and the four modes in both layouts against
// hand-computed values (numpy.pad) and an independent naive reference.
// Run with engine/tests/kernels_pad3d/run.sh.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "harness/kernel_harness.h"

namespace tailor::kernels::pad3d_f32_ref {
Status create(const KernelInit&, std::unique_ptr<Kernel>*);
}

using tailor::Dims;
using tailor::DType;
using tailor::test::OpRunner;

namespace {

constexpr auto kCreate = &tailor::kernels::pad3d_f32_ref::create;

size_t numel(const Dims& d) {
  size_t n = 1;
  for (int64_t v : d) n *= static_cast<size_t>(v);
  return n;
}

std::vector<float> iota_f(size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.f);
  return v;
}

OpRunner make(const Dims& x_dims, const std::vector<float>& x, const std::string& mode,
              const std::vector<int64_t>& paddings) {
  OpRunner r("pad3d");
  r.input("X", x_dims, x).output("Out").s("mode", mode).ints("paddings", paddings).f("value", 0.0);
  return r;
}

void check_dims(const Dims& got, const Dims& want, const char* what) {
  if (got == want) return;
  std::fprintf(stderr, "%s: dims mismatch\n", what);
  ++tailor::test::failure_count();
}

// Independent reference: per-axis source index by stepping, not by formula.
int64_t ref_source(int64_t i, int64_t size, const std::string& mode) {
  if (i >= 0 && i < size) return i;
  if (mode == "constant") return -1;
  if (mode == "replicate") return i < 0 ? 0 : size - 1;
  if (mode == "circular") {
    while (i < 0) i += size;
    while (i >= size) i -= size;
    return i;
  }
  // reflect: bounce off the edges
  while (i < 0 || i >= size) i = i < 0 ? -i : 2 * (size - 1) - i;
  return i;
}

// x in NCDHW; paddings [l, r, t, b, f, k]; output NCDHW.
std::vector<float> ref_pad(const Dims& d, const std::vector<float>& x, const std::string& mode,
                           const std::vector<int64_t>& p, float value, Dims* out_dims) {
  const int64_t n = d[0], c = d[1], id = d[2], ih = d[3], iw = d[4];
  const int64_t od = id + p[4] + p[5], oh = ih + p[2] + p[3], ow = iw + p[0] + p[1];
  *out_dims = {n, c, od, oh, ow};
  std::vector<float> y;
  for (int64_t b = 0; b < n * c; ++b)
    for (int64_t z = 0; z < od; ++z)
      for (int64_t h = 0; h < oh; ++h)
        for (int64_t w = 0; w < ow; ++w) {
          const int64_t sz = ref_source(z - p[4], id, mode), sh = ref_source(h - p[2], ih, mode),
                        sw = ref_source(w - p[0], iw, mode);
          y.push_back(sz < 0 || sh < 0 || sw < 0 ? value
                                                 : x[static_cast<size_t>(((b * id + sz) * ih + sh) * iw + sw)]);
        }
  return y;
}

// NCDHW <-> NDHWC
std::vector<float> to_ndhwc(const Dims& d, const std::vector<float>& x) {
  std::vector<float> y(x.size());
  const int64_t n = d[0], c = d[1], s = d[2] * d[3] * d[4];
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t k = 0; k < s; ++k) y[static_cast<size_t>((b * s + k) * c + ch)] = x[static_cast<size_t>((b * c + ch) * s + k)];
  return y;
}

void test_hand_cases() {
  // 1x1x1x2x3 input 0..5; paddings [left, right, top, bottom, front, back].
  const Dims d = {1, 1, 1, 2, 3};
  struct Case {
    const char* mode;
    std::vector<int64_t> pads;
    Dims out;
    std::vector<float> want;
  };
  const std::vector<Case> cases = {
      {"constant", {1, 0, 0, 1, 1, 0}, {1, 1, 2, 3, 4},
       {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 1, 2, 9, 3, 4, 5, 9, 9, 9, 9}},
      {"reflect", {1, 0, 0, 1, 0, 0}, {1, 1, 1, 3, 4}, {1, 0, 1, 2, 4, 3, 4, 5, 1, 0, 1, 2}},
      {"replicate", {1, 0, 0, 1, 1, 0}, {1, 1, 2, 3, 4},
       {0, 0, 1, 2, 3, 3, 4, 5, 3, 3, 4, 5, 0, 0, 1, 2, 3, 3, 4, 5, 3, 3, 4, 5}},
      {"circular", {1, 0, 0, 1, 1, 0}, {1, 1, 2, 3, 4},
       {2, 0, 1, 2, 5, 3, 4, 5, 2, 0, 1, 2, 2, 0, 1, 2, 5, 3, 4, 5, 2, 0, 1, 2}},
  };
  for (const Case& k : cases) {
    OpRunner r = make(d, iota_f(6), k.mode, k.pads);
    r.f("value", 9.0);
    TH_CHECK_OK(r.run(kCreate));
    check_dims(r.out("Out").dims(), k.out, k.mode);
    tailor::test::close(r.out_f32("Out"), k.want, 0, k.mode);
  }
  {  // default mode is constant, default value 0, default data_format NCDHW
    OpRunner r("pad3d");
    r.input("X", d, iota_f(6)).output("Out").ints("paddings", {0, 1, 0, 0, 0, 0});
    TH_CHECK_OK(r.run(kCreate));
    tailor::test::close(r.out_f32("Out"), {0, 1, 2, 0, 3, 4, 5, 0}, 0, "defaults");
  }
}

void test_against_reference() {
  struct Case {
    Dims d;
    std::vector<int64_t> pads;
  };
  const std::vector<Case> cases = {
      {{1, 2, 2, 3, 4}, {1, 1, 0, 2, 1, 0}},  // the fixtures' geometry
      {{2, 3, 3, 4, 5}, {2, 1, 3, 0, 1, 2}},
      {{1, 1, 4, 4, 4}, {0, 0, 0, 0, 0, 0}},
      {{1, 2, 5, 2, 3}, {2, 2, 1, 1, 4, 3}},
      {{2, 1, 2, 2, 2}, {1, 1, 1, 1, 1, 1}},
  };
  uint32_t seed = 1;
  for (const Case& k : cases) {
    const std::vector<float> x = tailor::test::random_floats(numel(k.d), seed++);
    for (const char* mode : {"constant", "reflect", "replicate", "circular"}) {
      const std::string m = mode;
      bool reflect_ok = true;
      for (int a = 0; a < 3; ++a) {
        const int64_t size = k.d[static_cast<size_t>(4 - a)];
        if (k.pads[static_cast<size_t>(2 * a)] >= size || k.pads[static_cast<size_t>(2 * a + 1)] >= size) reflect_ok = false;
      }
      const std::string what = m + " " + std::to_string(seed);
      if (m == "reflect" && !reflect_ok) {
        OpRunner r = make(k.d, x, m, k.pads);
        TH_CHECK_ERR(r.infer(kCreate));
        continue;
      }
      Dims want_dims;
      const std::vector<float> want = ref_pad(k.d, x, m, k.pads, -2.5f, &want_dims);
      {  // NCDHW
        OpRunner r = make(k.d, x, m, k.pads);
        r.f("value", -2.5).s("data_format", "NCDHW");
        TH_CHECK_OK(r.run(kCreate));
        check_dims(r.out("Out").dims(), want_dims, what.c_str());
        tailor::test::close(r.out_f32("Out"), want, 0, (what + " ncdhw").c_str());
        TH_CHECK_OK(r.rerun());  // stateless across runs
        tailor::test::close(r.out_f32("Out"), want, 0, (what + " ncdhw rerun").c_str());
      }
      {  // NDHWC: same values, channels last
        const Dims dl = {k.d[0], k.d[2], k.d[3], k.d[4], k.d[1]};
        OpRunner r = make(dl, to_ndhwc(k.d, x), m, k.pads);
        r.f("value", -2.5).s("data_format", "NDHWC");
        TH_CHECK_OK(r.run(kCreate));
        check_dims(r.out("Out").dims(), {want_dims[0], want_dims[2], want_dims[3], want_dims[4], want_dims[1]},
                   (what + " ndhwc").c_str());
        tailor::test::close(r.out_f32("Out"), to_ndhwc(want_dims, want), 0, (what + " ndhwc").c_str());
      }
    }
  }
  {  // circular with pads larger than the axis wraps more than once
    const Dims d = {1, 1, 1, 1, 3};
    OpRunner r = make(d, iota_f(3), "circular", {4, 5, 0, 0, 0, 0});
    TH_CHECK_OK(r.run(kCreate));
    tailor::test::close(r.out_f32("Out"), {2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1}, 0, "circular wrap twice");
  }
}

void test_paddings_tensor() {
  const Dims d = {1, 1, 1, 2, 3};
  {  // a constant Paddings tensor wins over the attribute
    OpRunner r = make(d, iota_f(6), "constant", {0, 0, 0, 0, 0, 0});
    std::vector<int32_t> p = {0, 1, 0, 0, 0, 0};
    r.add_input("Paddings", DType::kI32, {6}, p.data(), p.size() * 4, true);
    TH_CHECK_OK(r.run(kCreate));
    check_dims(r.out("Out").dims(), {1, 1, 1, 2, 4}, "Paddings tensor");
    tailor::test::close(r.out_f32("Out"), {0, 1, 2, 0, 3, 4, 5, 0}, 0, "Paddings tensor");
  }
  {  // int64 also accepted
    OpRunner r = make(d, iota_f(6), "constant", {0, 0, 0, 0, 0, 0});
    std::vector<int64_t> p = {0, 0, 0, 0, 1, 0};
    r.add_input("Paddings", DType::kI64, {6}, p.data(), p.size() * 8, true);
    TH_CHECK_OK(r.run(kCreate));
    check_dims(r.out("Out").dims(), {1, 1, 2, 2, 3}, "Paddings int64");
  }
  {  // computed at run time: refused at plan time
    OpRunner r = make(d, iota_f(6), "constant", {0, 0, 0, 0, 0, 0});
    std::vector<int32_t> p = {0, 1, 0, 0, 0, 0};
    r.add_input("Paddings", DType::kI32, {6}, p.data(), p.size() * 4, false);
    tailor::Status s = r.infer(kCreate);
    TH_CHECK(!s.ok() && s.code() == tailor::StatusCode::kUnsupported);
  }
  {  // wrong count
    OpRunner r = make(d, iota_f(6), "constant", {0, 0, 0, 0, 0, 0});
    std::vector<int32_t> p = {0, 1, 0, 0};
    r.add_input("Paddings", DType::kI32, {4}, p.data(), p.size() * 4, true);
    TH_CHECK_ERR(r.infer(kCreate));
  }
  {  // float Paddings
    OpRunner r = make(d, iota_f(6), "constant", {0, 0, 0, 0, 0, 0});
    r.param("Paddings", {6}, {0, 1, 0, 0, 0, 0});
    TH_CHECK_ERR(r.infer(kCreate));
  }
}

void expect_error(OpRunner& r, const char* what) {
  tailor::Status s = r.infer(kCreate);
  if (s.ok()) {
    std::fprintf(stderr, "%s: infer unexpectedly ok\n", what);
    ++tailor::test::failure_count();
  } else if (s.message().rfind("pad3d", 0) != 0) {
    std::fprintf(stderr, "%s: error does not name the op: %s\n", what, s.message().c_str());
    ++tailor::test::failure_count();
  }
}

void test_validation() {
  const Dims d = {1, 2, 2, 3, 4};
  const std::vector<float> x = iota_f(numel(d));
  const int64_t big = std::numeric_limits<int64_t>::max();
  struct Bad {
    const char* what;
    Dims dims;
    std::string mode;
    std::vector<int64_t> pads;
  };
  const std::vector<Bad> bad = {
      {"rank 4", {2, 2, 3, 4}, "constant", {0, 0, 0, 0, 0, 0}},
      {"5 paddings", d, "constant", {0, 0, 0, 0, 0}},
      {"no paddings", d, "constant", {}},
      {"negative left", d, "constant", {-1, 0, 0, 0, 0, 0}},
      {"negative back", d, "replicate", {0, 0, 0, 0, 0, -3}},
      {"reflect pad == width", d, "reflect", {4, 0, 0, 0, 0, 0}},
      {"reflect pad == depth", d, "reflect", {0, 0, 0, 0, 0, 2}},
      {"reflect pad == height", d, "reflect", {0, 0, 3, 0, 0, 0}},
      {"huge pad", d, "constant", {big, 0, 0, 0, 0, 0}},
      {"huge pads both sides", d, "circular", {0, 0, big / 2, big / 2, 0, 0}},
      {"output too large", d, "constant", {0, 0, 0, 0, 1 << 30, 1 << 30}},
      {"output too large (product)", d, "constant", {1 << 15, 0, 1 << 15, 0, 0, 0}},
      {"mode edge", d, "edge", {0, 0, 0, 0, 0, 0}},
      {"mode unknown", d, "symmetric", {0, 0, 0, 0, 0, 0}},
  };
  for (const Bad& b : bad) {
    OpRunner r("pad3d");
    r.input("X", b.dims, iota_f(numel(b.dims))).output("Out").s("mode", b.mode).ints("paddings", b.pads);
    expect_error(r, b.what);
  }
  {
    OpRunner r = make(d, x, "constant", {0, 0, 0, 0, 0, 0});
    r.s("data_format", "NCHW");
    expect_error(r, "data_format NCHW");
  }
  {
    std::vector<int32_t> xi(numel(d), 1);
    OpRunner r("pad3d");
    r.add_input("X", DType::kI32, d, xi.data(), xi.size() * 4, false).output("Out").ints("paddings", {0, 0, 0, 0, 0, 0});
    tailor::Status s = r.infer(kCreate);
    TH_CHECK(!s.ok() && s.code() == tailor::StatusCode::kUnsupported);
  }
  {  // missing output
    OpRunner r("pad3d");
    r.input("X", d, x).ints("paddings", {0, 0, 0, 0, 0, 0});
    expect_error(r, "no Out");
  }
  {  // reflect at the limit (pad == size - 1) is fine
    OpRunner r = make(d, x, "reflect", {3, 3, 2, 2, 1, 1});
    TH_CHECK_OK(r.run(kCreate));
    check_dims(r.out("Out").dims(), {1, 2, 4, 7, 10}, "reflect limit");
  }
  {  // re-infer after a shape change
    OpRunner r = make(d, x, "replicate", {1, 1, 1, 1, 1, 1});
    TH_CHECK_OK(r.run(kCreate));
    const Dims d2 = {2, 1, 1, 2, 2};
    r.replace_input("X", 0, d2, iota_f(8));
    TH_CHECK_OK(r.reinfer());
    TH_CHECK_OK(r.rerun());
    check_dims(r.out("Out").dims(), {2, 1, 3, 4, 4}, "reinfer");
    Dims wd;
    tailor::test::close(r.out_f32("Out"), ref_pad(d2, iota_f(8), "replicate", {1, 1, 1, 1, 1, 1}, 0, &wd), 0,
                        "reinfer data");
  }
}

}  // namespace

int main() {
  test_hand_cases();
  test_against_reference();
  test_paddings_tensor();
  test_validation();
  const int failures = tailor::test::failure_count();
  if (failures) {
    std::fprintf(stderr, "pad3d_test: %d failure(s)\n", failures);
    return 1;
  }
  std::printf("pad3d_test: ok\n");
  return 0;
}
