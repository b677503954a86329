#!/usr/bin/env bash
# Fuzz the model loader (and, for models it accepts, the predictor) for SECONDS
# seconds with clang's libFuzzer + ASan + UBSan. Exits non-zero on any finding.
#
#   engine/fuzz/run_fuzz.sh [SECONDS]          (default 60; CI runs 60)
#
# Environment:
#   TAILOR_REGISTRY_DIR  registry to build with (default: the full engine, written by
#                        `python -m tailor codegen --full`; falls back to core only)
#   TAILOR_FUZZ_BUILD    build directory (default: $TMPDIR/tailor-fuzz-build)
#   PYTHON               interpreter with tailor's dependencies (default: .venv/bin/python, else python3)
#   JOBS                 build parallelism (default 2)
# Seeds: every .nb under ../shared/models, tests/fixtures (copied to a fresh corpus
# directory, so the checkout is never written). Crash inputs land in
# $TAILOR_FUZZ_BUILD/artifacts/.
set -euo pipefail

SECONDS_TO_RUN="${1:-60}"
ENGINE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$ENGINE/.." && pwd)"
BUILD="${TAILOR_FUZZ_BUILD:-${TMPDIR:-/tmp}/tailor-fuzz-build}"
JOBS="${JOBS:-2}"
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
mkdir -p "$BUILD"

REGISTRY="${TAILOR_REGISTRY_DIR:-}"
if [[ -z "$REGISTRY" ]]; then
  REGISTRY="$BUILD/registry"
  if ! (cd "$ROOT" && "$PYTHON" -m tailor codegen --full --abi linux-x86_64 --out "$REGISTRY" >/dev/null); then
    echo "run_fuzz: warning: could not generate the full registry; fuzzing the core only" >&2
    mkdir -p "$REGISTRY"
    cat >"$REGISTRY/registry.cc" <<'CC'
#include "core/registry.h"
namespace tailor {
const Registry& registry() {
  static constexpr Registry kRegistry = {nullptr, 0, nullptr, 0, nullptr, "core-only"};
  return kRegistry;
}
}  // namespace tailor
CC
    printf 'set(TAILOR_UNITS "core")\n' >"$REGISTRY/units.cmake"
  fi
fi

CC=clang CXX=clang++ cmake -S "$ENGINE" -B "$BUILD/cmake" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTAILOR_REGISTRY_DIR="$REGISTRY" -DTAILOR_BUILD_FUZZER=ON -DTAILOR_BUILD_RUNNER=OFF \
  -DTAILOR_SHARED=OFF -DTAILOR_STATIC=ON >"$BUILD/configure.log" || { cat "$BUILD/configure.log"; exit 1; }
cmake --build "$BUILD/cmake" --target tailor_fuzz_load -j "$JOBS" >"$BUILD/build.log" || { tail -50 "$BUILD/build.log"; exit 1; }

CORPUS="$(mktemp -d "${TMPDIR:-/tmp}/tailor-fuzz-corpus.XXXXXX")"
trap 'rm -rf "$CORPUS"' EXIT
n=0
while IFS= read -r -d '' f; do
  cp "$f" "$CORPUS/seed_$n.nb"
  n=$((n + 1))
done < <(find "$ROOT/../shared/models" "$ROOT/tests/fixtures" -name '*.nb' -print0 2>/dev/null)
echo "run_fuzz: $n seed model(s), ${SECONDS_TO_RUN}s"

mkdir -p "$BUILD/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$BUILD/cmake/tailor_fuzz_load" "$CORPUS" -max_total_time="$SECONDS_TO_RUN" -timeout=30 -rss_limit_mb=2560 \
  -max_len=4194304 -artifact_prefix="$BUILD/artifacts/" -print_final_stats=1
