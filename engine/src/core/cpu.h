// Which instruction sets the running CPU offers to ISA-specific units.
#pragma once
#include <cstdlib>

#include "core/registry.h"

namespace tailor {

// TAILOR_DISABLE_SIMD=1 in the environment hides every ISA-specific unit, so the portable reference
// kernels serve the model: how tests cover the reference fallbacks on CPUs that have AVX2, and a way
// to tell a SIMD kernel bug from a model problem. A library built without those references then
// refuses the model (no kernel for the op), as it would on a CPU without the ISA.
inline bool simd_disabled() {
  const char* v = std::getenv("TAILOR_DISABLE_SIMD");
  return v != nullptr && v[0] != '\0' && v[0] != '0';
}

inline bool isa_available(Isa isa) {
  if (isa != Isa::kAny && simd_disabled()) return false;
  switch (isa) {
    case Isa::kAny:
      return true;
    case Isa::kNeon:
#if defined(__aarch64__) || defined(__arm__)
      return true;  // NEON units are built only for ARM ABIs that have it
#else
      return false;
#endif
    case Isa::kAvx2:
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
      return false;
#endif
  }
  return false;
}

}  // namespace tailor
