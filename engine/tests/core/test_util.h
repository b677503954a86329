#pragma once
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace tailor_test {

inline bool read_file(const std::string& path, std::vector<uint8_t>* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  out->clear();
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out->insert(out->end(), buf, buf + n);
  std::fclose(f);
  return true;
}

// float32 .npy (version 1 header) -> data; shape ignored.
inline bool read_npy_f32(const std::string& path, std::vector<float>* out) {
  std::vector<uint8_t> b;
  if (!read_file(path, &b) || b.size() < 10 || b[6] != 1) return false;
  size_t hl = b[8] | (b[9] << 8);
  if (10 + hl > b.size()) return false;
  std::string header(reinterpret_cast<const char*>(b.data() + 10), hl);
  if (header.find("'<f4'") == std::string::npos) return false;
  out->resize((b.size() - 10 - hl) / 4);
  std::memcpy(out->data(), b.data() + 10 + hl, out->size() * 4);
  return true;
}

inline bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

}  // namespace tailor_test
