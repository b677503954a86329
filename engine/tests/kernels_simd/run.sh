#!/usr/bin/env bash
# Builds and runs the SIMD kernel unit tests (no CMake, no registry) for each ABI:
#   x86_64  native, AVX2 units (compiled with -mavx2 -mfma; skipped on CPUs without AVX2+FMA)
#   aarch64 aarch64-linux-gnu-g++, NEON units, run under qemu-aarch64
#   armv7   arm-linux-gnueabihf-g++ -mfpu=neon -mfloat-abi=hard, NEON units, run under qemu-arm
# Each test binary links core's out-of-line types, the reference part (kernels_numeric.toml:
# helpers, epilogues and the reference kernels the tests compare against) and this part's
# units for the ABI's ISA.
#   engine/tests/kernels_simd/run.sh [x86_64|aarch64|armv7 ...]   (default: all three)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$(cd "$here/../.." && pwd)"
out_root="${TMPDIR:-/tmp}/tailor_kernels_simd"
abis=("$@")
(( ${#abis[@]} )) || abis=(x86_64 aarch64 armv7)

# Sources of a catalog part: "<isa> <path>" per line (isa "any" when the unit has none).
part_sources() {
  python3 - "$1" <<'PY'
import sys, tomllib
for u in tomllib.load(open(sys.argv[1], "rb")).get("unit", []):
    for s in u.get("sources", []):
        print(u.get("isa", "any"), s)
PY
}

build_and_run() {
  local abi="$1" cxx isa run=() flags isa_flags=()
  case "$abi" in
    x86_64)  cxx=g++; isa=avx2; isa_flags=(-mavx2 -mfma) ;;
    aarch64) cxx=aarch64-linux-gnu-g++; isa=neon; run=(qemu-aarch64 -L /usr/aarch64-linux-gnu) ;;
    armv7)   cxx=arm-linux-gnueabihf-g++; isa=neon; isa_flags=(-mfpu=neon -mfloat-abi=hard)
             run=(qemu-arm -L /usr/arm-linux-gnueabihf) ;;
    *) echo "unknown ABI $abi" >&2; return 2 ;;
  esac
  command -v ccache >/dev/null 2>&1 && cxx="ccache $cxx"
  local out="$out_root/$abi"
  mkdir -p "$out"
  flags=(-std=c++17 -O2 -g -Wall -Wextra -fno-exceptions -I"$engine/src" -I"$engine/tests" -I"$here")
  # armv7: every TU may use NEON (the test includes the NEON GEMM header); the hard-float ABI
  # must match across all objects anyway.
  [[ "$abi" == armv7 ]] && flags+=("${isa_flags[@]}" -Wno-psabi)  # psabi: GCC 7.1 ABI notes

  local jobs=() objs=() pids=()
  jobs+=("any src/core/core_types.cc")
  while read -r line; do jobs+=("$line"); done < <(part_sources "$engine/catalog.parts/kernels_numeric.toml")
  while read -r line; do
    local u_isa="${line%% *}"
    [[ "$u_isa" == any || "$u_isa" == "$isa" ]] && jobs+=("$line")
  done < <(part_sources "$engine/catalog.parts/kernels_simd.toml")
  jobs+=("test tests/kernels_simd/kernels_simd_test.cc")
  for job in "${jobs[@]}"; do
    local j_isa="${job%% *}" src="${job#* }" extra=()
    [[ "$j_isa" == avx2 ]] && extra=("${isa_flags[@]}")
    # This part's own files are held to -Werror.
    case "$src" in
      src/kernels/arm/*|src/kernels/x86/*|src/helpers/f32-gemm/*-*|src/helpers/conv2d-shape/*|\
      src/helpers/f32-conv2d-gemm/*|src/helpers/f32-dwconv3x3/*|src/helpers/f32-matmul/*|\
      src/helpers/f32-pool2d/*|tests/kernels_simd/*) extra+=(-Werror) ;;
    esac
    local o="$out/$(echo "$src" | tr '/' '_' | sed 's/\.cc$/.o/')"
    $cxx "${flags[@]}" "${extra[@]}" -c "$engine/$src" -o "$o" &
    pids+=($!) objs+=("$o")
    if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi  # two cores
  done
  for p in "${pids[@]}"; do wait "$p"; done
  $cxx "${flags[@]}" "${objs[@]}" -o "$out/kernels_simd_test"
  echo "== $abi"
  "${run[@]}" "$out/kernels_simd_test"
}

status=0
for abi in "${abis[@]}"; do build_and_run "$abi" || status=1; done
exit $status
