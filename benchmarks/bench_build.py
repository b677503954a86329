"""Benchmark `tailor build`: cold (fresh Conan home) and warm (cache hit) time, stripped size vs full engine.

    python benchmarks/bench_build.py [--model examples/mobilenet_v1_x0_25_arm.nb] [--abi linux-aarch64]
                                     [--ccache] [--no-verify] [--json]

Cold means a new, empty Conan home and (unless --ccache) a new, empty ccache directory, so every package is
compiled (objects the packages have in common are compiled once, as on a first run anywhere): the
tailored engine and the full engine for the ABI (the size reference) and, when verifying, the full host engine
(the reference outputs). Warm is the same build again. Targets (issue "tailor build"): stripped <= 150 KiB and
<= 20% of the full engine; cold <= 90 s, warm <= 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tailor.build import BuildOptions, BuildResult, build  # noqa: E402

TARGETS = {"stripped_kib": 150.0, "ratio": 0.20, "cold_s": 90.0, "warm_s": 5.0}


def timed_build(options: BuildOptions) -> tuple[float, BuildResult]:
    started = time.monotonic()
    result = build(options)
    return time.monotonic() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=REPO / "examples" / "mobilenet_v1_x0_25_arm.nb")
    parser.add_argument("--abi", default="linux-aarch64")
    parser.add_argument(
        "--ccache", action="store_true", help="cold build with your ccache (default: an empty one)"
    )
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tailor-bench-"))
    if not args.ccache:
        os.environ["CCACHE_DIR"] = str(work / "ccache")
    try:
        options = BuildOptions(
            models=(args.model,), abis=(args.abi,), out=work / "dist", verify=not args.no_verify,
            jobs=args.jobs, conan_home=work / "conan",
        )  # fmt: skip
        cold, first = timed_build(options)
        warm, second = timed_build(options)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    abi = first.abis[0]
    reference = first.reference
    full = abi.full_stripped_bytes
    figures: dict[str, Any] = {
        "model": str(args.model), "abi": abi.abi, "units": len(abi.units), "ccache": bool(args.ccache),
        "verify": not args.no_verify, "cold_s": round(cold, 2), "warm_s": round(warm, 2),
        "warm_cache_hit": second.cached,
        "cold_packages_s": {
            "tailored": abi.package.seconds, "full_same_abi": abi.full_package.seconds,
            "full_host_reference": reference.seconds if reference and reference.built else None,
        },
        "stripped_bytes": abi.stripped_bytes, "stripped_kib": round(abi.stripped_bytes / 1024, 1),
        "full_stripped_bytes": full, "full_stripped_kib": round(full / 1024, 1) if full else None,
        "ratio": round(abi.stripped_bytes / full, 4) if full else None,
        "verification": abi.verification.mode,
    }  # fmt: skip
    checks = {
        "stripped_kib": figures["stripped_kib"] <= TARGETS["stripped_kib"],
        "ratio": figures["ratio"] is not None and figures["ratio"] <= TARGETS["ratio"],
        "cold_s": cold <= TARGETS["cold_s"],
        "warm_s": warm <= TARGETS["warm_s"],
    }
    figures["targets"] = {k: {"target": TARGETS[k], "met": ok} for k, ok in checks.items()}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        packages = figures["cold_packages_s"]
        rows = [
            ("cold build", f"{cold:.1f} s", f"<= {TARGETS['cold_s']:.0f} s", checks["cold_s"]),
            ("warm build", f"{warm:.2f} s", f"<= {TARGETS['warm_s']:.0f} s", checks["warm_s"]),
            ("stripped", f"{figures['stripped_kib']:.1f} KiB", "<= 150 KiB", checks["stripped_kib"]),
            ("full engine", f"{figures['full_stripped_kib']:.1f} KiB", "", None),
            ("tailored/full", f"{100 * (figures['ratio'] or 0):.1f} %", "<= 20 %", checks["ratio"]),
        ]
        print(f"tailor build {args.model.name} --abi {abi.abi} ({len(abi.units)} units)")
        for name, value, target, ok in rows:
            print(f"  {name:<14} {value:>12}  {target:<11} {'' if ok is None else _ok(ok)}".rstrip())
        print(
            f"  cold packages: tailored {packages['tailored']:.1f} s, "
            f"full {packages['full_same_abi']:.1f} s, "
            f"host reference {packages['full_host_reference'] or 0:.1f} s; warm cache hit: {second.cached}"
        )
    return 0


def _ok(ok: bool) -> str:
    return "ok" if ok else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
