#!/usr/bin/env bash
# Builds and runs the numeric reference kernel unit tests natively (no CMake, no registry):
# core's out-of-line types + this part's helpers, epilogues and kernels + the tests.
#   engine/tests/kernels/run.sh [--asan]
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../harness/native_build.sh"
mapfile -t srcs < <(part_sources kernels_numeric)
run_native_test kernels_numeric ${1:+"$1"} -- "$engine/src/core/core_types.cc" "${srcs[@]/#/$engine/}" "$here"/*_test.cc
