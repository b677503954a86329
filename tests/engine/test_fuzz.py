"""libFuzzer (ASan + UBSan) on the model loader and predictor: `engine/fuzz/run_fuzz.sh 60`, seeded with every
real .nb model. Passes when the script exits 0 and left no crash / leak / timeout / OOM artifact.

The fuzz build lives in .tailor-cache/fuzz-build (incremental; ccache) and uses the full x86_64 registry that
tools/engine_build.py generated. Skipped locally (failed under $CI) when clang or libFuzzer is missing.
Duration: TAILOR_FUZZ_SECONDS (default 60).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from engine_support import ROOT, skip_or_fail

SCRIPT = ROOT / "engine" / "fuzz" / "run_fuzz.sh"
SECONDS = int(os.environ.get("TAILOR_FUZZ_SECONDS", "60"))
BUILD = ROOT / ".tailor-cache" / "fuzz-build"


def _libfuzzer_reason() -> str | None:
    if shutil.which("clang++") is None:
        return "clang++ is not installed (Debian: clang libclang-rt-14-dev; scripts/setup.sh installs them)"
    probe = subprocess.run(
        ["clang++", "-fsanitize=fuzzer,address,undefined", "-x", "c++", "-", "-o", os.devnull],
        input="#include <cstdint>\n#include <cstddef>\n"
        'extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t)'
        "{return 0;}\n",
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return (
            f"clang++ cannot link libFuzzer + ASan/UBSan (libclang-rt-*-dev missing?): {probe.stderr[-300:]}"
        )
    return None


@pytest.mark.fuzz
def test_fuzz_loader(engine) -> None:
    if not SCRIPT.is_file():
        pytest.skip(f"{SCRIPT.relative_to(ROOT)} does not exist yet")
    reason = _libfuzzer_reason()
    if reason is not None:
        skip_or_fail(reason)
    build = engine("linux-x86_64")  # its registry dir is the full x86_64 selection
    artifacts = BUILD / "artifacts"
    if artifacts.is_dir():
        shutil.rmtree(artifacts)
    env = dict(
        os.environ,
        TAILOR_FUZZ_BUILD=str(BUILD),
        TAILOR_REGISTRY_DIR=str(build.registry_dir),
        PYTHON=sys.executable,
        JOBS=os.environ.get("JOBS", "2"),
    )
    proc = subprocess.run(
        ["bash", str(SCRIPT), str(SECONDS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=SECONDS + 3600,
        errors="replace",
    )
    out = proc.stdout + proc.stderr
    found = sorted(p.name for p in artifacts.glob("*")) if artifacts.is_dir() else []
    tail = "\n".join(out.splitlines()[-80:])
    assert proc.returncode == 0, f"run_fuzz.sh exited {proc.returncode}; artifacts {found}:\n{tail}"
    assert not found, f"fuzzer artifacts in {artifacts}: {found}\n{tail}"
    assert "Done " in out or "stat::number_of_executed_units" in out, (
        f"the fuzzer did not report a run:\n{tail}"
    )
