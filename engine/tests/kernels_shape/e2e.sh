#!/usr/bin/env bash
# End to end: builds the full engine (every catalog unit) for an ABI and runs
# this part's per-op fixtures through tailor-run (under qemu for ARM ABIs).
#   engine/tests/kernels_shape/e2e.sh [linux-x86_64|linux-aarch64|linux-armv7hf] [CASE...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
abi="${1:-linux-x86_64}"
shift || true
out="${TMPDIR:-/tmp}/tailor_kernels_shape_e2e/$abi"
py="$root/.venv/bin/python"
[[ -x "$py" ]] || py=python3
cmake_args=()
qemu=()
case "$abi" in
  linux-x86_64) ;;
  linux-aarch64) cmake_args+=(-DCMAKE_TOOLCHAIN_FILE="$root/engine/cmake/toolchains/linux-aarch64.cmake"); qemu=(--qemu aarch64) ;;
  linux-armv7hf) cmake_args+=(-DCMAKE_TOOLCHAIN_FILE="$root/engine/cmake/toolchains/linux-armv7hf.cmake"); qemu=(--qemu arm) ;;
  *) echo "unsupported ABI $abi" >&2; exit 2 ;;
esac
(cd "$root" && "$py" -m tailor codegen --abi "$abi" --full -o "$out/registry")
cmake -S "$root/engine" -B "$out/build" -DTAILOR_REGISTRY_DIR="$out/registry" "${cmake_args[@]}" >/dev/null
cmake --build "$out/build" -j2 --target tailor-run >/dev/null
"$py" "$here/fixtures.py" --runner "$out/build/tailor-run" "${qemu[@]}" "$@"
