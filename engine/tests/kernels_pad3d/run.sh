#!/usr/bin/env bash
# Builds and runs the pad3d kernel unit test natively (no CMake, no registry
# needed): core's out-of-line types + shape-util + pad-util + the kernel.
#   engine/tests/kernels_pad3d/run.sh [--asan]
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../harness/native_build.sh"
mapfile -t srcs < <(part_sources kernels_pad3d 'src\/')
run_native_test kernels_pad3d ${1:+"$1"} -- "$engine/src/core/core_types.cc" "$engine/src/helpers/shape/shape_util.cc" \
  "${srcs[@]/#/$engine/}" "$here/pad3d_test.cc"
