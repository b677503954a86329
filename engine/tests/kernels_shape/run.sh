#!/usr/bin/env bash
# Builds and runs the shape/layout kernel unit tests natively (no CMake, no
# registry needed): core's out-of-line types + shape-util + the kernels.
#   engine/tests/kernels_shape/run.sh [--asan]
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../harness/native_build.sh"
mapfile -t srcs < <(part_sources kernels_shape 'src\/kernels\/')
run_native_test kernels_shape ${1:+"$1"} -- "$engine/src/core/core_types.cc" "$engine/src/helpers/shape/shape_util.cc" \
  "${srcs[@]/#/$engine/}" "$here/kernels_shape_test.cc"
