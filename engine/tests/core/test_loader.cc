// The loader and SSA program on real files, and its hardening against malformed ones.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "core/model.h"
#include "core/registry.h"
#include "test_harness.h"
#include "test_util.h"

using namespace tailor;
using namespace tailor_test;

namespace {

std::string mobilenet(const char* flavour) {
  return models_dir() + "/mobilenet_v1_x0_25/mobilenet_v1_x0_25_" + flavour + ".nb";
}
std::string model_fixture(const char* rel) { return fixtures_dir() + "/../models/" + rel; }

bool parse_file(const std::string& path, std::unique_ptr<Model>* m, Status* st) {
  std::vector<uint8_t> bytes;
  if (!read_file(path, &bytes)) {
    std::printf("  (skipped: %s not found)\n", path.c_str());
    return false;
  }
  *st = parse_model(bytes.data(), bytes.size(), m);
  return true;
}

}  // namespace

TEST(loader_mobilenet_arm) {
  std::unique_ptr<Model> m;
  Status st;
  if (!parse_file(mobilenet("arm"), &m, &st)) return;
  EXPECT_MSG(st.ok(), st.message());
  if (!st.ok()) return;
  EXPECT(m->meta_version == 2);
  EXPECT(m->opt_version == "v2.13-rc");
  EXPECT(m->ops.size() == 31);
  EXPECT(m->vars.size() == 63);
  EXPECT(m->params.size() == 56);
  EXPECT(m->params[0].name == "batch_norm2d_0.b_0");
  EXPECT(m->params[0].dims == Dims{8});
  EXPECT(m->params[0].dtype == DType::kF32);
  EXPECT(m->inputs.size() == 1 && m->inputs[0].name == "x" && m->inputs[0].dims == (Dims{1, 3, 224, 224}));
  EXPECT(m->outputs.size() == 1);
  EXPECT(m->ops.front().type == "feed" && m->ops.back().type == "fetch");
  EXPECT(m->ops[1].key.to_string() == "conv2d/def/kARM/kFloat/kNCHW");
  EXPECT(m->ops[0].key.to_string() == "feed/def/kHost/kAny/kAny");
  EXPECT(m->ops[1].get_ints("strides") == (std::vector<int64_t>{2, 2}));
  EXPECT(!m->ops[1].has_attr("__@kernel_type_attr@__"));
  // ARM files reuse names: 31 writes of only 6 names must still give 31 distinct values.
  std::set<int32_t> written;
  size_t writes = 0;
  for (size_t oi = 0; oi < m->program.size(); ++oi) {
    const ProgramOp& pop = m->program[oi];
    // Slots are parallel to the op's and partition the flat value arrays.
    EXPECT(pop.inputs.at.size() == m->ops[oi].inputs.size() + 1 && pop.inputs.at.front() == 0 &&
           pop.inputs.at.back() == static_cast<int32_t>(pop.inputs.values.size()));
    EXPECT(pop.outputs.at.size() == m->ops[oi].outputs.size() + 1 &&
           pop.outputs.at.back() == static_cast<int32_t>(pop.outputs.values.size()));
    for (int32_t v : pop.outputs.values) {
      ++writes;
      written.insert(v);
      EXPECT(m->values[static_cast<size_t>(v)].producer == static_cast<int32_t>(oi));
    }
    for (int32_t v : pop.inputs.values) {
      const Value& val = m->values[static_cast<size_t>(v)];
      EXPECT(val.kind == ValueKind::kParam || val.producer < static_cast<int32_t>(oi));
    }
  }
  EXPECT(writes == written.size());
  EXPECT(writes == 30);  // every op but fetch writes one var
}

TEST(loader_mobilenet_x86_matches_arm_params) {
  std::unique_ptr<Model> a, x;
  Status sa, sx;
  if (!parse_file(mobilenet("arm"), &a, &sa) || !parse_file(mobilenet("x86"), &x, &sx)) return;
  EXPECT(sa.ok() && sx.ok());
  if (!sa.ok() || !sx.ok()) return;
  EXPECT(x->ops.size() == 33 && x->vars.size() == 91);
  EXPECT(a->params.size() == x->params.size());
  for (size_t i = 0; i < a->params.size() && i < x->params.size(); ++i) {
    EXPECT(a->params[i].name == x->params[i].name && a->params[i].dims == x->params[i].dims);
    EXPECT(a->params[i].data.size() == x->params[i].data.size());
  }
  EXPECT(x->ops[1].key.target == static_cast<int>(Target::kX86));
}

TEST(loader_meta_version_1_equals_2) {
  std::unique_ptr<Model> v1, v2;
  Status s1, s2;
  if (!parse_file(model_fixture("meta_v1/model_v1_arm.nb"), &v1, &s1) ||
      !parse_file(model_fixture("meta_v1/model_arm.nb"), &v2, &s2)) {
    return;
  }
  EXPECT_MSG(s1.ok(), s1.message());
  EXPECT_MSG(s2.ok(), s2.message());
  if (!s1.ok() || !s2.ok()) return;
  EXPECT(v1->meta_version == 1 && v2->meta_version == 2);
  EXPECT(v1->params.size() == 4 && v1->params.size() == v2->params.size());
  for (size_t i = 0; i < v1->params.size() && i < v2->params.size(); ++i) {
    EXPECT(v1->params[i].name == v2->params[i].name);
    EXPECT(v1->params[i].dims == v2->params[i].dims);
    EXPECT(v1->params[i].data.size() == v2->params[i].data.size() &&
           std::memcmp(v1->params[i].data.data(), v2->params[i].data.data(), v1->params[i].data.size()) == 0);
  }
  EXPECT(v1->ops.size() == v2->ops.size());
}

TEST(loader_weight_quantized) {
  std::unique_ptr<Model> q, f;
  Status sq, sf;
  if (!parse_file(model_fixture("quant_cnn/model_int8_arm.nb"), &q, &sq) ||
      !parse_file(model_fixture("quant_cnn/model_arm.nb"), &f, &sf)) {
    return;
  }
  EXPECT_MSG(sf.ok(), sf.message());
  if (!registry().dequantize) {
    EXPECT(sq.code() == StatusCode::kUnsupported);
    EXPECT_MSG(contains(sq.message(), "weight-quantized") && contains(sq.message(), "tailor build --models"),
               sq.message());
    return;
  }
  EXPECT_MSG(sq.ok(), sq.message());
  if (!sq.ok() || !sf.ok()) return;
  size_t compared = 0;
  for (const Param& p : q->params) {
    int32_t fi = f->find_param(p.name);
    EXPECT(p.dtype == DType::kF32);
    if (fi < 0) continue;
    const Param& fp = f->params[static_cast<size_t>(fi)];
    if (fp.dims != p.dims) continue;  // the float model may fold differently
    const float* a = reinterpret_cast<const float*>(p.data.data());
    const float* b = reinterpret_cast<const float*>(fp.data.data());
    float max_abs = 0, max_diff = 0;
    for (size_t k = 0; k < p.data.size() / 4; ++k) {
      max_abs = std::max(max_abs, std::fabs(b[k]));
      max_diff = std::max(max_diff, std::fabs(a[k] - b[k]));
    }
    EXPECT(max_diff <= max_abs / 127.0f + 1e-6f);  // within one int8 step
    ++compared;
  }
  EXPECT(compared > 0);
}

TEST(loader_rejects_meta_versions) {
  std::vector<uint8_t> bytes;
  if (!read_file(model_fixture("meta_v1/model_arm.nb"), &bytes)) return;
  std::unique_ptr<Model> m;
  bytes[0] = 0;
  Status st = parse_model(bytes.data(), bytes.size(), &m);
  EXPECT(st.code() == StatusCode::kUnsupported && contains(st.message(), "meta_version 0"));
  bytes[0] = 3;
  st = parse_model(bytes.data(), bytes.size(), &m);
  EXPECT(st.code() == StatusCode::kUnsupported && contains(st.message(), "meta_version 3"));
  bytes[0] = 2;
  bytes[25] = 0x7f;  // topo_size far past the end
  st = parse_model(bytes.data(), bytes.size(), &m);
  EXPECT_MSG(st.code() == StatusCode::kInvalidModel && contains(st.message(), "byte 18"), st.message());
  st = parse_model(bytes.data(), 10, &m);
  EXPECT(st.code() == StatusCode::kInvalidModel);
  EXPECT(!m);
}

TEST(loader_rejects_non_cpu_targets) {
  std::vector<uint8_t> bytes;
  if (!read_file(mobilenet("arm"), &bytes)) return;
  const char needle[] = "conv2d/def/4/1/1";
  auto it = std::search(bytes.begin(), bytes.end(), needle, needle + sizeof(needle) - 1);
  EXPECT(it != bytes.end());
  if (it == bytes.end()) return;
  it[11] = '5';  // kOpenCL
  it[15] = '4';  // kImageDefault
  std::unique_ptr<Model> m;
  Status st = parse_model(bytes.data(), bytes.size(), &m);
  EXPECT(st.code() == StatusCode::kUnsupported);
  EXPECT_MSG(contains(st.message(), "conv2d/def/kOpenCL/kFloat/kImageDefault needs a target this engine lacks") &&
                 contains(st.message(), "conv2d"),
             st.message());
}

TEST(loader_survives_truncation_and_corruption) {
  std::vector<uint8_t> bytes;
  if (!read_file(model_fixture("meta_v1/model_arm.nb"), &bytes)) return;
  std::unique_ptr<Model> m;
  // Every proper prefix is malformed (params fill the file to its last byte).
  size_t accepted = 0;
  for (size_t n = 0; n < bytes.size(); ++n) {
    Status st = parse_model(bytes.data(), n, &m);
    if (st.ok()) ++accepted;
    else EXPECT(st.code() == StatusCode::kInvalidModel);
  }
  EXPECT(accepted == 0);
  EXPECT(parse_model(bytes.data(), bytes.size(), &m).ok());
  // Random corruption: any status is fine, crashing or hanging is not.
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> mutated = bytes;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) mutated[rng() % mutated.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    Status st = parse_model(mutated.data(), mutated.size(), &m);
    (void)st;
  }
}

TEST(kernel_key_and_numel_helpers) {
  KernelKey k{"conv2d", "def", 4, 1, 1};
  EXPECT(k.to_string() == "conv2d/def/kARM/kFloat/kNCHW");
  KernelKey odd{"x", "a/b", 99, 4, 2};
  EXPECT(odd.to_string() == "x/a/b/99/kAny/kAny");
  EXPECT(dims_numel({}) == 1);
  EXPECT(dims_numel({2, 3, 4}) == 24);
  EXPECT(dims_numel({2, -1}) == -1);
  EXPECT(dims_numel({int64_t{1} << 40, int64_t{1} << 40}) == -1);
  EXPECT(dims_numel({0, int64_t{1} << 62}) == 0);
  EXPECT(dtype_size(DType::kF32) == 4 && dtype_size(static_cast<DType>(9)) == 0);
}
