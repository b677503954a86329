"""Engine conformance suite: shared fixtures.

- `engine(abi)`: the FULL engine + tailor-run for an ABI, built once per session by tools/engine_build.py
  (cached by source hash under .tailor-cache/engine-builds, incremental, ccache, -j2). An ARM ABI whose cross
  compiler or qemu is missing is skipped with the reason -- unless $CI is set (or TAILOR_REQUIRE_ALL_ABIS=1),
  where it fails: CI installs them (scripts/setup.sh).
- `engine_runs`: every fixture model run once per ABI with `tailor-run --plan --json --outputs-dir`, batched
  over a thread pool of TAILOR_TEST_JOBS (default 2) workers, only for the runs the collected tests need;
  test_fixtures.py (numbers) and test_selection_equivalence.py (the plan) share the results.

At the end of the session a per-ABI pass/fail summary of the conformance tests is printed and written to
.tailor-cache/engine-conformance/summary.json (failing cases with their message).
"""

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

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(HERE))

import engine_build  # noqa: E402  (tools/engine_build.py)
from engine_cases import ALL_RUNS, RUNS_BY_ID, ModelRun  # noqa: E402

ABIS = engine_build.ABIS
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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: compiles the engine or runs it under qemu (minutes)")
    config.addinivalue_line("markers", "engine: engine conformance suite (tests/engine)")
    config.addinivalue_line("markers", "fuzz: libFuzzer run of the engine loader (clang)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    needed: dict[str, set[str]] = {}
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.engine)
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "run_id" in callspec.params and "abi" in callspec.params:
            needed.setdefault(callspec.params["abi"], set()).add(callspec.params["run_id"])
    config.stash[_NEEDED_KEY] = needed


_NEEDED_KEY = pytest.StashKey[dict[str, set[str]]]()


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
                        self._done[abi] = engine_build.build_engine(abi, jobs=int(os.environ.get("JOBS", "2")))
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


_BUILDS_KEY = pytest.StashKey[EngineBuilds]()


@pytest.fixture(scope="session")
def engine_builds(request: pytest.FixtureRequest) -> EngineBuilds:
    builds = EngineBuilds()
    request.config.stash[_BUILDS_KEY] = builds
    return builds


@pytest.fixture(scope="session")
def engine(engine_builds: EngineBuilds) -> Callable[[str], engine_build.EngineBuild]:
    """engine(abi) -> the full build (see EngineBuilds.get)."""
    return engine_builds.get


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
        return ", ".join(f"#{op['index']} {op['type']}->{op['unit']}" for op in plan if op["type"] not in ("feed", "fetch"))


def run_model(build: engine_build.EngineBuild, run: ModelRun, out_dir: Path) -> RunResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    args: list[str] = [str(run.model)]
    for name, path in run.inputs:
        args += ["--input", f"{name}={path}" if name else str(path)]
    args += ["--outputs-dir", str(out_dir), "--plan", "--json"]
    cmd = build.command(*args)
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT, errors="replace")
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

    def get(self, abi: str, run_id: str) -> RunResult:
        build = self.builds.get(abi)  # skips / fails like the build
        with self._lock:
            results = self._results.setdefault(abi, {})
            if run_id not in results:
                # first request for this ABI (or a run not announced at collection): batch everything pending
                pending = sorted((self.needed.get(abi, set()) | {run_id}) - set(results))
                t0 = time.monotonic()
                with ThreadPoolExecutor(max_workers=JOBS) as pool:
                    futures = {
                        rid: pool.submit(run_model, build, RUNS_BY_ID[rid], self.tmp / abi / RUNS_BY_ID[rid].safe_id)
                        for rid in pending
                    }
                    for rid, fut in futures.items():
                        results[rid] = fut.result()
                self.seconds[abi] = self.seconds.get(abi, 0.0) + time.monotonic() - t0
            return results[run_id]


@pytest.fixture(scope="session")
def engine_runs(
    request: pytest.FixtureRequest, engine_builds: EngineBuilds, tmp_path_factory: pytest.TempPathFactory
) -> EngineRuns:
    needed = request.config.stash.get(_NEEDED_KEY, {})
    return EngineRuns(engine_builds, needed, tmp_path_factory.mktemp("engine-runs"))


def run_params() -> Iterator[Any]:
    """(abi, run_id) parameters, ABI outermost so one ABI's batch completes before the next starts."""
    for abi in ABIS:
        for run in ALL_RUNS:
            yield pytest.param(abi, run.id, id=f"{abi}:{run.id}")


# ---- summary --------------------------------------------------------------------------------------------

_outcomes: dict[str, dict[str, list[str]]] = {}  # module -> abi -> outcome lines


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if f"{HERE.name}/test_" not in report.nodeid or "[" not in report.nodeid:
        return
    if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    module = report.nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    param = report.nodeid.split("[", 1)[1].rstrip("]")
    abi = next((a for a in ABIS if a in param), "-")
    outcome = report.outcome
    line = f"{outcome} {param}"
    if outcome == "failed":
        text = report.longreprtext.strip().splitlines()
        line += " :: " + " | ".join(t.strip() for t in text[-6:] if t.strip())[:600]
    elif outcome == "skipped" and isinstance(report.longrepr, tuple):
        line += " :: " + str(report.longrepr[2])[:300]
    _outcomes.setdefault(module, {}).setdefault(abi, []).append(line)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _outcomes:
        return
    tr = terminalreporter
    tr.section("engine conformance summary")
    summary: dict[str, Any] = {}
    for module in sorted(_outcomes):
        for abi in sorted(_outcomes[module]):
            lines = _outcomes[module][abi]
            counts = {k: sum(1 for ln in lines if ln.startswith(k + " ")) for k in ("passed", "failed", "skipped")}
            tr.write_line(
                f"{module:34s} {abi:15s} passed {counts['passed']:4d}  failed {counts['failed']:4d}  "
                f"skipped {counts['skipped']:4d}"
            )
            summary.setdefault(module, {})[abi] = {
                **counts,
                "failures": [ln for ln in lines if ln.startswith("failed ")],
            }
    builds = config.stash.get(_BUILDS_KEY, None)
    if builds is not None:
        for abi, secs in sorted(builds.seconds.items()):
            tr.write_line(f"engine build {abi}: {secs:.1f}s (including the up-to-date check)")
        summary["build_seconds"] = builds.seconds
    try:
        SUMMARY_DIR.mkdir(parents=True, exist_ok=True)
        (SUMMARY_DIR / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
        tr.write_line(f"details: {SUMMARY_DIR / 'summary.json'}")
    except OSError:
        pass
