#!/usr/bin/env bash
# Builds and runs the pad3d kernel unit test natively (no CMake, no registry
# needed): core's out-of-line types + shape-util + pad-util + the kernel.
#   engine/tests/kernels_pad3d/run.sh [--asan]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$(cd "$here/../.." && pwd)"
out="${TMPDIR:-/tmp}/tailor_kernels_pad3d"
mkdir -p "$out"
cxx="${CXX:-g++}"
command -v ccache >/dev/null 2>&1 && cxx="ccache $cxx"
flags=(-std=c++17 -O1 -g -Wall -Wextra -Werror -fno-exceptions -I"$engine/src" -I"$engine/tests")
if [[ "${1:-}" == "--asan" ]]; then flags+=(-fsanitize=address,undefined -fno-sanitize-recover=all); fi
srcs=("$engine/src/core/core_types.cc" "$engine/src/helpers/shape/shape_util.cc")
while IFS= read -r f; do srcs+=("$engine/$f"); done < <(sed -n 's/^sources = \["\(src\/[^"]*\)"\]/\1/p' "$engine/catalog.parts/kernels_pad3d.toml")
objs=() pids=()
for s in "${srcs[@]}" "$here/pad3d_test.cc"; do
  o="$out/$(basename "${s%.cc}").o"
  rm -f "$o"
  $cxx "${flags[@]}" -c "$s" -o "$o" &
  pids+=($!) objs+=("$o")
  # two cores: at most two compilers at a time
  if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p"; done
$cxx "${flags[@]}" "${objs[@]}" -o "$out/pad3d_test"
"$out/pad3d_test"
