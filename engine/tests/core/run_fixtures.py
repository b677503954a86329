#!/usr/bin/env python3
"""Run every per-op fixture (tests/fixtures/ops/<case>/), whole-model fixture (tests/fixtures/models/<case>/) and the shared models through `tailor-run` and compare
each output with its reference (`expected` in case.json, else output_<i>_paddle.npy).

    python3 engine/tests/core/run_fixtures.py --runner build/tailor-run [--emulator "qemu-aarch64 -L /usr/aarch64-linux-gnu"]
        [--fixtures tests/fixtures/ops] [--models ../shared/models] [--files arm,x86] [--case SUBSTR] [--atol 1e-4 --rtol 1e-3]

Statuses: ok, MISMATCH, UNSUPPORTED (the build lacks a kernel: load fails with kUnsupported), ERROR (anything else).
Exit status 1 on any MISMATCH or ERROR; UNSUPPORTED only fails with --strict. Needs numpy.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]


def run_case(args, model: Path, inputs: list[tuple[str, Path]], refs: list[Path],
             tol: tuple[float, float]) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [*shlex.split(args.emulator), str(args.runner), str(model), "--outputs-dir", tmp, "--json"]
        for name, path in inputs:
            cmd += ["--input", f"{name}={path}"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        try:
            result = json.loads(proc.stdout.strip().splitlines()[-1])
        except (json.JSONDecodeError, IndexError):
            return "ERROR", (proc.stderr or proc.stdout).strip()[:300]
        if not result.get("ok"):
            err = result.get("error", "")
            if "no kernel in this build" in err or "rebuild with tailor build" in err:
                missing = [ln.strip() for ln in err.splitlines() if ln.strip().startswith("missing:")]
                return "UNSUPPORTED", (missing[0] if missing else err.splitlines()[0])[:200]
            return "ERROR", err[:400]
        worst = []
        for i, ref_path in enumerate(refs):
            got_files = sorted(Path(tmp).glob(f"{i}_*.npy"))
            if not got_files:
                return "ERROR", f"output {i} missing"
            got = np.load(got_files[0]).astype(np.float64)
            ref = np.load(ref_path).astype(np.float64)
            if got.size != ref.size:
                return "MISMATCH", f"output {i}: shape {got.shape} vs reference {ref.shape}"
            got, ref = got.reshape(ref.shape), ref
            diff = np.abs(got - ref)
            bad = ~(diff <= tol[0] + tol[1] * np.abs(ref))
            worst.append(f"out{i} max|d|={diff.max() if diff.size else 0:.2e}")
            if bad.any():
                return "MISMATCH", f"output {i}: {int(bad.sum())}/{bad.size} elements off, " + ", ".join(worst)
        return "ok", ", ".join(worst)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runner", type=Path, required=True)
    p.add_argument("--emulator", default="")
    p.add_argument("--fixtures", type=Path, default=ROOT / "tests/fixtures/ops")
    p.add_argument("--model-fixtures", type=Path, default=ROOT / "tests/fixtures/models",
                   help="whole-model fixtures: every model*.nb of each case")
    p.add_argument("--models", type=Path, default=ROOT.parent / "shared/models")
    p.add_argument("--files", default="arm,x86", help="which .nb flavours to run")
    p.add_argument("--case", default="", help="only cases whose name contains this")
    p.add_argument("--atol", type=float, default=1e-4)
    p.add_argument("--rtol", type=float, default=1e-3)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--strict", action="store_true", help="UNSUPPORTED fails too")
    p.add_argument("--quiet", action="store_true", help="print only non-ok rows")
    args = p.parse_args()
    flavours = [f for f in args.files.split(",") if f]

    jobs = []  # (label, model, inputs, refs, (atol, rtol) or None for the defaults)
    for case_json in sorted(args.fixtures.glob("*/case.json")) if args.fixtures.is_dir() else []:
        case = json.loads(case_json.read_text())
        if case.get("status") != "ok" or args.case not in case["case"]:
            continue
        d = case_json.parent
        inputs = [(i["name"], d / i["file"]) for i in case.get("inputs", [])]
        refs = [d / (o.get("expected") or o["paddle"]) for o in case.get("outputs", [])]
        for fl in flavours:
            model = d / f"model_{fl}.nb"
            if model.exists():
                jobs.append((f"{case['case']}[{fl}]", model, inputs, refs, None))
    for case_json in sorted(args.model_fixtures.glob("*/case.json")) if args.model_fixtures.is_dir() else []:
        case = json.loads(case_json.read_text())
        if case.get("status") != "ok" or args.case not in case["case"]:
            continue
        d = case_json.parent
        inputs = [(i["name"], d / i["file"]) for i in case.get("inputs", [])]
        for model in sorted(d.glob("model*.nb")):
            if not any(model.stem.endswith("_" + fl) for fl in flavours):
                continue
            # model_int8_<flavour>.nb holds int8 weights: compared with paddle's float output within the error
            # of an int8 step (Lite's own outputs for these files are garbage, see quant_cnn/case.json).
            tol = (2e-3, 5e-2) if "int8" in model.stem else None
            refs = [d / (o.get("expected") or o["paddle"]) for o in case.get("outputs", [])]
            jobs.append((f"{case['case']}[{model.stem}]", model, inputs, refs, tol))
    for mdir in sorted(args.models.glob("*")) if args.models.is_dir() else []:
        if args.case not in mdir.name:
            continue
        for fl in flavours:
            model = mdir / f"{mdir.name}_{fl}.nb"
            if model.exists():
                jobs.append((f"{mdir.name}[{fl}]", model, [("x", mdir / "input.npy")], [mdir / "output_paddle.npy"], None))

    counts: dict[str, int] = {}
    for label, model, inputs, refs, tol in jobs:
        try:
            status, detail = run_case(args, model, inputs, refs, tol or (args.atol, args.rtol))
        except subprocess.TimeoutExpired:
            status, detail = "ERROR", "timeout"
        counts[status] = counts.get(status, 0) + 1
        if not (args.quiet and status == "ok"):
            print(f"{status:12s} {label:48s} {detail}")
    print("summary: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f" ({len(jobs)} runs)")
    failed = counts.get("MISMATCH", 0) + counts.get("ERROR", 0) + (counts.get("UNSUPPORTED", 0) if args.strict else 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
