#!/usr/bin/env bash
# Builds and runs the numeric reference kernel unit tests natively (no CMake, no registry):
# core's out-of-line types + this part's helpers, epilogues and kernels + the tests.
#   engine/tests/kernels/run.sh [--asan]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$(cd "$here/../.." && pwd)"
out="${TMPDIR:-/tmp}/tailor_kernels_numeric"
mkdir -p "$out"
cxx="${CXX:-g++}"
command -v ccache >/dev/null 2>&1 && cxx="ccache $cxx"
flags=(-std=c++17 -O1 -g -Wall -Wextra -Werror -fno-exceptions -I"$engine/src" -I"$engine/tests")
if [[ "${1:-}" == "--asan" ]]; then flags+=(-fsanitize=address,undefined -fno-sanitize-recover=all); out="$out/asan"; mkdir -p "$out"; fi
srcs=("$engine/src/core/core_types.cc")
# every source this part's catalog lists
while IFS= read -r f; do srcs+=("$engine/$f"); done < <(sed -n 's/^sources = \["\([^"]*\)"\]/\1/p' "$engine/catalog.parts/kernels_numeric.toml")
objs=() pids=()
for s in "${srcs[@]}" "$here"/*_test.cc; do
  o="$out/$(echo "${s#$engine/}" | tr '/' '_' | sed 's/\.cc$/.o/')"
  $cxx "${flags[@]}" -c "$s" -o "$o" &
  pids+=($!) objs+=("$o")
  # two cores: at most two compilers at a time
  if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p"; done
$cxx "${flags[@]}" "${objs[@]}" -o "$out/numeric_kernels_test"
"$out/numeric_kernels_test"
