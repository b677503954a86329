// A minimal test harness for the core tests (no third-party framework, so the
// tests build wherever the engine does, including under qemu).
#pragma once
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace tailor_test {

struct Case {
  const char* name;
  void (*fn)();
};

inline std::vector<Case>& cases() {
  static std::vector<Case> all;
  return all;
}
inline int& failures() {
  static int n = 0;
  return n;
}
// argv[1] / argv[2]: directories of real models and per-op fixtures ("" when absent).
inline std::string& models_dir() {
  static std::string d;
  return d;
}
inline std::string& fixtures_dir() {
  static std::string d;
  return d;
}

struct Register {
  Register(const char* name, void (*fn)()) { cases().push_back({name, fn}); }
};

}  // namespace tailor_test

#define TEST(name)                                                   \
  static void test_##name();                                         \
  static ::tailor_test::Register register_##name(#name, test_##name); \
  static void test_##name()

#define EXPECT(cond)                                                                   \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "  %s:%d: EXPECT failed: %s\n", __FILE__, __LINE__, #cond); \
      ++::tailor_test::failures();                                                     \
    }                                                                                  \
  } while (0)

#define EXPECT_MSG(cond, msg)                                                                                \
  do {                                                                                                       \
    if (!(cond)) {                                                                                           \
      std::fprintf(stderr, "  %s:%d: EXPECT failed: %s (%s)\n", __FILE__, __LINE__, #cond, std::string(msg).c_str()); \
      ++::tailor_test::failures();                                                                           \
    }                                                                                                        \
  } while (0)
