// SIMD kernel units vs naive loops (computed here in double) and vs the reference units, on
// shapes chosen to hit every vector tail, tile edge, padding form and attribute the units'
// catalog conditions admit. Built per ISA by run.sh: AVX2 units natively on x86_64 (skipped
// when the CPU lacks AVX2+FMA), NEON units for aarch64 and armv7 (run under qemu).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "harness/kernel_harness.h"
#include "kernels/factories.h"  // reference units and epilogues

#if defined(__x86_64__)
#include "helpers/f32-gemm/avx2.h"
#define SIMD_ISA "avx2"
#define SIMD_UNIT(name) name##_avx2
namespace simd_gemm = tailor::helpers::f32_gemm_avx2;
#elif defined(__ARM_NEON) || defined(__ARM_NEON__)
#include "helpers/f32-gemm/neon.h"
#define SIMD_ISA "neon"
#define SIMD_UNIT(name) name##_neon
namespace simd_gemm = tailor::helpers::f32_gemm_neon;
#else
#error "kernels_simd_test needs x86_64 (AVX2) or ARM NEON"
#endif

TAILOR_DECLARE_KERNEL(SIMD_UNIT(conv2d_f32_gemm1x1))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(conv2d_f32_im2col))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(depthwise_conv2d_f32_dw3x3))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(fc_f32_gemm))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(matmul_f32_gemm))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(pool2d_f32_rows))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(elementwise_add_f32))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(elementwise_sub_f32))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(elementwise_mul_f32))
TAILOR_DECLARE_KERNEL(SIMD_UNIT(elementwise_div_f32))

namespace {

using tailor::Dims;
using tailor::KernelFactory;
using tailor::Status;
using tailor::test::OpRunner;
using tailor::test::random_floats;
namespace k = tailor::kernels;

constexpr double kTol = 1e-5;
int g_cases = 0;

#include "gemm_test.inc"

std::string dims_str(const Dims& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

// Fused activation applied by the naive loops (parameters as the harness decodes them).
struct Act {
  std::string name;  // "" = none
  double alpha = 0;
  double apply(double v) const {
    if (name == "relu") return v > 0 ? v : 0;
    if (name == "relu6") return std::min(std::max(v, 0.0), alpha);
    if (name == "leaky_relu") return v > 0 ? v : v * alpha;
    return v;
  }
};
const Act kActs[] = {{"", 0}, {"relu", 0}, {"relu6", 6.0}, {"leaky_relu", 0.1}};

// Runs `setup` on a fresh runner with the SIMD factory, checks the named output against
// `want`, then does the same with the reference factory, whose result must agree too.
void check(const char* op, const std::function<void(OpRunner&)>& setup, KernelFactory simd,
           KernelFactory ref, const char* out_slot, const Dims& want_dims, const std::vector<float>& want,
           const std::string& label) {
  ++g_cases;
  OpRunner r(op);
  r.epilogues(tailor::test::all_epilogues());
  setup(r);
  Status st = r.run(simd);
  if (!st.ok()) {
    std::fprintf(stderr, "%s: simd failed: %s\n", label.c_str(), st.message().c_str());
    ++tailor::test::failure_count();
    return;
  }
  if (r.out(out_slot).dims() != want_dims) {
    std::fprintf(stderr, "%s: dims %s, want %s\n", label.c_str(), dims_str(r.out(out_slot).dims()).c_str(),
                 dims_str(want_dims).c_str());
    ++tailor::test::failure_count();
    return;
  }
  const std::vector<float> got = r.out_f32(out_slot);
  tailor::test::close(got, want, kTol, (label + " vs naive").c_str());
  if (!ref) return;
  OpRunner rr(op);
  rr.epilogues(tailor::test::all_epilogues());
  setup(rr);
  st = rr.run(ref);
  if (!st.ok()) {
    std::fprintf(stderr, "%s: reference failed: %s\n", label.c_str(), st.message().c_str());
    ++tailor::test::failure_count();
    return;
  }
  tailor::test::close(got, rr.out_f32(out_slot), kTol, (label + " vs reference").c_str());
}

// ---------------------------------------------------------------- conv2d / depthwise
struct ConvCase {
  const char* op = "conv2d";
  int64_t n = 1, cin = 3, h = 8, w = 8, cout = 4, kh = 3, kw = 3;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1, groups = 1;
  std::vector<int64_t> pads = {0, 0};  // 2- or 4-element form
  const char* algo = nullptr;          // padding_algorithm
  bool bias = true;
  Act act;
  bool legacy_relu = false;  // relu spelled `fuse_relu` without with_act (older models)
};

void check_conv(const ConvCase& c, KernelFactory simd, const char* unit) {
  const int64_t cin_g = c.cin / c.groups, cout_g = c.cout / c.groups;
  const std::vector<float> x = random_floats(size_t(c.n * c.cin * c.h * c.w), uint32_t(g_cases * 7 + 1));
  const std::vector<float> f = random_floats(size_t(c.cout * cin_g * c.kh * c.kw), uint32_t(g_cases * 7 + 2));
  const std::vector<float> b = random_floats(size_t(c.cout), uint32_t(g_cases * 7 + 3));
  // Effective padding, as Paddle derives it.
  int64_t pt, pb, pl, pr, dh = c.dh, dw = c.dw;
  if (c.pads.size() == 2) { pt = pb = c.pads[0]; pl = pr = c.pads[1]; }
  else { pt = c.pads[0]; pb = c.pads[1]; pl = c.pads[2]; pr = c.pads[3]; }
  const std::string algo = c.algo ? c.algo : "EXPLICIT";
  auto same = [](int64_t in, int64_t s, int64_t k, int64_t* a, int64_t* z) {
    const int64_t out = (in + s - 1) / s, sum = std::max<int64_t>((out - 1) * s + k - in, 0);
    *a = sum / 2; *z = sum - *a;
  };
  if (algo == "SAME") { same(c.h, c.sh, c.kh, &pt, &pb); same(c.w, c.sw, c.kw, &pl, &pr); dh = dw = 1; }
  if (algo == "VALID") pt = pb = pl = pr = 0;
  const int64_t oh = (c.h + pt + pb - (dh * (c.kh - 1) + 1)) / c.sh + 1;
  const int64_t ow = (c.w + pl + pr - (dw * (c.kw - 1) + 1)) / c.sw + 1;
  std::vector<float> want(size_t(c.n * c.cout * oh * ow));
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t o = 0; o < c.cout; ++o) {
      const int64_t g = o / cout_g;
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo) {
          double acc = c.bias ? b[size_t(o)] : 0.0;
          for (int64_t ci = 0; ci < cin_g; ++ci)
            for (int64_t i = 0; i < c.kh; ++i)
              for (int64_t j = 0; j < c.kw; ++j) {
                const int64_t iy = y * c.sh - pt + i * dh, ix = xo * c.sw - pl + j * dw;
                if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
                acc += double(x[size_t(((n * c.cin + g * cin_g + ci) * c.h + iy) * c.w + ix)]) *
                       f[size_t(((o * cin_g + ci) * c.kh + i) * c.kw + j)];
              }
          if (c.legacy_relu) acc = std::max(acc, 0.0);
          want[size_t(((n * c.cout + o) * oh + y) * ow + xo)] = float(c.act.apply(acc));
        }
    }
  char label[256];
  std::snprintf(label, sizeof label,
                "%s %s n%lld c%lld %lldx%lld -> %lld k%lldx%lld s%lld,%lld d%lld,%lld g%lld pads%s %s bias%d act'%s'",
                unit, c.op, (long long)c.n, (long long)c.cin, (long long)c.h, (long long)c.w,
                (long long)c.cout, (long long)c.kh, (long long)c.kw, (long long)c.sh, (long long)c.sw,
                (long long)c.dh, (long long)c.dw, (long long)c.groups, dims_str(c.pads).c_str(),
                algo.c_str(), c.bias, c.act.name.c_str());
  check(c.op, [&](OpRunner& r) {
    r.input("Input", {c.n, c.cin, c.h, c.w}, x).param("Filter", {c.cout, cin_g, c.kh, c.kw}, f);
    if (c.bias) r.param("Bias", {c.cout}, b);
    r.output("Output").ints("strides", {c.sh, c.sw}).ints("paddings", c.pads)
        .ints("dilations", {c.dh, c.dw}).i("groups", c.groups);
    if (c.algo) r.s("padding_algorithm", c.algo);
    if (c.legacy_relu) r.b("fuse_relu", true);
    if (!c.act.name.empty()) {
      r.b("with_act", true).s("act_type", c.act.name);
      if (c.act.name == "relu6") r.f("fuse_brelu_threshold", c.act.alpha);
      if (c.act.name == "leaky_relu") r.f("leaky_relu_alpha", c.act.alpha);
    }
  }, simd, &k::conv2d_f32_ref::create, "Output", {c.n, c.cout, oh, ow}, want, label);
}

void test_conv() {
  int a = 0;
  // 1x1 / stride 1 / no padding: channel counts around the tile sizes, odd planes.
  for (int64_t cin : {1, 3, 8, 17})
    for (int64_t cout : {1, 5, 16, 33})
      for (int64_t hw : {1, 5, 13}) {
        ConvCase c;
        c.cin = cin; c.cout = cout; c.h = hw; c.w = hw + 2; c.kh = c.kw = 1;
        c.pads = (a % 3 == 0) ? std::vector<int64_t>{0, 0, 0, 0} : std::vector<int64_t>{0, 0};
        c.bias = a % 2 == 0; c.n = (a % 5 == 0) ? 2 : 1; c.act = kActs[a++ % 4];
        check_conv(c, &k::SIMD_UNIT(conv2d_f32_gemm1x1)::create, "gemm1x1");
        check_conv(c, &k::SIMD_UNIT(conv2d_f32_im2col)::create, "im2col");
      }
  // im2col: filter shapes, strides, paddings (both forms, asymmetric), dilation, SAME/VALID.
  struct G { int64_t kh, kw, sh, sw, dh, dw; std::vector<int64_t> pads; const char* algo; };
  const G gs[] = {{3, 3, 1, 1, 1, 1, {1, 1}, nullptr},     {3, 3, 2, 2, 1, 1, {1, 1}, nullptr},
                  {5, 5, 1, 1, 1, 1, {2, 2}, nullptr},     {1, 3, 1, 2, 1, 1, {0, 1}, nullptr},
                  {3, 1, 2, 1, 1, 1, {1, 0}, nullptr},     {3, 3, 1, 1, 2, 2, {2, 2}, nullptr},
                  {3, 3, 2, 1, 1, 1, {0, 1, 2, 0}, nullptr}, {3, 3, 1, 1, 1, 1, {0, 0}, "SAME"},
                  {3, 3, 2, 2, 1, 1, {0, 0}, "SAME"},      {2, 2, 2, 2, 1, 1, {3, 3}, "VALID"},
                  {1, 1, 2, 2, 1, 1, {0, 0}, nullptr},     {7, 7, 2, 2, 1, 1, {3, 3}, nullptr}};
  for (const G& g : gs)
    for (int64_t hw : {7, 12}) {
      ConvCase c;
      c.kh = g.kh; c.kw = g.kw; c.sh = g.sh; c.sw = g.sw; c.dh = g.dh; c.dw = g.dw;
      c.pads = g.pads; c.algo = g.algo; c.h = hw; c.w = hw + 3; c.cin = 3 + a % 4; c.cout = 5 + a % 9;
      c.bias = a % 2 == 1; c.act = kActs[a++ % 4];
      check_conv(c, &k::SIMD_UNIT(conv2d_f32_im2col)::create, "im2col");
    }
  // depthwise 3x3: stride 1/2, padding 0/1 in both forms, odd planes, channel multiplier.
  const std::vector<std::vector<int64_t>> dw_pads = {{1, 1}, {0, 0}, {1, 0, 0, 1}, {0, 1, 1, 0}};
  for (int64_t s : {1, 2})
    for (const auto& pads : dw_pads)
      for (int64_t h : {1, 3, 6, 11, 20})
        for (int64_t mult : {1, 2}) {
          ConvCase c;
          c.op = (a % 3 == 0) ? "conv2d" : "depthwise_conv2d";
          c.cin = c.groups = 1 + a % 13; c.cout = c.cin * mult;
          c.h = h; c.w = h + 1 + a % 9; c.sh = c.sw = s; c.pads = pads;
          if (h < 3 && (pads[0] == 0 || pads.size() == 4)) c.h = 3;  // keep the output non-empty
          c.bias = a % 2 == 0; c.n = (a % 7 == 0) ? 2 : 1; c.act = kActs[a++ % 4];
          check_conv(c, &k::SIMD_UNIT(depthwise_conv2d_f32_dw3x3)::create, "dw3x3");
        }
  for (int64_t s : {1, 2})
    for (int64_t h : {5, 8}) {
      ConvCase c;
      c.op = "depthwise_conv2d"; c.cin = c.groups = c.cout = 7; c.h = h; c.w = h + 3; c.sh = c.sw = s;
      c.algo = "SAME"; c.act = kActs[a++ % 4];
      check_conv(c, &k::SIMD_UNIT(depthwise_conv2d_f32_dw3x3)::create, "dw3x3");
    }
  {
    ConvCase c;
    c.legacy_relu = true;
    check_conv(c, &k::SIMD_UNIT(conv2d_f32_im2col)::create, "im2col fuse_relu");
    c.kh = c.kw = 1;
    check_conv(c, &k::SIMD_UNIT(conv2d_f32_gemm1x1)::create, "gemm1x1 fuse_relu");
    c.op = "depthwise_conv2d"; c.kh = c.kw = 3; c.groups = c.cin = c.cout = 6; c.pads = {1, 1};
    check_conv(c, &k::SIMD_UNIT(depthwise_conv2d_f32_dw3x3)::create, "dw3x3 fuse_relu");
  }
}

// ---------------------------------------------------------------- pool2d
struct PoolCase {
  bool is_max = true, global = false, adaptive = false, exclusive = true, ceil_mode = false;
  int64_t n = 1, c = 3, h = 9, w = 9, kh = 3, kw = 3, sh = 2, sw = 2;
  std::vector<int64_t> pads = {0, 0};
  const char* algo = nullptr;
};

void check_pool(const PoolCase& p) {
  const std::vector<float> x = random_floats(size_t(p.n * p.c * p.h * p.w), uint32_t(g_cases + 11));
  int64_t pt, pb, pl, pr;
  if (p.pads.size() == 2) { pt = pb = p.pads[0]; pl = pr = p.pads[1]; }
  else { pt = p.pads[0]; pb = p.pads[1]; pl = p.pads[2]; pr = p.pads[3]; }
  const std::string algo = p.algo ? p.algo : "EXPLICIT";
  auto same = [](int64_t in, int64_t s, int64_t k, int64_t* a, int64_t* z) {
    const int64_t out = (in + s - 1) / s, sum = std::max<int64_t>((out - 1) * s + k - in, 0);
    *a = sum / 2; *z = sum - *a;
  };
  if (algo == "SAME") { same(p.h, p.sh, p.kh, &pt, &pb); same(p.w, p.sw, p.kw, &pl, &pr); }
  if (algo == "VALID" || p.global || p.adaptive) pt = pb = pl = pr = 0;
  int64_t kh = p.kh, kw = p.kw, oh, ow;
  if (p.global) { kh = p.h; kw = p.w; }
  if (p.adaptive && !p.global) { oh = kh; ow = kw; }
  else {
    oh = (p.h - kh + pt + pb + (p.ceil_mode ? p.sh - 1 : 0)) / p.sh + 1;
    ow = (p.w - kw + pl + pr + (p.ceil_mode ? p.sw - 1 : 0)) / p.sw + 1;
  }
  std::vector<float> want(size_t(p.n * p.c * oh * ow));
  for (int64_t pc = 0; pc < p.n * p.c; ++pc)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo) {
        int64_t hs, he, ws, we, incl;
        if (p.adaptive && !p.global && !p.is_max) {  // adaptive max slides the plain window
          hs = y * p.h / oh; he = ((y + 1) * p.h + oh - 1) / oh;
          ws = xo * p.w / ow; we = ((xo + 1) * p.w + ow - 1) / ow;
          incl = (he - hs) * (we - ws);
        } else {
          // Lite bounds the padded input by the top/left padding on both sides.
          hs = y * p.sh - pt; he = std::min(hs + kh, p.h + pt);
          ws = xo * p.sw - pl; we = std::min(ws + kw, p.w + pl);
          incl = (he - hs) * (we - ws);
          hs = std::max<int64_t>(hs, 0); ws = std::max<int64_t>(ws, 0);
          he = std::min(he, p.h); we = std::min(we, p.w);
        }
        double acc = p.is_max ? -1e300 : 0.0;
        int64_t cnt = 0;
        for (int64_t i = hs; i < he; ++i)
          for (int64_t j = ws; j < we; ++j) {
            const double v = x[size_t((pc * p.h + i) * p.w + j)];
            acc = p.is_max ? std::max(acc, v) : acc + v;
            ++cnt;
          }
        double v = 0;
        if (cnt > 0) v = p.is_max ? acc : acc / double((p.exclusive || p.adaptive) ? cnt : incl);
        want[size_t((pc * oh + y) * ow + xo)] = float(v);
      }
  char label[256];
  std::snprintf(label, sizeof label,
                "pool2d.rows %s %lldx%lld k%lldx%lld s%lld,%lld pads%s %s global%d adaptive%d excl%d ceil%d",
                p.is_max ? "max" : "avg", (long long)p.h, (long long)p.w, (long long)p.kh, (long long)p.kw,
                (long long)p.sh, (long long)p.sw, dims_str(p.pads).c_str(), algo.c_str(), p.global,
                p.adaptive, p.exclusive, p.ceil_mode);
  KernelFactory ref = p.is_max ? &k::pool2d_max_f32_ref::create : &k::pool2d_avg_f32_ref::create;
  check("pool2d", [&](OpRunner& r) {
    r.input("X", {p.n, p.c, p.h, p.w}, x).output("Out")
        .s("pooling_type", p.is_max ? "max" : "avg").ints("ksize", {p.kh, p.kw})
        .ints("strides", {p.sh, p.sw}).ints("paddings", p.pads).b("global_pooling", p.global)
        .b("adaptive", p.adaptive).b("exclusive", p.exclusive).b("ceil_mode", p.ceil_mode);
    if (p.algo) r.s("padding_algorithm", p.algo);
  }, &k::SIMD_UNIT(pool2d_f32_rows)::create, ref, "Out", {p.n, p.c, oh, ow}, want, label);
}

void test_pool() {
  struct W { int64_t kh, kw, sh, sw; std::vector<int64_t> pads; bool ceil; const char* algo; };
  const W ws[] = {{2, 2, 2, 2, {0, 0}, false, nullptr}, {3, 3, 2, 2, {1, 1}, false, nullptr},
                  {3, 3, 1, 1, {1, 1}, false, nullptr}, {3, 3, 1, 1, {0, 0}, false, nullptr},
                  {3, 3, 2, 2, {0, 0}, true, nullptr},  {2, 2, 2, 2, {0, 0}, true, nullptr},
                  {5, 5, 1, 1, {2, 2}, false, nullptr}, {1, 1, 2, 2, {0, 0}, false, nullptr},
                  {3, 2, 2, 1, {1, 0, 0, 1}, false, nullptr}, {3, 3, 3, 3, {1, 1}, true, nullptr},
                  {2, 3, 1, 1, {0, 2}, false, nullptr}, {3, 3, 2, 2, {0, 0}, false, "SAME"},
                  {3, 3, 2, 2, {1, 1}, false, "VALID"}};
  int a = 0;
  for (const W& w : ws)
    for (int64_t h : {5, 8, 19})
      for (int is_max = 0; is_max < 2; ++is_max)
        for (int excl = 0; excl < 2; ++excl) {
          if (is_max && excl) continue;
          PoolCase p;
          p.is_max = is_max; p.exclusive = excl; p.kh = w.kh; p.kw = w.kw; p.sh = w.sh; p.sw = w.sw;
          p.pads = w.pads; p.ceil_mode = w.ceil; p.algo = w.algo; p.h = h; p.w = h + 1 + a % 11;
          p.c = 1 + a++ % 5;
          check_pool(p);
        }
  for (int is_max = 0; is_max < 2; ++is_max)
    for (int64_t h : {1, 7, 13}) {
      PoolCase p;  // global: ksize ignored
      p.is_max = is_max; p.global = true; p.h = h; p.w = h + 2; p.kh = p.kw = 1; p.c = 5; p.n = 2;
      check_pool(p);
      PoolCase q;  // adaptive: ksize is the output size
      q.is_max = is_max; q.adaptive = true; q.h = h + 3; q.w = h + 5; q.c = 4;
      for (int64_t o : {1, 2, 3}) { q.kh = o; q.kw = o + 1; check_pool(q); }
    }
}

// ---------------------------------------------------------------- fc / mul / matmul
void naive_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t batches,
                int64_t m, int64_t n, int64_t kk, bool ta, bool tb, int64_t a_stride, int64_t b_stride,
                const std::vector<int64_t>& a_off, const std::vector<int64_t>& b_off, double alpha,
                std::vector<float>* out) {
  out->assign(size_t(batches * m * n), 0.f);
  for (int64_t bt = 0; bt < batches; ++bt)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < kk; ++p)
          acc += double(a[size_t(a_off[size_t(bt)] + (ta ? p * m + i : i * kk + p))]) *
                 b[size_t(b_off[size_t(bt)] + (tb ? j * kk + p : p * n + j))];
        (*out)[size_t((bt * m + i) * n + j)] = float(acc * alpha);
      }
  (void)a_stride; (void)b_stride;
}

void test_fc() {
  struct F { Dims in; int64_t ncd; const char* op_type; int64_t n; bool bias; const char* act; };
  const F fs[] = {{{1, 256}, 1, "mul", 1000, true, ""},     {{3, 17}, 1, "mul", 9, true, "relu"},
                  {{2, 3, 5}, 2, "mul", 7, false, ""},      {{2, 3, 4, 5}, 1, "mul", 13, true, "relu6"},
                  {{4, 3, 20}, 1, "matmul_v2", 11, true, ""}, {{1, 1280}, 1, "matmul_v2", 100, true, ""},
                  {{7, 33}, 1, "matmul", 17, false, "relu"}};
  int a = 0;
  for (const F& f : fs) {
    const int64_t ncd = std::string(f.op_type) == "mul" ? f.ncd : int64_t(f.in.size()) - 1;
    int64_t m = 1, kk = 1;
    for (size_t i = 0; i < f.in.size(); ++i) (int64_t(i) < ncd ? m : kk) *= f.in[i];
    const std::vector<float> x = random_floats(size_t(m * kk), uint32_t(100 + a));
    const std::vector<float> w = random_floats(size_t(kk * f.n), uint32_t(200 + a));
    const std::vector<float> b = random_floats(size_t(f.n), uint32_t(300 + a++));
    std::vector<float> want;
    naive_gemm(x, w, 1, m, f.n, kk, false, false, 0, 0, {0}, {0}, 1.0, &want);
    Act act{f.act, 6.0};
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < f.n; ++j) {
        float& v = want[size_t(i * f.n + j)];
        v = float(act.apply(double(v) + (f.bias ? b[size_t(j)] : 0.0)));
      }
    Dims od(f.in.begin(), f.in.begin() + ncd);
    od.push_back(f.n);
    const std::string label = std::string("fc.gemm ") + f.op_type + " in" + dims_str(f.in) + " n" +
                              std::to_string(f.n) + " act'" + f.act + "'";
    check("fc", [&](OpRunner& r) {
      r.input("Input", f.in, x).param("W", {kk, f.n}, w);
      if (f.bias) r.param("Bias", {f.n}, b);
      r.output("Out").i("in_num_col_dims", f.ncd).s("op_type", f.op_type).b("trans_x", false)
          .b("trans_y", false);
      if (*f.act) r.s("activation_type", f.act);
    }, &k::SIMD_UNIT(fc_f32_gemm)::create, &k::fc_f32_ref::create, "Out", od, want, label);
  }
  // mul: both num_col_dims.
  struct M { Dims x, y; int64_t xn, yn; };
  const M ms[] = {{{5, 7}, {7, 3}, 1, 1}, {{2, 3, 4}, {12, 5}, 1, 1}, {{2, 3, 4}, {4, 2, 3}, 2, 1},
                  {{3, 2, 2, 3}, {6, 5, 2}, 2, 1}};
  for (const M& mm : ms) {
    int64_t m = 1, kk = 1, n = 1;
    for (size_t i = 0; i < mm.x.size(); ++i) (int64_t(i) < mm.xn ? m : kk) *= mm.x[i];
    for (size_t i = size_t(mm.yn); i < mm.y.size(); ++i) n *= mm.y[i];
    const std::vector<float> x = random_floats(size_t(m * kk), uint32_t(400 + a));
    const std::vector<float> y = random_floats(size_t(kk * n), uint32_t(500 + a++));
    std::vector<float> want;
    naive_gemm(x, y, 1, m, n, kk, false, false, 0, 0, {0}, {0}, 1.0, &want);
    Dims od(mm.x.begin(), mm.x.begin() + mm.xn);
    od.insert(od.end(), mm.y.begin() + mm.yn, mm.y.end());
    check("mul", [&](OpRunner& r) {
      r.input("X", mm.x, x).input("Y", mm.y, y).output("Out").i("x_num_col_dims", mm.xn)
          .i("y_num_col_dims", mm.yn);
    }, &k::SIMD_UNIT(fc_f32_gemm)::create, &k::mul_f32_ref::create, "Out", od, want,
          "fc.gemm mul x" + dims_str(mm.x) + " y" + dims_str(mm.y));
  }
}

void test_matmul() {
  struct C { const char* op; Dims x, y; bool tx, ty; double alpha; bool y_param; };
  const C cs[] = {{"matmul_v2", {1, 1280}, {1280, 100}, false, false, 1, true},
                  {"matmul_v2", {5, 7}, {7, 9}, false, false, 1, false},
                  {"matmul_v2", {7, 5}, {7, 9}, true, false, 1, false},
                  {"matmul_v2", {5, 7}, {9, 7}, false, true, 1, false},
                  {"matmul_v2", {7, 5}, {9, 7}, true, true, 1, false},
                  {"matmul_v2", {2, 3, 5, 7}, {7, 6}, false, false, 1, true},
                  {"matmul_v2", {3, 5, 7}, {3, 7, 4}, false, false, 1, false},
                  {"matmul_v2", {2, 1, 5, 7}, {3, 9, 7}, false, true, 1, false},
                  {"matmul_v2", {4, 7, 5}, {7, 6}, true, false, 1, true},
                  {"matmul_v2", {7}, {3, 7, 4}, false, false, 1, false},
                  {"matmul_v2", {2, 5, 7}, {7}, false, false, 1, false},
                  {"matmul", {6, 8}, {8, 10}, false, false, 0.5, false},
                  {"matmul", {2, 8, 6}, {2, 10, 8}, true, true, 2.0, false}};
  int a = 0;
  for (const C& c : cs) {
    Dims xd = c.x, yd = c.y;
    const bool xv = xd.size() == 1, yv = yd.size() == 1;
    if (xv) xd.insert(xd.begin(), 1);
    if (yv) yd.push_back(1);
    const bool tx = c.tx && !xv, ty = c.ty && !yv;
    const size_t rx = xd.size(), ry = yd.size();
    const int64_t m = tx ? xd[rx - 1] : xd[rx - 2], kk = tx ? xd[rx - 2] : xd[rx - 1];
    const int64_t n = ty ? yd[ry - 2] : yd[ry - 1];
    const size_t rb = std::max(rx, ry) - 2;
    Dims batch(rb);
    for (size_t i = 0; i < rb; ++i) {
      const int64_t dx = i + rx - 2 >= rb ? xd[i + rx - 2 - rb] : 1;
      const int64_t dy = i + ry - 2 >= rb ? yd[i + ry - 2 - rb] : 1;
      batch[i] = std::max(dx, dy);
    }
    int64_t batches = 1;
    for (int64_t v : batch) batches *= v;
    std::vector<int64_t> xo, yo;
    for (int64_t bt = 0; bt < batches; ++bt) {
      int64_t rem = bt, xoff = 0, yoff = 0, xs = m * kk, ys = kk * n;
      for (size_t i = rb; i-- > 0;) {
        const int64_t idx = rem % batch[i];
        rem /= batch[i];
        const int64_t dx = i + rx - 2 >= rb ? xd[i + rx - 2 - rb] : 1;
        const int64_t dy = i + ry - 2 >= rb ? yd[i + ry - 2 - rb] : 1;
        if (dx != 1) xoff += idx * xs;
        if (dy != 1) yoff += idx * ys;
        xs *= dx;
        ys *= dy;
      }
      xo.push_back(xoff);
      yo.push_back(yoff);
    }
    const std::vector<float> x = random_floats(size_t(tailor::dims_numel(c.x)), uint32_t(600 + a));
    const std::vector<float> y = random_floats(size_t(tailor::dims_numel(c.y)), uint32_t(700 + a++));
    std::vector<float> want;
    naive_gemm(x, y, batches, m, n, kk, tx, ty, 0, 0, xo, yo, c.alpha, &want);
    Dims od = batch;
    if (!xv) od.push_back(m);
    if (!yv) od.push_back(n);
    const std::string label = std::string("matmul.gemm ") + c.op + " x" + dims_str(c.x) + " y" +
                              dims_str(c.y) + " tx" + std::to_string(c.tx) + " ty" + std::to_string(c.ty);
    const bool v2 = std::string(c.op) == "matmul_v2";
    // The reference is compared only where its shape rules are unambiguous (rank >= 2).
    const bool ref_ok = !xv && !yv;
    check(c.op, [&](OpRunner& r) {
      r.input("X", c.x, x);
      if (c.y_param) r.param("Y", c.y, y); else r.input("Y", c.y, y);
      r.output("Out").b(v2 ? "trans_x" : "transpose_X", c.tx).b(v2 ? "trans_y" : "transpose_Y", c.ty);
      if (!v2) r.f("alpha", c.alpha);
    }, &k::SIMD_UNIT(matmul_f32_gemm)::create, ref_ok ? &k::matmul_f32_ref::create : nullptr, "Out", od,
          want, label);
  }
}

// ---------------------------------------------------------------- elementwise
void test_elementwise() {
  struct B { Dims x, y; int64_t axis; };
  const B bs[] = {{{2, 5, 7, 9}, {2, 5, 7, 9}, -1}, {{2, 13, 5, 3}, {13}, 1},
                  {{1, 19, 7, 7}, {19, 1, 1}, 1},   {{3, 4, 37}, {37}, -1},
                  {{3, 4, 37}, {1}, -1},            {{2, 1, 6, 11}, {2, 3, 6, 11}, -1},
                  {{4, 21}, {3, 4, 21}, -1},        {{1, 100}, {100}, -1},
                  {{5, 1}, {1, 17}, -1},            {{2, 3, 4, 5}, {3, 4}, 1}};
  struct O { const char* name; KernelFactory simd, ref; };
  const O ops[] = {{"add", &k::SIMD_UNIT(elementwise_add_f32)::create, &k::elementwise_add_f32_ref::create},
                   {"sub", &k::SIMD_UNIT(elementwise_sub_f32)::create, &k::elementwise_sub_f32_ref::create},
                   {"mul", &k::SIMD_UNIT(elementwise_mul_f32)::create, &k::elementwise_mul_f32_ref::create},
                   {"div", &k::SIMD_UNIT(elementwise_div_f32)::create, &k::elementwise_div_f32_ref::create}};
  int a = 0;
  for (const O& o : ops)
    for (const B& b : bs)
      for (int fused = 0; fused < 2; ++fused) {
        // Full-rank aligned dims, as Paddle aligns the shorter operand at `axis`.
        const bool x_long = b.x.size() >= b.y.size();
        const Dims& big = x_long ? b.x : b.y;
        const Dims& small = x_long ? b.y : b.x;
        const size_t start = b.axis == -1 ? big.size() - small.size() : size_t(b.axis);
        Dims fs(big.size(), 1);
        for (size_t i = 0; i < small.size(); ++i) fs[start + i] = small[i];
        const Dims fx = x_long ? big : fs, fy = x_long ? fs : big;
        Dims od(big.size());
        for (size_t i = 0; i < od.size(); ++i) od[i] = std::max(fx[i], fy[i]);
        const std::vector<float> x = random_floats(size_t(tailor::dims_numel(b.x)), uint32_t(800 + a));
        std::vector<float> y = random_floats(size_t(tailor::dims_numel(b.y)), uint32_t(900 + a++));
        if (std::string(o.name) == "div")
          for (float& v : y) v = v < 0 ? v - 0.5f : v + 0.5f;  // keep divisors away from 0
        const Act act = fused ? Act{"relu", 0} : Act{};
        std::vector<float> want(size_t(tailor::dims_numel(od)));
        for (size_t idx = 0; idx < want.size(); ++idx) {
          size_t rem = idx, xi = 0, yi = 0, xs = 1, ys = 1;
          for (size_t d = od.size(); d-- > 0;) {
            const size_t i = rem % size_t(od[d]);
            rem /= size_t(od[d]);
            if (fx[d] != 1) xi += i * xs;
            if (fy[d] != 1) yi += i * ys;
            xs *= size_t(fx[d]);
            ys *= size_t(fy[d]);
          }
          const double xv = x[xi], yv = y[yi];
          const std::string n = o.name;
          const double v = n == "add" ? xv + yv : n == "sub" ? xv - yv : n == "mul" ? xv * yv : xv / yv;
          want[idx] = float(act.apply(v));
        }
        const std::string op = fused ? std::string("fusion_elementwise_") + o.name + "_activation"
                                     : std::string("elementwise_") + o.name;
        check(op.c_str(), [&](OpRunner& r) {
          r.input("X", b.x, x).input("Y", b.y, y).output("Out").i("axis", b.axis);
          if (fused) r.s("act_type", "relu");
        }, o.simd, o.ref, "Out", od, want,
              op + " x" + dims_str(b.x) + " y" + dims_str(b.y) + " axis" + std::to_string(b.axis));
      }
}

// ---------------------------------------------------------------- refusals
// What the catalog conditions keep away must still fail cleanly if it arrives.
void test_refusals() {
  const std::vector<float> x = random_floats(2 * 4 * 6 * 6, 1), f = random_floats(4 * 4 * 3 * 3, 2);
  {
    OpRunner r("conv2d");
    r.input("Input", {2, 4, 6, 6}, x).param("Filter", {4, 4, 3, 3}, f).output("Output")
        .ints("strides", {1, 1}).ints("paddings", {1, 1}).ints("dilations", {1, 1}).i("groups", 1);
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(conv2d_f32_gemm1x1)::create));  // 3x3 filter
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(depthwise_conv2d_f32_dw3x3)::create));  // groups 1, 4 channels
  }
  {
    OpRunner r("depthwise_conv2d");
    r.input("Input", {2, 4, 6, 6}, x).param("Filter", {4, 1, 3, 3}, f).output("Output")
        .ints("strides", {1, 1}).ints("paddings", {2, 2}).ints("dilations", {1, 1}).i("groups", 4);
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(depthwise_conv2d_f32_dw3x3)::create));  // padding 2
  }
  {
    OpRunner r("conv2d");  // channels disagree with the filter
    r.input("Input", {2, 4, 6, 6}, x).param("Filter", {4, 3, 3, 3}, f).output("Output")
        .ints("strides", {1, 1}).ints("paddings", {1, 1}).ints("dilations", {1, 1}).i("groups", 1);
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(conv2d_f32_im2col)::create));
  }
  {
    OpRunner r("conv2d");  // filter larger than the padded input
    r.input("Input", {1, 4, 2, 2}, x).param("Filter", {4, 4, 3, 3}, f).output("Output")
        .ints("strides", {1, 1}).ints("paddings", {0, 0}).ints("dilations", {1, 1}).i("groups", 1);
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(conv2d_f32_im2col)::create));
  }
  {
    OpRunner r("pool2d");
    r.input("X", {1, 2, 3, 3}, x).output("Out").s("pooling_type", "max").ints("ksize", {5, 5})
        .ints("strides", {1, 1}).ints("paddings", {0, 0});
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(pool2d_f32_rows)::create));  // window > input
  }
  {
    OpRunner r("fc");
    r.input("Input", {2, 5}, x).param("W", {6, 3}, f).output("Out").i("in_num_col_dims", 1);
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(fc_f32_gemm)::create));  // K mismatch
  }
  {
    OpRunner r("matmul_v2");
    r.input("X", {2, 3, 4}, x).input("Y", {3, 4, 5}, f).output("Out");
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(matmul_f32_gemm)::create));  // batch 2 vs 3
  }
  {
    OpRunner r("elementwise_add");
    r.input("X", {2, 3, 4}, x).input("Y", {5}, f).output("Out").i("axis", -1);
    TH_CHECK_ERR(r.run(&k::SIMD_UNIT(elementwise_add_f32)::create));
  }
}

}  // namespace

int main() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::printf("kernels_simd_test: SKIP (CPU lacks AVX2/FMA)\n");
    return 0;
  }
#endif
  test_gemm(simd_gemm::kBackend, SIMD_ISA);
  test_conv();
  test_pool();
  test_fc();
  test_matmul();
  test_elementwise();
  test_refusals();
  const int failures = tailor::test::failure_count();
  std::printf("kernels_simd_test [%s]: %d cases, %d failures\n", SIMD_ISA, g_cases, failures);
  return failures == 0 ? 0 : 1;
}
