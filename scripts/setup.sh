#!/usr/bin/env bash
# Idempotent developer/CI set-up: system packages, then a project virtualenv in .venv with tailor installed
# editable plus its test tools. Safe to run repeatedly; it only reinstalls when pyproject.toml changed.
# Works unattended (no stdin) on a fresh Debian 12 machine that has Python 3.11, gcc and cmake.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.tailor-setup-stamp"

say() { printf 'setup: %s\n' "$*"; }

# System packages (cross compilers, qemu, ...) go here; the lead fills this in. Keep it idempotent and
# non-interactive (DEBIAN_FRONTEND=noninteractive apt-get install -y ...).
install_system_packages() {
    # Cross compilers and emulators for `tailor build` (linux-aarch64, linux-armv7hf) and its verification,
    # ccache for rebuilds, clang + compiler-rt for the engine fuzzer. Installs only what is missing.
    local wanted=(g++-aarch64-linux-gnu g++-arm-linux-gnueabihf qemu-user ccache clang libclang-rt-14-dev)
    local missing=() pkg
    for pkg in "${wanted[@]}"; do
        dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "system packages present"
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "warning: not a Debian system; install these yourself: ${missing[*]}"
        return 0
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            say "warning: not root and no password-less sudo; install these yourself: ${missing[*]}"
            return 0
        fi
    fi
    say "installing system packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" </dev/null
}

find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

create_venv() {
    if [ -x "$VENV/bin/python" ]; then
        return 0
    fi
    local python
    python=$(find_python) || { echo "setup: error: need Python >= 3.11 (tried python3.11, python3)" >&2; exit 1; }
    say "creating $VENV with $python"
    "$python" -m venv "$VENV"
}

install_project() {
    local want have=""
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    [ -f "$STAMP" ] && have=$(cat "$STAMP")
    if [ "$want" = "$have" ]; then
        say "$VENV is up to date with pyproject.toml"
        return 0
    fi
    say "installing tailor (editable) with test extras into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
    echo "$want" >"$STAMP"
}

install_system_packages
create_venv
install_project
