// Which instruction sets the running CPU offers to ISA-specific units.
#pragma once
#include "core/registry.h"

namespace tailor {

inline bool isa_available(Isa isa) {
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
