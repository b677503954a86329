#!/usr/bin/env bash
# Builds and runs the logic-family kernel unit test natively (no CMake, no registry): core's
# out-of-line types + shape-util + broadcast.ref + this part's helper and kernels + the test.
#   engine/tests/kernels_logic/run.sh [--asan]
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../harness/native_build.sh"
mapfile -t srcs < <(part_sources kernels_logic 'src\/')
run_native_test kernels_logic ${1:+"$1"} -- "$engine/src/core/core_types.cc" \
  "$engine/src/helpers/shape/shape_util.cc" "$engine/src/helpers/broadcast/ref.cc" \
  "${srcs[@]/#/$engine/}" "$here/logic_test.cc"
