"""Engine conformance suite: shared fixtures.

- `engine(abi)`: the FULL engine + tailor-run for an ABI, built once per session by tools/engine_build.py
  (cached by source hash under .tailor-cache/engine-builds, incremental, ccache, -j2). An ARM ABI whose cross
  compiler or qemu is missing is skipped with the reason -- unless $CI is set (or TAILOR_REQUIRE_ALL_ABIS=1),
  where it fails: CI installs them (scripts/setup.sh).
- `engine_runs`: every fixture model run once per run target (an ABI, or linux-x86_64+ref: the reference
  kernels only, TAILOR_DISABLE_SIMD=1) with `tailor-run --plan --json --outputs-dir`, batched
  over a thread pool of TAILOR_TEST_JOBS (default 2) workers, only for the runs the collected tests need;
  test_fixtures.py (numbers) and test_selection_equivalence.py (the plan) share the results.

At the end of the session a per-ABI pass/fail summary of the conformance tests is printed and written to
.tailor-cache/engine-conformance/summary.json (failing cases with their message).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "tools"))

import engine_build  # noqa: E402  (tools/engine_build.py)
from engine_support import RUN_TARGETS, SUMMARY_DIR, EngineBuilds, EngineRuns  # noqa: E402

_NEEDED_KEY = pytest.StashKey[dict[str, set[str]]]()


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


@pytest.fixture(scope="session")
def engine_runs(
    request: pytest.FixtureRequest, engine_builds: EngineBuilds, tmp_path_factory: pytest.TempPathFactory
) -> EngineRuns:
    needed = request.config.stash.get(_NEEDED_KEY, {})
    return EngineRuns(engine_builds, needed, tmp_path_factory.mktemp("engine-runs"))


# ---- summary --------------------------------------------------------------------------------------------

_outcomes: dict[str, dict[str, list[str]]] = {}  # module -> abi -> outcome lines


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if f"{HERE.name}/test_" not in report.nodeid or "[" not in report.nodeid:
        return
    if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    module = report.nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    param = report.nodeid.split("[", 1)[1].rstrip("]")
    abi = max((t for t in RUN_TARGETS if t in param), key=len, default="-")
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
            counts = {
                k: sum(1 for ln in lines if ln.startswith(k + " ")) for k in ("passed", "failed", "skipped")
            }
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
