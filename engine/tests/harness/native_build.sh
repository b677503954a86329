# Shared by the engine/tests/<part>/run.sh scripts: compile sources natively (no CMake, no registry), two
# compilers at a time, link them into one test binary and run it. Source it, then call run_native_test.
#   run_native_test NAME [--asan] -- SOURCE...
# NAME names the binary and its object directory ${TMPDIR:-/tmp}/tailor_NAME[/asan].
set -euo pipefail
engine="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Paths (relative to engine/) of the single `sources = ["..."]` of every unit of a catalog part whose source
# matches the sed pattern PREFIX (e.g. 'src\/kernels\/').
part_sources() {
  local part="$1" prefix="${2:-}"
  sed -n "s/^sources = \[\"\(${prefix}[^\"]*\)\"\]/\1/p" "$engine/catalog.parts/$part.toml"
}

run_native_test() {
  local name="$1"; shift
  local cxx="${CXX:-g++}" out="${TMPDIR:-/tmp}/tailor_$name"
  local flags=(-std=c++17 -O1 -g -Wall -Wextra -Werror -fno-exceptions -I"$engine/src" -I"$engine/tests")
  if [[ "${1:-}" == "--asan" ]]; then
    flags+=(-fsanitize=address,undefined -fno-sanitize-recover=all); out="$out/asan"; shift
  fi
  [[ "${1:-}" == "--" ]] && shift
  command -v ccache >/dev/null 2>&1 && cxx="ccache $cxx"
  mkdir -p "$out"
  local objs=() pids=() s o
  for s in "$@"; do
    o="$out/$(echo "${s#"$engine"/}" | tr '/' '_' | sed 's/\.cc$/.o/')"
    $cxx "${flags[@]}" -c "$s" -o "$o" &
    pids+=($!) objs+=("$o")
    if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi  # two cores
  done
  for p in "${pids[@]}"; do wait "$p"; done
  $cxx "${flags[@]}" "${objs[@]}" -o "$out/$name"
  "$out/$name"
}
