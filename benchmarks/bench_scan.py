"""Time `tailor scan` over 100 models of ~3 MB: the library call, and the CLI in a fresh process.

    .venv/bin/python benchmarks/bench_scan.py [--copies 100] [--runs 5]
    PYTHONPATH=/other/checkout .venv/bin/python benchmarks/bench_scan.py   # time another version of tailor

The models are copies of the real ones in ../shared/models (or of examples/ when shared/ is absent), each
padded with trailing zeros to at least 3 MB; trailing bytes change nothing for scan but add hashing work.
Files are freshly written, so they are in the page cache: this measures tailor, not the disk. The sha256 of
all files alone is timed too, since the scan schema needs it and it is a fixed share of the cost.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import tailor
from tailor.scan import scan

REPO = Path(__file__).resolve().parents[1]
PAD_TO = 3_000_000


def source_models() -> list[Path]:
    shared = sorted((REPO.parent / "shared" / "models").glob("*/*_*.nb"))
    return shared or [REPO / "examples" / "mobilenet_v1_x0_25_arm.nb"]


def make_copies(directory: Path, count: int) -> list[Path]:
    sources = source_models()
    paths = []
    for i in range(count):
        path = directory / f"model_{i:03d}.nb"
        shutil.copyfile(sources[i % len(sources)], path)
        with path.open("r+b") as f:
            f.truncate(max(PAD_TO, path.stat().st_size))
        paths.append(path)
    return paths


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished children: unlike wall time, it does not grow
    when other work competes for the cores."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(runs: int, fn: Callable[[], object]) -> tuple[float, float, float]:
    """(best wall, median wall, median CPU) seconds over `runs` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), cpu_seconds()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return min(walls), statistics.median(walls), statistics.median(cpus)


def sha256_all(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as f:
            hashlib.file_digest(f, "sha256")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tailor-bench-") as tmp:
        paths = make_copies(Path(tmp), args.copies)
        total_mb = sum(p.stat().st_size for p in paths) / 1e6
        cli = [sys.executable, "-m", "tailor", "scan", "--json", "--models", *map(str, paths)]

        # The CLI must run the same tailor as the library call above (so that PYTHONPATH=<other checkout>
        # compares versions), not whatever `-m tailor` finds in the current directory.
        env = {**os.environ, "PYTHONPATH": str(Path(tailor.__file__).resolve().parents[1])}

        def run_cli() -> None:
            subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, cwd=tmp, env=env)

        print(f"{len(paths)} models, {total_mb:.0f} MB in all (from {len(source_models())} real model(s))")
        print(f"tailor from {Path(tailor.__file__).parent}")
        for label, fn in [
            ("sha256 of every file alone", lambda: sha256_all(paths)),
            ("tailor.scan.scan(paths)", lambda: scan(paths)),
            ("tailor scan --json (new process)", run_cli),
        ]:
            best, median, cpu = measure(args.runs, fn)
            print(f"{label:34s} wall best {best:.3f} s, median {median:.3f} s; CPU median {cpu:.3f} s")
        print(f"({args.runs} runs each; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
