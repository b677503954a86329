"""The engine's own C++ tests.

- Every `engine/tests/<part>/run.sh` the kernel owners provide (each builds its tests without CMake and runs
  them natively or under qemu; each must exit 0). Scripts that cross-compile skip locally (fail under $CI)
  when an ARM toolchain is missing.
- The core tests (`tailor_core_tests`, engine/tests/core/*.cc, TAILOR_BUILD_TESTS) built in each ABI's full
  engine tree (they reuse its objects) and run with the shared models and the fixtures.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import engine_build
import pytest
from engine_cases import OPS_DIR, SHARED_MODELS_DIR
from engine_support import ABIS, ROOT, skip_or_fail

SCRIPTS = sorted((ROOT / "engine" / "tests").glob("*/run.sh"))
TIMEOUT = float(os.environ.get("TAILOR_UNIT_TEST_TIMEOUT", "1800"))


def _tail(text: str, n: int = 60) -> str:
    return "\n".join(text.splitlines()[-n:])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.parent.name)
def test_run_sh(script: Path, tmp_path: Path) -> None:
    text = script.read_text()
    for abi, cxx in (
        ("linux-aarch64", "aarch64-linux-gnu-g++"),
        ("linux-armv7hf", "arm-linux-gnueabihf-g++"),
    ):
        if cxx in text:
            reason = engine_build.unavailable_reason(abi)
            if reason is not None:
                skip_or_fail(f"{script.relative_to(ROOT)} cross-compiles for {abi}: {reason}")
    env = dict(os.environ)
    # each script builds into $TMPDIR/<its own dir>: keep that out of /tmp clutter but reusable (ccache)
    env.setdefault("TMPDIR", str(ROOT / ".tailor-cache" / "engine-unit-tests"))
    Path(env["TMPDIR"]).mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["bash", str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        errors="replace",
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{script.relative_to(ROOT)} exited {proc.returncode}:\n{_tail(out)}"


@pytest.mark.parametrize("abi", ABIS)
def test_core_tests(abi: str, engine) -> None:
    build = engine(abi)
    if not (ROOT / "engine" / "tests" / "core").is_dir() or not list(
        (ROOT / "engine" / "tests" / "core").glob("*.cc")
    ):
        pytest.skip("engine/tests/core has no tests")
    try:
        binary = engine_build.build_target(build, "tailor_core_tests")
    except engine_build.EngineBuildError as exc:
        pytest.fail(f"building tailor_core_tests for {abi} failed:\n{exc}", pytrace=False)
    cmd = [*build.run_prefix, str(binary), str(SHARED_MODELS_DIR), str(OPS_DIR)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, errors="replace")
    out = proc.stdout + proc.stderr
    failing = [ln for ln in out.splitlines() if ln.startswith("FAIL")]
    assert proc.returncode == 0, f"{abi} tailor_core_tests exited {proc.returncode}: {failing}\n{_tail(out)}"
