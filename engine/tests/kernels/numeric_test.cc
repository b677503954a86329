// Unit tests of the numeric reference kernels (conv, pool, fc/mul/matmul, elementwise,
// activations): each against a naive loop written here or hand-computed values.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "harness/kernel_harness.h"
#include "helpers/f32-gemm/ref.h"
#include "kernels/factories.h"

using tailor::Dims;
using tailor::test::OpRunner;
using tailor::test::close;
using tailor::test::random_floats;
namespace k = tailor::kernels;

namespace {

// ---------------------------------------------------------------- gemm
void test_gemm() {
  const int64_t M = 7, N = 9, K = 5;
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      auto a = random_floats(M * K, 1), b = random_floats(K * N, 2), c = random_floats(M * N, 3);
      std::vector<float> want(M * N);
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j) {
          double s = 0;
          for (int64_t p = 0; p < K; ++p)
            s += double(ta ? a[p * M + i] : a[i * K + p]) * (tb ? b[j * K + p] : b[p * N + j]);
          want[i * N + j] = float(0.5 * s + 2.0 * c[i * N + j]);
        }
      tailor::helpers::f32_gemm_ref::gemm(ta, tb, M, N, K, 0.5f, a.data(), ta ? M : K, b.data(),
                                          tb ? K : N, 2.f, c.data(), N);
      close(c, want, 1e-5, "gemm");
    }
}

// ---------------------------------------------------------------- conv2d
struct ConvCase {
  const char* name;
  int64_t n, c, h, w, oc, kh, kw, groups, sh, sw, dh, dw;
  std::vector<int64_t> paddings;
  std::string algo;
  bool bias;
  std::string act;
};

std::vector<float> naive_conv(const ConvCase& t, const std::vector<float>& x, const std::vector<float>& f,
                              const std::vector<float>& b, int64_t pt, int64_t pb, int64_t pl, int64_t pr,
                              int64_t dh, int64_t dw, int64_t* oh, int64_t* ow) {
  *oh = (t.h + pt + pb - (dh * (t.kh - 1) + 1)) / t.sh + 1;
  *ow = (t.w + pl + pr - (dw * (t.kw - 1) + 1)) / t.sw + 1;
  const int64_t icg = t.c / t.groups, ocg = t.oc / t.groups;
  std::vector<float> y(t.n * t.oc * *oh * *ow);
  for (int64_t n = 0; n < t.n; ++n)
    for (int64_t o = 0; o < t.oc; ++o)
      for (int64_t yy = 0; yy < *oh; ++yy)
        for (int64_t xx = 0; xx < *ow; ++xx) {
          double s = t.bias ? b[o] : 0.0;
          const int64_t g = o / ocg;
          for (int64_t ci = 0; ci < icg; ++ci)
            for (int64_t ky = 0; ky < t.kh; ++ky)
              for (int64_t kx = 0; kx < t.kw; ++kx) {
                int64_t iy = yy * t.sh - pt + ky * dh, ix = xx * t.sw - pl + kx * dw;
                if (iy < 0 || iy >= t.h || ix < 0 || ix >= t.w) continue;
                s += double(x[((n * t.c + g * icg + ci) * t.h + iy) * t.w + ix]) *
                     f[((o * icg + ci) * t.kh + ky) * t.kw + kx];
              }
          float v = float(s);
          if (t.act == "relu") v = std::max(v, 0.f);
          if (t.act == "relu6") v = std::min(std::max(v, 0.f), 6.f);
          if (t.act == "leaky_relu") v = v >= 0 ? v : 0.1f * v;
          if (t.act == "hard_swish") v = v * std::min(std::max(v + 3.f, 0.f), 6.f) / 6.f;
          y[((n * t.oc + o) * *oh + yy) * *ow + xx] = v;
        }
  return y;
}

void test_conv2d() {
  const std::vector<ConvCase> cases = {
      {"3x3 s1 p1", 1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, {1, 1}, "", false, ""},
      {"1x1 direct", 2, 5, 4, 6, 3, 1, 1, 1, 1, 1, 1, 1, {0, 0}, "", true, "relu"},
      {"3x3 s2 bias relu6", 1, 4, 9, 7, 6, 3, 3, 1, 2, 2, 1, 1, {1, 1}, "", true, "relu6"},
      {"groups 2", 1, 4, 6, 6, 6, 3, 3, 2, 1, 1, 1, 1, {1, 1}, "", false, "leaky_relu"},
      {"depthwise", 2, 4, 7, 7, 4, 3, 3, 4, 2, 2, 1, 1, {1, 1}, "", true, "hard_swish"},
      {"depthwise multiplier 2", 1, 3, 6, 6, 6, 5, 5, 3, 1, 1, 1, 1, {2, 2}, "", false, ""},
      {"dilation 2", 1, 2, 9, 9, 3, 3, 3, 1, 1, 1, 2, 2, {2, 2}, "", false, ""},
      {"asymmetric 4-pad", 1, 2, 7, 5, 2, 3, 2, 1, 2, 1, 1, 1, {0, 2, 1, 0}, "", true, ""},
      {"SAME", 1, 3, 7, 8, 2, 3, 3, 1, 2, 2, 2, 2, {0, 0}, "SAME", false, ""},
      {"VALID", 1, 3, 7, 8, 2, 3, 3, 1, 2, 2, 1, 1, {5, 5}, "VALID", false, ""},
  };
  for (const ConvCase& t : cases) {
    auto x = random_floats(t.n * t.c * t.h * t.w, 11);
    auto f = random_floats(t.oc * (t.c / t.groups) * t.kh * t.kw, 12);
    auto b = random_floats(t.oc, 13);
    int64_t pt = t.paddings[0], pb = t.paddings[0], pl = t.paddings[1], pr = t.paddings[1];
    if (t.paddings.size() == 4) { pt = t.paddings[0]; pb = t.paddings[1]; pl = t.paddings[2]; pr = t.paddings[3]; }
    int64_t dh = t.dh, dw = t.dw;
    if (t.algo == "VALID") pt = pb = pl = pr = 0;
    if (t.algo == "SAME") {
      auto same = [](int64_t in, int64_t s, int64_t k, int64_t* a, int64_t* z) {
        int64_t o = (in + s - 1) / s, sum = std::max<int64_t>((o - 1) * s + k - in, 0);
        *a = sum / 2; *z = sum - *a;
      };
      same(t.h, t.sh, t.kh, &pt, &pb);
      same(t.w, t.sw, t.kw, &pl, &pr);
      dh = dw = 1;
    }
    int64_t oh, ow;
    auto want = naive_conv(t, x, f, b, pt, pb, pl, pr, dh, dw, &oh, &ow);
    OpRunner r(t.groups == t.c && t.groups > 1 ? "depthwise_conv2d" : "conv2d");
    r.input("Input", {t.n, t.c, t.h, t.w}, x).param("Filter", {t.oc, t.c / t.groups, t.kh, t.kw}, f);
    if (t.bias) r.param("Bias", {t.oc}, b);
    r.output("Output").ints("strides", {t.sh, t.sw}).ints("paddings", t.paddings)
        .ints("dilations", {t.dh, t.dw}).i("groups", t.groups).epilogues(tailor::test::all_epilogues());
    if (!t.algo.empty()) r.s("padding_algorithm", t.algo);
    if (!t.act.empty()) {
      r.b("with_act", true).s("act_type", t.act).f("fuse_brelu_threshold", 6.0)
          .f("leaky_relu_alpha", 0.1).f("hard_swish_threshold", 6.0).f("hard_swish_scale", 6.0)
          .f("hard_swish_offset", 3.0);
    }
    TH_CHECK_OK(r.run(&k::conv2d_f32_ref::create));
    TH_CHECK((r.out("Output").dims() == Dims{t.n, t.oc, oh, ow}));
    close(r.out_f32("Output"), want, 1e-5, t.name);
  }
  // fuse_relu (pre-with_act models)
  {
    OpRunner r("conv2d");
    r.input("Input", {1, 1, 1, 2}, {1.f, -1.f}).param("Filter", {1, 1, 1, 1}, {2.f}).output("Output")
        .ints("strides", {1, 1}).ints("paddings", {0, 0}).ints("dilations", {1, 1}).i("groups", 1)
        .b("fuse_relu", true).epilogues(tailor::test::all_epilogues());
    TH_CHECK_OK(r.run(&k::conv2d_f32_ref::create));
    close(r.out_f32("Output"), {2.f, 0.f}, 0, "conv fuse_relu");
  }
  // errors: bad groups, filter channel mismatch, 3-element paddings, window too large, missing epilogue
  auto base = [](OpRunner& r, Dims xd, Dims fd) {
    r.input("Input", xd, random_floats(size_t(tailor::dims_numel(xd)), 1))
        .param("Filter", fd, random_floats(size_t(tailor::dims_numel(fd)), 2)).output("Output")
        .ints("strides", {1, 1}).ints("paddings", {0, 0}).ints("dilations", {1, 1});
  };
  { OpRunner r("conv2d"); base(r, {1, 4, 5, 5}, {4, 4, 3, 3}); r.i("groups", 3); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
  { OpRunner r("conv2d"); base(r, {1, 4, 5, 5}, {4, 3, 3, 3}); r.i("groups", 1); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
  { OpRunner r("conv2d"); base(r, {1, 4, 5, 5}, {4, 4, 3, 3}); r.ints("paddings", {1, 1, 1}); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
  { OpRunner r("conv2d"); base(r, {1, 4, 2, 2}, {4, 4, 3, 3}); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
  { OpRunner r("conv2d"); base(r, {1, 4, 5, 5}, {4, 4, 3, 3}); r.ints("strides", {0, 1}); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
  { OpRunner r("conv2d"); base(r, {1, 4, 5}, {4, 4, 3}); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
  { OpRunner r("conv2d"); base(r, {1, 4, 5, 5}, {4, 4, 3, 3}); r.b("with_act", true).s("act_type", "relu"); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
  { OpRunner r("conv2d"); base(r, {1, 4, 5, 5}, {4, 4, 3, 3}); r.param("Bias", {3}, {1, 2, 3}); TH_CHECK_ERR(r.infer(&k::conv2d_f32_ref::create)); }
}

// ---------------------------------------------------------------- pool2d
void test_pool2d() {
  // 4x4 plane 0..15, 2x2 s2 max / avg
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[size_t(i)] = float(i);
  auto pool = [&](const char* type, Dims ks, Dims st, Dims pad, bool ceil, bool excl, bool global, bool adaptive,
                  Dims in = {1, 1, 4, 4}) {
    OpRunner r("pool2d");
    r.input("X", in, x).output("Out").s("pooling_type", type).ints("ksize", ks).ints("strides", st)
        .ints("paddings", pad).b("ceil_mode", ceil).b("exclusive", excl).b("global_pooling", global)
        .b("adaptive", adaptive);
    auto f = std::string(type) == "max" ? &k::pool2d_max_f32_ref::create : &k::pool2d_avg_f32_ref::create;
    TH_CHECK_OK(r.run(f));
    return std::make_pair(r.out("Out").dims(), r.out_f32("Out"));
  };
  auto p = pool("max", {2, 2}, {2, 2}, {0, 0}, false, true, false, false);
  TH_CHECK((p.first == Dims{1, 1, 2, 2}));
  close(p.second, {5, 7, 13, 15}, 0, "max 2x2");
  p = pool("avg", {2, 2}, {2, 2}, {0, 0}, false, true, false, false);
  close(p.second, {2.5f, 4.5f, 10.5f, 12.5f}, 1e-6, "avg 2x2");
  // 3x3 s1 p1: corner exclusive = mean(0,1,4,5) = 2.5, inclusive = 10/9
  p = pool("avg", {3, 3}, {1, 1}, {1, 1}, false, true, false, false);
  TH_CHECK((p.first == Dims{1, 1, 4, 4}));
  TH_CHECK(std::abs(p.second[0] - 2.5f) < 1e-6f);
  p = pool("avg", {3, 3}, {1, 1}, {1, 1}, false, false, false, false);
  TH_CHECK(std::abs(p.second[0] - 10.f / 9.f) < 1e-6f);
  p = pool("max", {3, 3}, {1, 1}, {1, 1}, false, true, false, false);
  close(p.second, {5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15, 13, 14, 15, 15}, 0, "max 3x3 p1");
  // ceil mode: 4x4, k3 s2 -> floor gives 1x1, ceil gives 2x2; last window holds rows/cols 2..3
  p = pool("max", {3, 3}, {2, 2}, {0, 0}, true, true, false, false);
  TH_CHECK((p.first == Dims{1, 1, 2, 2}));
  close(p.second, {10, 11, 14, 15}, 0, "max ceil");
  p = pool("avg", {3, 3}, {2, 2}, {0, 0}, true, true, false, false);
  close(p.second, {5, 6.5f, 11, 12.5f}, 1e-6, "avg ceil exclusive");
  p = pool("avg", {3, 3}, {2, 2}, {0, 0}, true, false, false, false);
  // inclusive with overhang: Paddle bounds the window at in + pad (= 4), so 2x... the
  // bottom-right window covers rows/cols 2..3 -> divisor 4 as well.
  close(p.second, {5, 6.5f, 11, 12.5f}, 1e-6, "avg ceil inclusive");
  p = pool("avg", {1, 1}, {1, 1}, {0, 0}, false, true, true, false);
  TH_CHECK((p.first == Dims{1, 1, 1, 1}));
  close(p.second, {7.5f}, 1e-6, "global avg");
  p = pool("max", {1, 1}, {1, 1}, {0, 0}, false, true, true, false);
  close(p.second, {15}, 0, "global max");
  // adaptive max: output size = ksize, but (as in Paddle) plain 3x3/stride-1 windows, clipped
  p = pool("max", {3, 3}, {1, 1}, {0, 0}, false, true, false, true);
  TH_CHECK((p.first == Dims{1, 1, 3, 3}));
  close(p.second, {10, 11, 11, 14, 15, 15, 14, 15, 15}, 0, "adaptive max");
  // adaptive avg 4 -> 3: true adaptive bins [0,2) [1,3) [2,4)
  p = pool("avg", {3, 3}, {1, 1}, {0, 0}, false, true, false, true);
  close(p.second, {2.5f, 3.5f, 4.5f, 6.5f, 7.5f, 8.5f, 10.5f, 11.5f, 12.5f}, 1e-6, "adaptive avg 3");
  p = pool("avg", {2, 2}, {1, 1}, {0, 0}, false, true, false, true);
  close(p.second, {2.5f, 4.5f, 10.5f, 12.5f}, 1e-6, "adaptive avg");
  // errors: wrong pooling_type for the unit, bad ksize
  {
    OpRunner r("pool2d");
    r.input("X", {1, 1, 4, 4}, x).output("Out").s("pooling_type", "avg").ints("ksize", {2, 2}).ints("strides", {2, 2}).ints("paddings", {0, 0});
    TH_CHECK_ERR(r.infer(&k::pool2d_max_f32_ref::create));
  }
  {
    OpRunner r("pool2d");
    r.input("X", {1, 1, 4, 4}, x).output("Out").s("pooling_type", "max").ints("ksize", {5, 5}).ints("strides", {1, 1}).ints("paddings", {0, 0});
    TH_CHECK_ERR(r.infer(&k::pool2d_max_f32_ref::create));
  }
}

// ---------------------------------------------------------------- fc / mul / matmul
std::vector<float> naive_mm(const std::vector<float>& a, const std::vector<float>& b, int64_t M, int64_t K,
                            int64_t N, bool ta = false, bool tb = false) {
  std::vector<float> c(M * N);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double s = 0;
      for (int64_t p = 0; p < K; ++p) s += double(ta ? a[p * M + i] : a[i * K + p]) * (tb ? b[j * K + p] : b[p * N + j]);
      c[i * N + j] = float(s);
    }
  return c;
}

void test_fc_mul() {
  auto x = random_floats(2 * 3 * 4, 5), w = random_floats(12 * 5, 6), b = random_floats(5, 7);
  {  // mul-style fc: [2,3,4] flattened at 1 -> [2,12]
    OpRunner r("fc");
    r.input("Input", {2, 3, 4}, x).param("W", {12, 5}, w).param("Bias", {5}, b).output("Out")
        .i("in_num_col_dims", 1).s("op_type", "mul").s("activation_type", "relu").epilogues(tailor::test::all_epilogues());
    TH_CHECK_OK(r.run(&k::fc_f32_ref::create));
    auto want = naive_mm(x, w, 2, 12, 5);
    for (size_t i = 0; i < want.size(); ++i) want[i] = std::max(want[i] + b[i % 5], 0.f);
    TH_CHECK((r.out("Out").dims() == Dims{2, 5}));
    close(r.out_f32("Out"), want, 1e-5, "fc mul");
  }
  {  // matmul-style fc: flatten at rank-1 whatever in_num_col_dims says
    auto w2 = random_floats(4 * 5, 8);
    OpRunner r("fc");
    r.input("Input", {2, 3, 4}, x).param("W", {4, 5}, w2).output("Out").i("in_num_col_dims", 1).s("op_type", "matmul_v2");
    TH_CHECK_OK(r.run(&k::fc_f32_ref::create));
    TH_CHECK((r.out("Out").dims() == Dims{2, 3, 5}));
    close(r.out_f32("Out"), naive_mm(x, w2, 6, 4, 5), 1e-5, "fc matmul_v2");
  }
  {  // padding_weights: W has 4 extra columns
    std::vector<float> wp(12 * 9);
    for (int64_t i = 0; i < 12; ++i)
      for (int64_t j = 0; j < 9; ++j) wp[size_t(i * 9 + j)] = j < 5 ? w[size_t(i * 5 + j)] : 1e9f;
    OpRunner r("fc");
    r.input("Input", {2, 12}, x).param("W", {12, 9}, wp).output("Out").i("in_num_col_dims", 1).b("padding_weights", true);
    TH_CHECK_OK(r.run(&k::fc_f32_ref::create));
    close(r.out_f32("Out"), naive_mm(x, w, 2, 12, 5), 1e-5, "fc padding_weights");
  }
  {  // mismatch
    OpRunner r("fc");
    r.input("Input", {2, 3, 4}, x).param("W", {11, 5}, random_floats(55, 1)).output("Out").i("in_num_col_dims", 1);
    TH_CHECK_ERR(r.infer(&k::fc_f32_ref::create));
  }
  {  // mul: X [2,3,4] at 2 -> [6,4]; Y [4,5,1] at 1 -> [4,5]; Out [2,3,5,1]
    auto y = random_floats(20, 9);
    OpRunner r("mul");
    r.input("X", {2, 3, 4}, x).input("Y", {4, 5, 1}, y).output("Out").i("x_num_col_dims", 2).i("y_num_col_dims", 1);
    TH_CHECK_OK(r.run(&k::mul_f32_ref::create));
    TH_CHECK((r.out("Out").dims() == Dims{2, 3, 5, 1}));
    close(r.out_f32("Out"), naive_mm(x, y, 6, 4, 5), 1e-5, "mul");
  }
}

void test_matmul() {
  struct Case { const char* name; const char* op; Dims xd, yd; bool tx, ty; float alpha; Dims out; };
  const std::vector<Case> cases = {
      {"2d", "matmul_v2", {3, 4}, {4, 5}, false, false, 1, {3, 5}},
      {"2d tx ty", "matmul_v2", {4, 3}, {5, 4}, true, true, 1, {3, 5}},
      {"batched", "matmul_v2", {2, 3, 4}, {2, 5, 4}, false, true, 1, {2, 3, 5}},
      {"bcast y 2d", "matmul_v2", {2, 3, 4}, {4, 5}, false, false, 1, {2, 3, 5}},
      {"bcast x 2d", "matmul_v2", {3, 4}, {2, 4, 5}, false, false, 1, {2, 3, 5}},
      {"bcast 1s", "matmul_v2", {2, 1, 3, 4}, {1, 3, 4, 5}, false, false, 1, {2, 3, 3, 5}},
      {"vec x", "matmul_v2", {4}, {2, 4, 5}, false, false, 1, {2, 5}},
      {"vec y", "matmul_v2", {2, 3, 4}, {4}, false, false, 1, {2, 3}},
      {"dot", "matmul_v2", {4}, {4}, false, false, 1, {1}},
      {"v1 alpha", "matmul", {2, 3, 4}, {2, 5, 4}, false, true, 0.5f, {2, 3, 5}},
      {"v1 tx", "matmul", {4, 3}, {4, 5}, true, false, 2.f, {3, 5}},
      {"v1 outer", "matmul", {3}, {4}, true, true, 1, {3, 4}},
  };
  for (const Case& c : cases) {
    auto x = random_floats(size_t(tailor::dims_numel(c.xd)), 21), y = random_floats(size_t(tailor::dims_numel(c.yd)), 22);
    OpRunner r(c.op);
    r.input("X", c.xd, x).input("Y", c.yd, y).output("Out");
    if (std::string(c.op) == "matmul") r.b("transpose_X", c.tx).b("transpose_Y", c.ty).f("alpha", c.alpha);
    else r.b("trans_x", c.tx).b("trans_y", c.ty);
    TH_CHECK_OK(r.run(&k::matmul_f32_ref::create));
    TH_CHECK(r.out("Out").dims() == c.out);
    // Expected: numpy semantics, computed per output matrix.
    Dims mx = c.xd, my = c.yd;
    bool outer = std::string(c.name) == "v1 outer";
    if (mx.size() == 1) mx = outer ? Dims{mx[0], 1} : Dims{1, mx[0]};
    if (my.size() == 1) my = outer ? Dims{1, my[0]} : Dims{my[0], 1};
    bool tx = outer ? false : (c.xd.size() == 1 ? false : c.tx), ty = outer ? false : (c.yd.size() == 1 ? false : c.ty);
    int64_t M = tx ? mx.back() : mx[mx.size() - 2], K = tx ? mx[mx.size() - 2] : mx.back();
    int64_t N = ty ? my[my.size() - 2] : my.back();
    size_t rb = std::max(mx.size(), my.size()) - 2;
    Dims bx(rb, 1), by(rb, 1), bo(rb);
    std::copy(mx.begin(), mx.end() - 2, bx.end() - (mx.size() - 2));
    std::copy(my.begin(), my.end() - 2, by.end() - (my.size() - 2));
    int64_t nb = 1;
    for (size_t i = 0; i < rb; ++i) { bo[i] = std::max(bx[i], by[i]); nb *= bo[i]; }
    std::vector<float> want;
    for (int64_t b = 0; b < nb; ++b) {
      int64_t rem = b, xi = 0, yi = 0, xs = 1, ys = 1;
      for (size_t d = rb; d-- > 0;) {
        int64_t id = rem % bo[d]; rem /= bo[d];
        xi += (bx[d] == 1 ? 0 : id) * xs; xs *= bx[d];
        yi += (by[d] == 1 ? 0 : id) * ys; ys *= by[d];
      }
      std::vector<float> xa(x.begin() + xi * M * K, x.begin() + (xi + 1) * M * K);
      std::vector<float> ya(y.begin() + yi * K * N, y.begin() + (yi + 1) * K * N);
      auto m = naive_mm(xa, ya, M, K, N, tx, ty);
      for (float& v : m) v *= std::string(c.op) == "matmul" ? c.alpha : 1.f;
      want.insert(want.end(), m.begin(), m.end());
    }
    close(r.out_f32("Out"), want, 1e-5, c.name);
  }
  {
    OpRunner r("matmul_v2");
    r.input("X", {2, 3, 4}, random_floats(24, 1)).input("Y", {3, 4, 5}, random_floats(60, 2)).output("Out");
    TH_CHECK_ERR(r.infer(&k::matmul_f32_ref::create));  // batch 2 vs 3
  }
  {
    OpRunner r("matmul_v2");
    r.input("X", {3, 4}, random_floats(12, 1)).input("Y", {5, 5}, random_floats(25, 2)).output("Out");
    TH_CHECK_ERR(r.infer(&k::matmul_f32_ref::create));
  }
}

// ---------------------------------------------------------------- elementwise
// Paddle broadcasting by hand: y's dims placed at `start` of x's (after trailing-1 trim).
std::vector<float> naive_bcast(const std::vector<float>& x, const Dims& xd, const std::vector<float>& y, Dims yd,
                               int64_t start, float (*f)(float, float)) {
  Dims py(xd.size(), 1);
  for (size_t i = 0; i < yd.size(); ++i) py[size_t(start) + i] = yd[i];
  std::vector<float> out(x.size());
  for (size_t idx = 0; idx < x.size(); ++idx) {
    size_t rem = idx, yi = 0, ys = 1;
    for (size_t d = xd.size(); d-- > 0;) {
      size_t id = rem % size_t(xd[d]); rem /= size_t(xd[d]);
      yi += (py[d] == 1 ? 0 : id) * ys; ys *= size_t(py[d]);
    }
    out[idx] = f(x[idx], y[yi]);
  }
  return out;
}

void test_elementwise() {
  struct Case { const char* name; Dims xd, yd; int64_t axis, start; };
  const std::vector<Case> cases = {
      {"same", {2, 3, 4}, {2, 3, 4}, -1, 0},
      {"trailing", {2, 3, 4}, {4}, -1, 2},
      {"axis 1", {2, 3, 4, 5}, {3, 4}, 1, 1},
      {"axis 1 channel", {2, 3, 4, 5}, {3}, 1, 1},
      {"axis 0", {2, 3, 4}, {2}, 0, 0},
      {"trim trailing 1s", {2, 3, 4, 5}, {4, 5, 1}, 2, 2},
      {"scalar", {2, 3}, {1}, -1, 1},
      {"inner 1s", {2, 3, 4, 5}, {3, 1, 1}, 1, 1},
  };
  auto add = [](float a, float b) { return a + b; };
  for (const Case& c : cases) {
    auto x = random_floats(size_t(tailor::dims_numel(c.xd)), 31);
    auto y = random_floats(size_t(tailor::dims_numel(c.yd)), 32);
    OpRunner r("elementwise_add");
    r.input("X", c.xd, x).input("Y", c.yd, y).output("Out").i("axis", c.axis);
    TH_CHECK_OK(r.run(&k::elementwise_add_f32_ref::create));
    TH_CHECK(r.out("Out").dims() == c.xd);
    Dims yd = c.yd;
    if (std::string(c.name) == "trim trailing 1s") yd = {4, 5};
    close(r.out_f32("Out"), naive_bcast(x, c.xd, y, yd, c.start, add), 1e-6, c.name);
  }
  {  // Y larger than X: X [3] onto Y [2,3,4] at axis 1 -> Out [2,3,4]
    auto x = random_floats(3, 1), y = random_floats(24, 2);
    OpRunner r("elementwise_sub");
    r.input("X", {3}, x).input("Y", {2, 3, 4}, y).output("Out").i("axis", 1);
    TH_CHECK_OK(r.run(&k::elementwise_sub_f32_ref::create));
    TH_CHECK((r.out("Out").dims() == Dims{2, 3, 4}));
    auto got = r.out_f32("Out");
    std::vector<float> want(24);
    for (int i = 0; i < 24; ++i) want[size_t(i)] = x[size_t((i / 4) % 3)] - y[size_t(i)];
    close(got, want, 1e-6, "x smaller");
  }
  {  // both broadcast: [2,1,4] (op) [1,3,1] -> [2,3,4]
    auto x = random_floats(8, 1), y = random_floats(3, 2);
    OpRunner r("elementwise_mul");
    r.input("X", {2, 1, 4}, x).input("Y", {1, 3, 1}, y).output("Out").i("axis", -1);
    TH_CHECK_OK(r.run(&k::elementwise_mul_f32_ref::create));
    TH_CHECK((r.out("Out").dims() == Dims{2, 3, 4}));
    std::vector<float> want(24);
    for (int a = 0; a < 2; ++a) for (int b = 0; b < 3; ++b) for (int c = 0; c < 4; ++c)
      want[size_t((a * 3 + b) * 4 + c)] = x[size_t(a * 4 + c)] * y[size_t(b)];
    close(r.out_f32("Out"), want, 1e-6, "mutual broadcast");
  }
  // each op's math on one pair of vectors
  const std::vector<float> a = {1, -2, 3, 0.5f}, b = {2, 4, -1, 2};
  struct Op { const char* name; tailor::KernelFactory f; std::vector<float> want; };
  const std::vector<Op> ops = {
      {"elementwise_add", &k::elementwise_add_f32_ref::create, {3, 2, 2, 2.5f}},
      {"elementwise_sub", &k::elementwise_sub_f32_ref::create, {-1, -6, 4, -1.5f}},
      {"elementwise_mul", &k::elementwise_mul_f32_ref::create, {2, -8, -3, 1}},
      {"elementwise_div", &k::elementwise_div_f32_ref::create, {0.5f, -0.5f, -3, 0.25f}},
      {"elementwise_max", &k::elementwise_max_f32_ref::create, {2, 4, 3, 2}},
      {"elementwise_min", &k::elementwise_min_f32_ref::create, {1, -2, -1, 0.5f}},
      {"elementwise_pow", &k::elementwise_pow_f32_ref::create, {1, 16, 1.f / 3, 0.25f}},
  };
  for (const Op& o : ops) {
    OpRunner r(o.name);
    r.input("X", {4}, a).input("Y", {4}, b).output("Out").i("axis", -1);
    TH_CHECK_OK(r.run(o.f));
    close(r.out_f32("Out"), o.want, 1e-6, o.name);
  }
  {  // fused activation
    OpRunner r("fusion_elementwise_add_activation");
    r.input("X", {4}, a).input("Y", {4}, b).output("Out").i("axis", -1).s("act_type", "relu")
        .epilogues(tailor::test::all_epilogues());
    TH_CHECK_OK(r.run(&k::elementwise_add_f32_ref::create));
    close(r.out_f32("Out"), {3, 2, 2, 2.5f}, 1e-6, "fusion add relu");
    OpRunner s("fusion_elementwise_sub_activation");
    s.input("X", {4}, a).input("Y", {4}, b).output("Out").i("axis", -1).s("act_type", "relu")
        .epilogues(tailor::test::all_epilogues());
    TH_CHECK_OK(s.run(&k::elementwise_sub_f32_ref::create));
    close(s.out_f32("Out"), {0, 0, 4, 0}, 1e-6, "fusion sub relu");
  }
  {  // errors
    OpRunner r("elementwise_add");
    r.input("X", {2, 3}, random_floats(6, 1)).input("Y", {4}, random_floats(4, 1)).output("Out").i("axis", -1);
    TH_CHECK_ERR(r.infer(&k::elementwise_add_f32_ref::create));
    OpRunner s("elementwise_add");
    s.input("X", {2, 3}, random_floats(6, 1)).input("Y", {3}, random_floats(3, 1)).output("Out").i("axis", 5);
    TH_CHECK_ERR(s.infer(&k::elementwise_add_f32_ref::create));
    OpRunner t("elementwise_add");
    t.input("X", {2, 3}, random_floats(6, 1)).input("Y", {3, 2}, random_floats(6, 1)).output("Out").i("axis", 1);
    TH_CHECK_ERR(t.infer(&k::elementwise_add_f32_ref::create));
  }
}

// ---------------------------------------------------------------- activations
void test_activations() {
  const std::vector<float> x = {-4, -1, -0.25f, 0, 0.5f, 2, 5, 8};
  struct Case { const char* op; tailor::KernelFactory f; std::vector<std::pair<const char*, double>> attrs; float (*ref)(float); };
  const std::vector<Case> cases = {
      {"relu", &k::relu_f32_ref::create, {}, [](float v) { return std::max(v, 0.f); }},
      {"relu6", &k::relu6_f32_ref::create, {{"threshold", 4.0}}, [](float v) { return std::min(std::max(v, 0.f), 4.f); }},
      {"leaky_relu", &k::leaky_relu_f32_ref::create, {{"alpha", 0.2}}, [](float v) { return v >= 0 ? v : 0.2f * v; }},
      {"hard_swish", &k::hard_swish_f32_ref::create, {{"threshold", 6.0}, {"scale", 6.0}, {"offset", 3.0}},
       [](float v) { return v * std::min(std::max(v + 3.f, 0.f), 6.f) / 6.f; }},
      {"hard_sigmoid", &k::hard_sigmoid_f32_ref::create, {{"slope", 0.2}, {"offset", 0.5}},
       [](float v) { return std::min(std::max(0.2f * v + 0.5f, 0.f), 1.f); }},
      {"sigmoid", &k::sigmoid_f32_ref::create, {}, [](float v) { return 1.f / (1.f + std::exp(-v)); }},
      {"tanh", &k::tanh_f32_ref::create, {}, [](float v) { return std::tanh(v); }},
      {"swish", &k::swish_f32_ref::create, {{"beta", 1.5}}, [](float v) { return v / (1.f + std::exp(-1.5f * v)); }},
  };
  for (const Case& c : cases) {
    OpRunner r(c.op);
    r.input("X", {2, 4}, x).output("Out").epilogues(tailor::test::all_epilogues());
    for (auto& a : c.attrs) r.f(a.first, a.second);
    TH_CHECK_OK(r.run(c.f));
    std::vector<float> want;
    for (float v : x) want.push_back(c.ref(v));
    TH_CHECK((r.out("Out").dims() == Dims{2, 4}));
    close(r.out_f32("Out"), want, 1e-6, c.op);
    // Without its epilogue in the build, the op refuses to load.
    OpRunner bare(c.op);
    bare.input("X", {2, 4}, x).output("Out");
    TH_CHECK_ERR(bare.infer(c.f));
  }
}


// ---------------------------------------------------------------- conv2d_transpose
void test_conv2d_transpose() {
  struct Case { const char* name; int64_t n, c, h, w, oc_g, k, groups, s, p, d; Dims outpad; Dims outsize; bool bias; };
  const std::vector<Case> cases = {
      {"k3 s2 p1", 1, 3, 4, 5, 2, 3, 1, 2, 1, 1, {}, {}, false},
      {"k4 s2 p1 bias", 2, 2, 3, 3, 3, 4, 1, 2, 1, 1, {}, {}, true},
      {"outpad", 1, 2, 3, 4, 2, 3, 1, 2, 1, 1, {1, 1}, {}, false},
      {"output_size", 1, 2, 3, 4, 2, 3, 1, 2, 1, 1, {}, {6, 8}, false},
      {"groups 2 dilation 2", 1, 4, 3, 3, 3, 3, 2, 1, 0, 2, {}, {}, true},
  };
  for (const Case& t : cases) {
    auto x = random_floats(size_t(t.n * t.c * t.h * t.w), 41);
    auto f = random_floats(size_t(t.c * t.oc_g * t.k * t.k), 42);
    const int64_t oc = t.oc_g * t.groups;
    auto b = random_floats(size_t(oc), 43);
    int64_t oh = (t.h - 1) * t.s - 2 * t.p + t.d * (t.k - 1) + 1, ow = (t.w - 1) * t.s - 2 * t.p + t.d * (t.k - 1) + 1;
    if (!t.outpad.empty()) { oh += t.outpad[0]; ow += t.outpad[1]; }
    if (!t.outsize.empty()) { oh = t.outsize[0]; ow = t.outsize[1]; }
    // Naive scatter: every input pixel adds filter * x into the output window.
    std::vector<double> want(size_t(t.n * oc * oh * ow), 0.0);
    const int64_t icg = t.c / t.groups;
    for (int64_t n = 0; n < t.n; ++n)
      for (int64_t ci = 0; ci < t.c; ++ci)
        for (int64_t y = 0; y < t.h; ++y)
          for (int64_t xx = 0; xx < t.w; ++xx)
            for (int64_t o = 0; o < t.oc_g; ++o)
              for (int64_t ky = 0; ky < t.k; ++ky)
                for (int64_t kx = 0; kx < t.k; ++kx) {
                  int64_t oy = y * t.s - t.p + ky * t.d, ox = xx * t.s - t.p + kx * t.d;
                  if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                  int64_t co = (ci / icg) * t.oc_g + o;
                  want[size_t(((n * oc + co) * oh + oy) * ow + ox)] +=
                      double(x[size_t(((n * t.c + ci) * t.h + y) * t.w + xx)]) * f[size_t(((ci * t.oc_g + o) * t.k + ky) * t.k + kx)];
                }
    std::vector<float> wantf(want.size());
    for (size_t i = 0; i < want.size(); ++i) wantf[i] = float(want[i] + (t.bias ? b[(i / size_t(oh * ow)) % size_t(oc)] : 0.f));
    OpRunner r("conv2d_transpose");
    r.input("Input", {t.n, t.c, t.h, t.w}, x).param("Filter", {t.c, t.oc_g, t.k, t.k}, f).output("Output")
        .ints("strides", {t.s, t.s}).ints("paddings", {t.p, t.p}).ints("dilations", {t.d, t.d}).i("groups", t.groups);
    if (t.bias) r.param("Bias", {oc}, b);
    if (!t.outpad.empty()) r.ints("output_padding", t.outpad);
    if (!t.outsize.empty()) r.ints("output_size", t.outsize);
    TH_CHECK_OK(r.run(&k::conv2d_transpose_f32_ref::create));
    TH_CHECK((r.out("Output").dims() == Dims{t.n, oc, oh, ow}));
    close(r.out_f32("Output"), wantf, 1e-5, t.name);
  }
  {  // output_padding must stay below the stride; output_size within [base, base + stride)
    OpRunner r("conv2d_transpose");
    r.input("Input", {1, 2, 3, 3}, random_floats(18, 1)).param("Filter", {2, 2, 3, 3}, random_floats(36, 2)).output("Output")
        .ints("strides", {2, 2}).ints("paddings", {1, 1}).ints("dilations", {1, 1}).i("groups", 1).ints("output_padding", {2, 2});
    TH_CHECK_ERR(r.infer(&k::conv2d_transpose_f32_ref::create));
    OpRunner q("conv2d_transpose");
    q.input("Input", {1, 2, 3, 3}, random_floats(18, 1)).param("Filter", {2, 2, 3, 3}, random_floats(36, 2)).output("Output")
        .ints("strides", {2, 2}).ints("paddings", {1, 1}).ints("dilations", {1, 1}).i("groups", 1).ints("output_size", {9, 9});
    TH_CHECK_ERR(q.infer(&k::conv2d_transpose_f32_ref::create));
  }
}

// ---------------------------------------------------------------- unary math, scale, clip, dropout
void test_unary_math() {
  const std::vector<float> x = {0.25f, 1.f, 2.f, 4.f, 9.f};
  const std::vector<float> s = {-2.f, -0.5f, 0.f, 0.5f, 3.f};
  struct Case { const char* op; tailor::KernelFactory f; const std::vector<float>* in; std::vector<std::pair<const char*, double>> attrs; double (*ref)(double); };
  const std::vector<Case> cases = {
      {"exp", &k::exp_f32_ref::create, &s, {}, [](double v) { return std::exp(v); }},
      {"log", &k::log_f32_ref::create, &x, {}, [](double v) { return std::log(v); }},
      {"sqrt", &k::sqrt_f32_ref::create, &x, {}, [](double v) { return std::sqrt(v); }},
      {"rsqrt", &k::rsqrt_f32_ref::create, &x, {}, [](double v) { return 1 / std::sqrt(v); }},
      {"abs", &k::abs_f32_ref::create, &s, {}, [](double v) { return std::fabs(v); }},
      {"square", &k::square_f32_ref::create, &s, {}, [](double v) { return v * v; }},
      {"pow", &k::pow_f32_ref::create, &x, {{"factor", 2.5}}, [](double v) { return std::pow(v, 2.5); }},
      {"elu", &k::elu_f32_ref::create, &s, {{"alpha", 0.5}}, [](double v) { return v > 0 ? v : 0.5 * (std::exp(v) - 1); }},
      {"gelu", &k::gelu_f32_ref::create, &s, {}, [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); }},
      {"scale", &k::scale_f32_ref::create, &s, {{"scale", 1.5}, {"bias", 0.25}}, [](double v) { return v * 1.5 + 0.25; }},
      {"clip", &k::clip_f32_ref::create, &s, {{"min", -0.5}, {"max", 0.7}}, [](double v) { return std::min(std::max(v, -0.5), 0.7); }},
      {"dropout", &k::dropout_f32_ref::create, &s, {{"dropout_prob", 0.25}}, [](double v) { return v * 0.75; }},
  };
  for (const Case& c : cases) {
    OpRunner r(c.op);
    r.input("X", {5}, *c.in).output("Out");
    for (auto& a : c.attrs) r.f(a.first, a.second);
    TH_CHECK_OK(r.run(c.f));
    std::vector<float> want;
    for (float v : *c.in) want.push_back(float(c.ref(v)));
    close(r.out_f32("Out"), want, 1e-6, c.op);
  }
  {  // gelu tanh form
    OpRunner r("gelu");
    r.input("X", {5}, s).output("Out").b("approximate", true);
    TH_CHECK_OK(r.run(&k::gelu_f32_ref::create));
    std::vector<float> want;
    for (float v : s) want.push_back(float(0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)))));
    close(r.out_f32("Out"), want, 1e-6, "gelu tanh");
  }
  {  // scale: bias before scale, fused relu6 (alpha), ScaleTensor override
    OpRunner r("scale");
    r.input("X", {5}, s).output("Out").f("scale", 2.0).f("bias", 1.0).b("bias_after_scale", false)
        .s("activation_type", "relu6").f("alpha", 3.0).epilogues(tailor::test::all_epilogues());
    TH_CHECK_OK(r.run(&k::scale_f32_ref::create));
    close(r.out_f32("Out"), {0, 1, 2, 3, 3}, 1e-6, "scale bias first + relu6");
    OpRunner q("scale");
    q.input("X", {5}, s).input("ScaleTensor", {1}, {-1.f}).output("Out").f("scale", 2.0).f("bias", 0.0);
    TH_CHECK_OK(q.run(&k::scale_f32_ref::create));
    close(q.out_f32("Out"), {2, 0.5f, 0, -0.5f, -3}, 1e-6, "scale ScaleTensor");
  }
  {  // clip with Min / Max tensors
    OpRunner r("clip");
    r.input("X", {5}, s).input("Min", {1}, {0.f}).input("Max", {1}, {1.f}).output("Out").f("min", -9.0).f("max", 9.0);
    TH_CHECK_OK(r.run(&k::clip_f32_ref::create));
    close(r.out_f32("Out"), {0, 0, 0, 0.5f, 1}, 0, "clip tensors");
  }
  {  // dropout upscale_in_train is the identity; unknown implementation refused
    OpRunner r("dropout");
    r.input("X", {5}, s).output("Out").f("dropout_prob", 0.5).s("dropout_implementation", "upscale_in_train");
    TH_CHECK_OK(r.run(&k::dropout_f32_ref::create));
    close(r.out_f32("Out"), s, 0, "dropout upscale");
    OpRunner q("dropout");
    q.input("X", {5}, s).output("Out").s("dropout_implementation", "sometimes");
    TH_CHECK_ERR(q.infer(&k::dropout_f32_ref::create));
  }
}

// ---------------------------------------------------------------- softmax, prelu, norms
void test_softmax_prelu_norms() {
  const Dims d = {2, 3, 4};
  auto x = random_floats(24, 51, -3.f, 3.f);
  for (int64_t axis : {-1, 1, 0}) {
    const int64_t a = axis < 0 ? 2 : axis;
    int64_t outer = 1, mid = d[size_t(a)], inner = 1;
    for (int64_t i = 0; i < a; ++i) outer *= d[size_t(i)];
    for (int64_t i = a + 1; i < 3; ++i) inner *= d[size_t(i)];
    std::vector<float> sm(24), lsm(24);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        double sum = 0;
        for (int64_t k2 = 0; k2 < mid; ++k2) sum += std::exp(double(x[size_t((o * mid + k2) * inner + i)]));
        for (int64_t k2 = 0; k2 < mid; ++k2) {
          size_t j = size_t((o * mid + k2) * inner + i);
          sm[j] = float(std::exp(double(x[j])) / sum);
          lsm[j] = float(double(x[j]) - std::log(sum));
        }
      }
    OpRunner r("softmax");
    r.input("X", d, x).output("Out").i("axis", axis);
    TH_CHECK_OK(r.run(&k::softmax_f32_ref::create));
    close(r.out_f32("Out"), sm, 1e-6, "softmax");
    OpRunner q("log_softmax");
    q.input("X", d, x).output("Out").i("axis", axis);
    TH_CHECK_OK(q.run(&k::log_softmax_f32_ref::create));
    close(q.out_f32("Out"), lsm, 1e-6, "log_softmax");
  }
  {
    OpRunner r("softmax");
    r.input("X", d, x).output("Out").i("axis", 3);
    TH_CHECK_ERR(r.infer(&k::softmax_f32_ref::create));
  }
  // prelu: all / channel / element
  auto alpha_c = random_floats(3, 52), alpha_e = random_floats(12, 53);
  for (const char* mode : {"all", "channel", "element"}) {
    std::string m = mode;
    std::vector<float> alpha = m == "all" ? std::vector<float>{0.25f} : m == "channel" ? alpha_c : alpha_e;
    OpRunner r("prelu");
    r.input("X", d, x).param("Alpha", {int64_t(alpha.size())}, alpha).output("Out").s("mode", mode);
    TH_CHECK_OK(r.run(&k::prelu_f32_ref::create));
    std::vector<float> want(24);
    for (size_t i = 0; i < 24; ++i) {
      float a = m == "all" ? alpha[0] : m == "channel" ? alpha[(i / 4) % 3] : alpha[i % 12];
      want[i] = x[i] > 0 ? x[i] : a * x[i];
    }
    close(r.out_f32("Out"), want, 0, mode);
  }
  {
    OpRunner r("prelu");
    r.input("X", d, x).param("Alpha", {2}, {1, 2}).output("Out").s("mode", "channel");
    TH_CHECK_ERR(r.infer(&k::prelu_f32_ref::create));
  }
  // batch_norm over channel dim 1 of [2,3,4]
  {
    auto sc = random_floats(3, 54), bi = random_floats(3, 55), mean = random_floats(3, 56), var = random_floats(3, 57, 0.5f, 2.f);
    OpRunner r("batch_norm");
    r.input("X", d, x).param("Scale", {3}, sc).param("Bias", {3}, bi).param("Mean", {3}, mean).param("Variance", {3}, var)
        .output("Y").output("MeanOut").output("VarianceOut").f("epsilon", 1e-5);
    TH_CHECK_OK(r.run(&k::batch_norm_f32_ref::create));
    std::vector<float> want(24);
    for (size_t i = 0; i < 24; ++i) {
      size_t c = (i / 4) % 3;
      want[i] = float((x[i] - mean[c]) / std::sqrt(double(var[c]) + 1e-5) * sc[c] + bi[c]);
    }
    close(r.out_f32("Y"), want, 1e-5, "batch_norm");
  }
  // layer_norm from axis 1 and 2, instance_norm
  for (int64_t axis : {1, 2}) {
    const int64_t cols = axis == 1 ? 12 : 4, rows = 24 / cols;
    auto sc = random_floats(size_t(cols), 58), bi = random_floats(size_t(cols), 59);
    OpRunner r("layer_norm");
    r.input("X", d, x).param("Scale", {cols}, sc).param("Bias", {cols}, bi).output("Y").output("Mean").output("Variance")
        .i("begin_norm_axis", axis).f("epsilon", 1e-5);
    TH_CHECK_OK(r.run(&k::layer_norm_f32_ref::create));
    std::vector<float> want(24);
    for (int64_t rr = 0; rr < rows; ++rr) {
      double mu = 0, var = 0;
      for (int64_t c = 0; c < cols; ++c) mu += x[size_t(rr * cols + c)];
      mu /= double(cols);
      for (int64_t c = 0; c < cols; ++c) var += (x[size_t(rr * cols + c)] - mu) * (x[size_t(rr * cols + c)] - mu);
      var /= double(cols);
      for (int64_t c = 0; c < cols; ++c)
        want[size_t(rr * cols + c)] = float((x[size_t(rr * cols + c)] - mu) / std::sqrt(var + 1e-5) * sc[size_t(c)] + bi[size_t(c)]);
    }
    close(r.out_f32("Y"), want, 1e-5, "layer_norm");
  }
  {
    OpRunner r("layer_norm");
    r.input("X", d, x).output("Y").i("begin_norm_axis", 3);
    TH_CHECK_ERR(r.infer(&k::layer_norm_f32_ref::create));
  }
  {
    auto sc = random_floats(3, 60), bi = random_floats(3, 61);
    OpRunner r("instance_norm");
    r.input("X", d, x).param("Scale", {3}, sc).param("Bias", {3}, bi).output("Y").output("SavedMean").output("SavedVariance")
        .f("epsilon", 1e-5);
    TH_CHECK_OK(r.run(&k::instance_norm_f32_ref::create));
    std::vector<float> want(24);
    for (size_t p = 0; p < 6; ++p) {
      double mu = 0, var = 0;
      for (size_t i = 0; i < 4; ++i) mu += x[p * 4 + i];
      mu /= 4;
      for (size_t i = 0; i < 4; ++i) var += (x[p * 4 + i] - mu) * (x[p * 4 + i] - mu);
      var /= 4;
      for (size_t i = 0; i < 4; ++i) want[p * 4 + i] = float((x[p * 4 + i] - mu) / std::sqrt(var + 1e-5) * sc[p % 3] + bi[p % 3]);
    }
    close(r.out_f32("Y"), want, 1e-5, "instance_norm");
  }
}

// ---------------------------------------------------------------- dequantizer
void test_dequantize() {
  using tailor::DType;
  const std::vector<int8_t> q8 = {-128, -1, 0, 1, 2, 127};
  const std::vector<double> sc = {0.5, 2.0};
  std::vector<float> out(6);
  // [2,3] along axis 0: rows scaled 0.5 / 2
  TH_CHECK_OK(k::dequant_ref::dequantize(DType::kI8, q8.data(), {2, 3}, sc.data(), 2, 0, out.data()));
  close(out, {-64, -0.5f, 0, 2, 4, 254}, 0, "dequant int8 axis 0");
  // [3,2] along axis 1 (fc weight [K,N]): columns alternate 0.5 / 2
  TH_CHECK_OK(k::dequant_ref::dequantize(DType::kI8, q8.data(), {3, 2}, sc.data(), 2, 1, out.data()));
  close(out, {-64, -2, 0, 2, 1, 254}, 0, "dequant int8 axis 1");
  // int16 from an odd (unaligned) address
  const std::vector<int16_t> q16 = {-32768, 300, 7, -2};
  std::vector<unsigned char> raw(1 + q16.size() * 2);
  std::memcpy(raw.data() + 1, q16.data(), q16.size() * 2);
  std::vector<float> out16(4);
  TH_CHECK_OK(k::dequant_ref::dequantize(DType::kI16, raw.data() + 1, {2, 2}, sc.data(), 2, 0, out16.data()));
  close(out16, {-16384, 150, 14, -4}, 0, "dequant int16");
  // errors: wrong scale count, float storage, bad axis
  TH_CHECK_ERR(k::dequant_ref::dequantize(DType::kI8, q8.data(), {2, 3}, sc.data(), 2, 1, out.data()));
  TH_CHECK_ERR(k::dequant_ref::dequantize(DType::kF32, q8.data(), {2, 3}, sc.data(), 2, 0, out.data()));
  TH_CHECK_ERR(k::dequant_ref::dequantize(DType::kI8, q8.data(), {2, 3}, sc.data(), 2, 5, out.data()));
}

}  // namespace

int main() {
  test_gemm();
  test_conv2d();
  test_pool2d();
  test_fc_mul();
  test_matmul();
  test_elementwise();
  test_activations();
  test_conv2d_transpose();
  test_unary_math();
  test_softmax_prelu_norms();
  test_dequantize();
  if (tailor::test::failure_count()) {
    std::fprintf(stderr, "numeric kernel tests: %d failure(s)\n", tailor::test::failure_count());
    return 1;
  }
  std::printf("numeric kernel tests: ok\n");
  return 0;
}
