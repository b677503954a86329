"""Helpers of the engine conformance suite (tests/engine): constants, the per-session builds and the batched
tailor-run results. The fixtures that hand them to tests live in conftest.py; tests import names from here
(not from conftest, whose module name is not unique in this repository)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))

import engine_build  # noqa: E402  (tools/engine_build.py)
from engine_cases import ALL_RUNS, RUNS_BY_ID, ModelRun  # noqa: E402

ABIS = engine_build.ABIS
# A run target is an ABI, optionally with "+ref": the same full engine run with TAILOR_DISABLE_SIMD=1, so the
# portable reference kernels serve every op. On an AVX2 machine that is the only way the x86 fallbacks run.
REFERENCE_SUFFIX = "+ref"
RUN_TARGETS = (*ABIS, "linux-x86_64" + REFERENCE_SUFFIX)


def split_target(target: str) -> tuple[str, dict[str, str] | None]:
    """(ABI, extra environment) of a run target."""
    if target.endswith(REFERENCE_SUFFIX):
        return target.removesuffix(REFERENCE_SUFFIX), {"TAILOR_DISABLE_SIMD": "1"}
    return target, None


JOBS = int(os.environ.get("TAILOR_TEST_JOBS", "2"))
RUN_TIMEOUT = float(os.environ.get("TAILOR_RUN_TIMEOUT", "300"))
SUMMARY_DIR = ROOT / ".tailor-cache" / "engine-conformance"


def require_all_abis() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("TAILOR_REQUIRE_ALL_ABIS") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail where the tools are supposed to be installed (CI)."""
    if require_all_abis():
        pytest.fail(f"{reason} (required: $CI or TAILOR_REQUIRE_ALL_ABIS=1 is set)", pytrace=False)
    pytest.skip(reason)


# ---- builds ---------------------------------------------------------------------------------------------


class EngineBuilds:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[str, engine_build.EngineBuild | Exception | str] = {}
        self.seconds: dict[str, float] = {}

    def get(self, abi: str) -> engine_build.EngineBuild:
        """The full build for `abi`; skips (or fails under CI) when the ABI's tools are missing, fails when
        the build fails. Built at most once per session."""
        with self._lock:
            if abi not in self._done:
                reason = engine_build.unavailable_reason(abi)
                if reason is not None:
                    self._done[abi] = reason
                else:
                    t0 = time.monotonic()
                    try:
                        self._done[abi] = engine_build.build_engine(
                            abi, jobs=int(os.environ.get("JOBS", "2"))
                        )
                    except engine_build.EngineBuildError as exc:
                        self._done[abi] = exc
                    self.seconds[abi] = time.monotonic() - t0
            result = self._done[abi]
        if isinstance(result, str):
            skip_or_fail(result)
        if isinstance(result, Exception):
            pytest.fail(f"building the full engine for {abi} failed:\n{result}", pytrace=False)
        assert isinstance(result, engine_build.EngineBuild)
        return result


# ---- runs -----------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    run: ModelRun
    abi: str
    cmd: list[str]
    returncode: int | None  # None: timed out
    stdout: str
    stderr: str
    seconds: float
    out_dir: Path
    result: dict[str, Any] | None = None  # the runner's JSON line
    outputs: dict[int, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.result is not None and bool(self.result.get("ok"))

    @property
    def plan(self) -> list[dict[str, Any]] | None:
        return None if self.result is None else self.result.get("ops")

    def error(self) -> str:
        if self.returncode is None:
            return f"timed out after {RUN_TIMEOUT:.0f}s"
        if self.returncode < 0 or self.returncode >= 128:
            sig = -self.returncode if self.returncode < 0 else self.returncode - 128
            return f"CRASHED with signal {sig}: {self.stderr.strip()[-1500:]}"
        msg = (self.result or {}).get("error") or self.stderr.strip() or self.stdout.strip()
        return f"exit {self.returncode}: {msg[-1500:]}"

    def units_summary(self) -> str:
        plan = self.plan or []
        return ", ".join(
            f"#{op['index']} {op['type']}->{op['unit']}" for op in plan if op["type"] not in ("feed", "fetch")
        )


def run_model(
    build: engine_build.EngineBuild, run: ModelRun, out_dir: Path, env: dict[str, str] | None = None
) -> RunResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    args: list[str] = [str(run.model)]
    for name, path in run.inputs:
        args += ["--input", f"{name}={path}" if name else str(path)]
    args += ["--outputs-dir", str(out_dir), "--plan", "--json"]
    cmd = build.command(*args)
    t0 = time.monotonic()
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            errors="replace",
            env=None if env is None else {**os.environ, **env},
        )
        rc, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        rc = None
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
    res = RunResult(run, build.abi, cmd, rc, out, err, time.monotonic() - t0, out_dir)
    for line in reversed(out.strip().splitlines()):
        try:
            res.result = json.loads(line)
            break
        except ValueError:
            continue
    for f in out_dir.glob("*.npy"):
        head = f.name.split("_", 1)[0]
        if head.isdigit():
            res.outputs[int(head)] = f
    return res


class EngineRuns:
    def __init__(self, builds: EngineBuilds, needed: dict[str, set[str]], tmp: Path) -> None:
        self.builds = builds
        self.needed = needed
        self.tmp = tmp
        self._lock = threading.Lock()
        self._results: dict[str, dict[str, RunResult]] = {}
        self.seconds: dict[str, float] = {}

    def get(self, target: str, run_id: str) -> RunResult:
        """The result of `run_id` on a run target (an ABI, or ABI+ref: see split_target)."""
        abi, env = split_target(target)
        build = self.builds.get(abi)  # skips / fails like the build
        with self._lock:
            results = self._results.setdefault(target, {})
            if run_id not in results:
                # first request for this target (or a run not announced at collection): batch all pending
                pending = sorted((self.needed.get(target, set()) | {run_id}) - set(results))
                t0 = time.monotonic()
                with ThreadPoolExecutor(max_workers=JOBS) as pool:
                    futures = {
                        rid: pool.submit(
                            run_model,
                            build,
                            RUNS_BY_ID[rid],
                            self.tmp / target / RUNS_BY_ID[rid].safe_id,
                            env,
                        )
                        for rid in pending
                    }
                    for rid, fut in futures.items():
                        results[rid] = fut.result()
                self.seconds[target] = self.seconds.get(target, 0.0) + time.monotonic() - t0
            return results[run_id]


def run_params(targets: tuple[str, ...] = RUN_TARGETS) -> Iterator[Any]:
    """(target, run_id) parameters, target outermost so one target's batch completes before the next."""
    for target in targets:
        for run in ALL_RUNS:
            yield pytest.param(target, run.id, id=f"{target}:{run.id}")


def run_with_feed(
    build: Any, case: str, feed: str, replace: Callable[[np.ndarray], np.ndarray], tmp: Path
) -> subprocess.CompletedProcess[str]:
    """Run tests/fixtures/ops/<case>/model_arm.nb with its recorded inputs, feed `feed` replaced by
    replace(recorded array): how the refusal tests give a real model one bad input."""
    d = ROOT / "tests" / "fixtures" / "ops" / case
    args: list[str | Path] = [d / "model_arm.nb"]
    for f in sorted(d.glob("input_*.npy")):
        name = f.stem.removeprefix("input_")
        if name == feed:
            np.save(tmp / f.name, replace(np.load(f)))
            f = tmp / f.name
        args += ["--input", f"{name}={f}"]
    return subprocess.run(
        build.command(*args, "--outputs-dir", tmp / "out"),
        capture_output=True,
        text=True,
        timeout=120,
        errors="replace",
    )
