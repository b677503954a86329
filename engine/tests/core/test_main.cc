#include "test_harness.h"

int main(int argc, char** argv) {
  if (argc > 1) tailor_test::models_dir() = argv[1];
  if (argc > 2) tailor_test::fixtures_dir() = argv[2];
  int failed_cases = 0;
  for (const auto& c : tailor_test::cases()) {
    int before = tailor_test::failures();
    c.fn();
    bool ok = tailor_test::failures() == before;
    failed_cases += ok ? 0 : 1;
    std::printf("%s %s\n", ok ? "PASS" : "FAIL", c.name);
  }
  std::printf("%zu tests, %d failed\n", tailor_test::cases().size(), failed_cases);
  return failed_cases ? 1 : 0;
}
