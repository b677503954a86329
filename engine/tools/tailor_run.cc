// tailor-run: run a Paddle Lite .nb model with the tailor engine.
//
//   tailor-run model.nb [--input name=x.npy | --input x.npy]... [--output y.npy]
//              [--outputs-dir DIR] [--repeat N] [--compare ref.npy [--tolerance T]]
//              [--plan] [--json]
//
// Inputs: .npy files (little-endian, C order; float32/float64/int8/uint8/
// int16/int32/int64/bool), converted to float32 for tailor_set_input (which
// converts to the model's input dtype; integers beyond 2^24 lose precision on
// the way). `--input x.npy` without a name fills the inputs in order. An input without a file gets the deterministic input:
//   for input i with n elements, s = 12345 + i (uint32), and for k = 0..n-1:
//     s = s * 1664525 + 1013904223 (mod 2^32);  x[k] = (s >> 8) / 2^23 - 1
//   i.e. a fixed LCG mapped to [-1, 1), in the model's declared input shape
//   (-1 read as 1). The build verifier relies on this formula.
// Outputs: written as float32 .npy whatever the model's dtype (the C API
// converts int32/int64 outputs to float32); --output writes output 0,
// --outputs-dir writes every output as DIR/<index>_<name>.npy.
// Timing: one warm-up run, then N timed runs; prints min and median.
// --plan prints each op's index, type, kernel key and chosen unit.
// --json prints one JSON object instead of text.
// Exit status: 0 ok, 1 error, 2 --compare exceeded the tolerance.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tailor/tailor.h"

namespace {

struct Array {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

bool fail(std::string* err, const std::string& msg) {
  *err = msg;
  return false;
}

// ---- .npy -------------------------------------------------------------------------

// Parses the header dict {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }.
bool parse_npy_header(const std::string& h, std::string* descr, std::vector<int64_t>* shape, std::string* err) {
  auto value_of = [&](const char* key, std::string* out) {
    size_t k = h.find(std::string("'") + key + "'");
    if (k == std::string::npos) return false;
    size_t colon = h.find(':', k);
    if (colon == std::string::npos) return false;
    size_t v = h.find_first_not_of(' ', colon + 1);
    if (v == std::string::npos) return false;
    size_t end;
    if (h[v] == '\'') {
      end = h.find('\'', v + 1);
      if (end == std::string::npos) return false;
      *out = h.substr(v + 1, end - v - 1);
    } else if (h[v] == '(') {
      end = h.find(')', v);
      if (end == std::string::npos) return false;
      *out = h.substr(v + 1, end - v - 1);
    } else {
      end = h.find_first_of(",}", v);
      if (end == std::string::npos) return false;
      *out = h.substr(v, end - v);
    }
    return true;
  };
  std::string fortran, shape_s;
  if (h.empty() || h[0] != '{' || !value_of("descr", descr) || !value_of("fortran_order", &fortran) ||
      !value_of("shape", &shape_s)) {
    return fail(err, "malformed .npy header: " + h);
  }
  if (fortran != "False") return fail(err, "Fortran-order .npy arrays are not supported");
  shape->clear();
  size_t pos = 0;
  while (pos < shape_s.size()) {
    while (pos < shape_s.size() && (shape_s[pos] == ' ' || shape_s[pos] == ',')) ++pos;
    if (pos >= shape_s.size()) break;
    size_t end = pos;
    while (end < shape_s.size() && shape_s[end] >= '0' && shape_s[end] <= '9') ++end;
    if (end == pos || end - pos > 12) return fail(err, "malformed .npy shape: (" + shape_s + ")");
    shape->push_back(std::strtoll(shape_s.c_str() + pos, nullptr, 10));
    pos = end;
  }
  return true;
}

template <typename T>
void convert(const unsigned char* src, size_t n, float* dst) {
  for (size_t k = 0; k < n; ++k) {
    T v;
    std::memcpy(&v, src + k * sizeof(T), sizeof(T));
    dst[k] = static_cast<float>(v);
  }
}

bool read_npy(const std::string& path, Array* out, std::string* err) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return fail(err, "cannot open " + path);
  std::vector<unsigned char> bytes;
  unsigned char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  std::fclose(f);
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) return fail(err, path + ": not a .npy file");
  unsigned major = bytes[6];
  size_t header_len, header_start;
  if (major == 1) {
    header_len = bytes[8] | (bytes[9] << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return fail(err, path + ": truncated .npy header");
    header_len = bytes[8] | (bytes[9] << 8) | (size_t{bytes[10]} << 16) | (size_t{bytes[11]} << 24);
    header_start = 12;
  } else {
    return fail(err, path + ": unsupported .npy version " + std::to_string(major));
  }
  if (header_len > bytes.size() - header_start) return fail(err, path + ": truncated .npy header");
  std::string header(reinterpret_cast<const char*>(bytes.data() + header_start), header_len);
  std::string descr;
  if (!parse_npy_header(header, &descr, &out->shape, err)) return fail(err, path + ": " + *err);
  size_t count = 1;
  for (int64_t d : out->shape) {
    if (d < 0 || (d != 0 && count > (SIZE_MAX / 16) / static_cast<size_t>(d))) return fail(err, path + ": shape too large");
    count *= static_cast<size_t>(d);
  }
  struct Kind { const char* descr; size_t size; void (*conv)(const unsigned char*, size_t, float*); };
  static const Kind kKinds[] = {
      {"<f4", 4, convert<float>},   {"<f8", 8, convert<double>},  {"<i4", 4, convert<int32_t>},
      {"<i8", 8, convert<int64_t>}, {"<i2", 2, convert<int16_t>}, {"|i1", 1, convert<int8_t>},
      {"|u1", 1, convert<uint8_t>}, {"|b1", 1, convert<uint8_t>},
  };
  const Kind* kind = nullptr;
  for (const Kind& k : kKinds) {
    if (descr == k.descr) kind = &k;
  }
  if (!kind) return fail(err, path + ": unsupported .npy dtype '" + descr + "' (little-endian numbers and bool only)");
  size_t data_start = header_start + header_len;
  if (bytes.size() - data_start != count * kind->size) {
    return fail(err, path + ": holds " + std::to_string(bytes.size() - data_start) + " data bytes, its header says " +
                         std::to_string(count * kind->size));
  }
  out->data.resize(count);
  kind->conv(bytes.data() + data_start, count, out->data.data());
  return true;
}

bool write_npy(const std::string& path, const Array& a, std::string* err) {
  std::string shape = "(";
  for (size_t k = 0; k < a.shape.size(); ++k) shape += std::to_string(a.shape[k]) + (a.shape.size() == 1 ? "," : (k + 1 < a.shape.size() ? ", " : ""));
  shape += ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return fail(err, "cannot write " + path);
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<unsigned char>(header.size() & 0xff),
                           static_cast<unsigned char>(header.size() >> 8)};
  bool ok = std::fwrite(pre, 1, 10, f) == 10 && std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
            std::fwrite(a.data.data(), sizeof(float), a.data.size(), f) == a.data.size();
  ok = (std::fclose(f) == 0) && ok;
  return ok ? true : fail(err, "error writing " + path);
}

// ---- helpers ------------------------------------------------------------------------

std::string json_str(const char* s) {
  std::string o = "\"";
  for (const char* p = s ? s : ""; *p; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\') {
      o += '\\';
      o += static_cast<char>(c);
    } else if (c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof(b), "\\u%04x", c);
      o += b;
    } else {
      o += static_cast<char>(c);
    }
  }
  return o + "\"";
}

std::string shape_str(const std::vector<int64_t>& s, bool json) {
  std::string o = json ? "[" : "(";
  for (size_t k = 0; k < s.size(); ++k) o += (k ? ", " : "") + std::to_string(s[k]);
  return o + (json ? "]" : ")");
}

std::string safe_name(const char* name) {
  std::string o;
  for (const char* p = name; *p; ++p) o += (std::isalnum(static_cast<unsigned char>(*p)) || *p == '-' || *p == '.') ? *p : '_';
  return o;
}

void deterministic_input(size_t index, std::vector<float>* data) {
  uint32_t s = 12345u + static_cast<uint32_t>(index);
  for (float& x : *data) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<float>(s >> 8) / 8388608.0f - 1.0f;
  }
}

int usage() {
  std::fprintf(stderr,
               "usage: tailor-run model.nb [--input name=x.npy | --input x.npy]... [--output y.npy]\n"
               "                  [--outputs-dir DIR] [--repeat N] [--compare ref.npy [--tolerance T]]\n"
               "                  [--plan] [--json]\n");
  return 1;
}

struct InputArg {
  std::string name;  // empty: positional
  std::string path;
};

}  // namespace

int main(int argc, char** argv) {
  std::string model_path, output_path, outputs_dir, compare_path;
  std::vector<InputArg> input_args;
  int repeat = 1;
  double tolerance = 1e-4;
  bool plan = false, json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](std::string* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--input") {
      if (!next(&v)) return usage();
      size_t eq = v.find('=');
      input_args.push_back(eq == std::string::npos ? InputArg{"", v} : InputArg{v.substr(0, eq), v.substr(eq + 1)});
    } else if (a == "--output") {
      if (!next(&output_path)) return usage();
    } else if (a == "--outputs-dir") {
      if (!next(&outputs_dir)) return usage();
    } else if (a == "--compare") {
      if (!next(&compare_path)) return usage();
    } else if (a == "--tolerance") {
      if (!next(&v)) return usage();
      tolerance = std::atof(v.c_str());
    } else if (a == "--repeat") {
      if (!next(&v)) return usage();
      repeat = std::max(1, std::atoi(v.c_str()));
    } else if (a == "--plan") {
      plan = true;
    } else if (a == "--json") {
      json = true;
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "tailor-run: unknown option %s\n", a.c_str());
      return usage();
    } else if (model_path.empty()) {
      model_path = a;
    } else {
      return usage();
    }
  }
  if (model_path.empty()) return usage();

  auto die = [&](const std::string& what) {
    if (json) {
      std::printf("{\"ok\": false, \"error\": %s}\n", json_str(what.c_str()).c_str());
    } else {
      std::fprintf(stderr, "tailor-run: %s\n", what.c_str());
    }
    return 1;
  };

  tailor_predictor* p = nullptr;
  if (tailor_predictor_create_from_file(model_path.c_str(), &p) != TAILOR_OK) {
    return die(std::string("loading ") + model_path + ": " + tailor_last_error());
  }
  struct Guard {
    tailor_predictor* p;
    ~Guard() { tailor_predictor_destroy(p); }
  } guard{p};

  // Inputs: named, then positional in order, then the deterministic input.
  const size_t num_inputs = tailor_input_count(p);
  std::vector<std::string> paths(num_inputs);
  size_t positional = 0;
  for (const InputArg& ia : input_args) {
    size_t idx = num_inputs;
    if (ia.name.empty()) {
      idx = positional++;
    } else {
      for (size_t k = 0; k < num_inputs; ++k) {
        if (ia.name == tailor_input_name(p, k)) idx = k;
      }
    }
    if (idx >= num_inputs) return die("--input " + (ia.name.empty() ? ia.path : ia.name) + " matches no model input");
    paths[idx] = ia.path;
  }
  std::string err;
  std::vector<std::string> input_desc;
  for (size_t k = 0; k < num_inputs; ++k) {
    Array a;
    if (!paths[k].empty()) {
      if (!read_npy(paths[k], &a, &err)) return die(err);
    } else {
      int64_t dims[16];
      size_t rank = 0;
      if (tailor_input_shape(p, k, dims, 16, &rank) != TAILOR_OK) return die(tailor_last_error());
      a.shape.assign(dims, dims + rank);
      size_t n = 1;
      for (int64_t d : a.shape) n *= static_cast<size_t>(d);
      a.data.resize(n);
      deterministic_input(k, &a.data);
    }
    if (tailor_set_input(p, k, a.data.data(), a.shape.data(), a.shape.size()) != TAILOR_OK) {
      return die(std::string("input ") + tailor_input_name(p, k) + ": " + tailor_last_error());
    }
    input_desc.push_back(std::string(tailor_input_name(p, k)) + " " + shape_str(a.shape, false) +
                         (paths[k].empty() ? " deterministic" : " " + paths[k]));
  }

  // One warm-up run, then the timed ones.
  std::vector<double> ms;
  for (int r = 0; r <= repeat; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    if (tailor_run(p) != TAILOR_OK) return die(std::string("run: ") + tailor_last_error());
    auto t1 = std::chrono::steady_clock::now();
    if (r > 0 || repeat == 0) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  const double min_ms = ms.front(), median_ms = ms[ms.size() / 2];

  const size_t num_outputs = tailor_output_count(p);
  std::vector<Array> outputs(num_outputs);
  for (size_t k = 0; k < num_outputs; ++k) {
    int64_t dims[16];
    size_t rank = 0, count = 0;
    if (tailor_output_shape(p, k, dims, 16, &rank) != TAILOR_OK) return die(tailor_last_error());
    outputs[k].shape.assign(dims, dims + rank);
    tailor_get_output(p, k, nullptr, 0, &count);
    outputs[k].data.resize(count);
    if (tailor_get_output(p, k, outputs[k].data.data(), count, &count) != TAILOR_OK) return die(tailor_last_error());
    if (k == 0 && !output_path.empty() && !write_npy(output_path, outputs[k], &err)) return die(err);
    if (!outputs_dir.empty() &&
        !write_npy(outputs_dir + "/" + std::to_string(k) + "_" + safe_name(tailor_output_name(p, k)) + ".npy", outputs[k], &err)) {
      return die(err);
    }
  }

  bool compared = false, within = true;
  double max_abs = 0, max_rel = 0;
  if (!compare_path.empty()) {
    Array ref;
    if (!read_npy(compare_path, &ref, &err)) return die(err);
    if (num_outputs == 0 || ref.data.size() != outputs[0].data.size()) {
      return die("--compare: " + compare_path + " has " + std::to_string(ref.data.size()) + " elements, output 0 has " +
                 std::to_string(num_outputs ? outputs[0].data.size() : 0));
    }
    for (size_t k = 0; k < ref.data.size(); ++k) {
      double d = std::fabs(static_cast<double>(ref.data[k]) - outputs[0].data[k]);
      if (std::isnan(d)) d = INFINITY;
      max_abs = std::max(max_abs, d);
      max_rel = std::max(max_rel, d / std::max(1e-6, std::fabs(static_cast<double>(ref.data[k]))));
    }
    compared = true;
    within = max_abs <= tolerance;
  }

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const long peak_rss_kb = ru.ru_maxrss;
  const size_t arena = tailor_arena_bytes(p);
  const size_t num_ops = tailor_op_count(p);

  if (json) {
    std::string o = "{\"ok\": " + std::string(within ? "true" : "false");
    o += ", \"model\": " + json_str(model_path.c_str());
    o += ", \"engine_version\": " + json_str(tailor_version());
    o += ", \"selection\": " + json_str(tailor_build_selection());
    o += ", \"inputs\": [";
    for (size_t k = 0; k < num_inputs; ++k) {
      int64_t dims[16];
      size_t rank = 0;
      tailor_input_shape(p, k, dims, 16, &rank);
      o += std::string(k ? ", " : "") + "{\"name\": " + json_str(tailor_input_name(p, k)) + ", \"shape\": " +
           shape_str(std::vector<int64_t>(dims, dims + rank), true) + ", \"source\": " +
           json_str(paths[k].empty() ? "deterministic" : paths[k].c_str()) + "}";
    }
    o += "], \"outputs\": [";
    for (size_t k = 0; k < num_outputs; ++k) {
      double sum = 0;
      for (float x : outputs[k].data) sum += x;
      char b[64];
      std::snprintf(b, sizeof(b), "%.9g", sum);
      o += std::string(k ? ", " : "") + "{\"name\": " + json_str(tailor_output_name(p, k)) + ", \"shape\": " +
           shape_str(outputs[k].shape, true) + ", \"sum\": " + b + "}";
    }
    char b[256];
    std::snprintf(b, sizeof(b), "], \"repeat\": %d, \"latency_ms\": {\"min\": %.4f, \"median\": %.4f}, \"arena_bytes\": %zu, \"peak_rss_kb\": %ld",
                  repeat, min_ms, median_ms, arena, peak_rss_kb);
    o += b;
    if (compared) {
      std::snprintf(b, sizeof(b), ", \"compare\": {\"reference\": %s, \"max_abs_diff\": %.9g, \"max_rel_diff\": %.9g, \"tolerance\": %g}",
                    json_str(compare_path.c_str()).c_str(), max_abs, max_rel, tolerance);
      o += b;
    }
    if (plan) {
      o += ", \"ops\": [";
      for (size_t k = 0; k < num_ops; ++k) {
        o += std::string(k ? ", " : "") + "{\"index\": " + std::to_string(k) + ", \"type\": " + json_str(tailor_op_type(p, k)) +
             ", \"key\": " + json_str(tailor_op_key(p, k)) + ", \"unit\": " + json_str(tailor_op_unit(p, k)) + "}";
      }
      o += "]";
    }
    std::printf("%s}\n", o.c_str());
  } else {
    if (plan) {
      for (size_t k = 0; k < num_ops; ++k) {
        std::printf("%4zu  %-28s %-44s %s\n", k, tailor_op_type(p, k), tailor_op_key(p, k), tailor_op_unit(p, k));
      }
    }
    for (const std::string& d : input_desc) std::printf("input   %s\n", d.c_str());
    for (size_t k = 0; k < num_outputs; ++k) {
      std::printf("output  %s %s:", tailor_output_name(p, k), shape_str(outputs[k].shape, false).c_str());
      for (size_t e = 0; e < outputs[k].data.size() && e < 6; ++e) std::printf(" %.6g", outputs[k].data[e]);
      std::printf("%s\n", outputs[k].data.size() > 6 ? " ..." : "");
    }
    std::printf("latency min %.3f ms, median %.3f ms over %d run(s)\n", min_ms, median_ms, repeat);
    std::printf("arena %zu bytes, peak RSS %ld KiB\n", arena, peak_rss_kb);
    if (compared) {
      std::printf("compare %s: max abs diff %.3g, max rel diff %.3g (tolerance %g): %s\n", compare_path.c_str(), max_abs,
                  max_rel, tolerance, within ? "ok" : "FAIL");
    }
  }
  return within ? 0 : 2;
}
