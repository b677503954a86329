#!/usr/bin/env python3
"""Runs single-op fixtures (tests/fixtures/ops/<case>/) and the shared mobilenets through a built
`tailor-run` and checks every output against Paddle's: max|got - ref| <= tol * max|ref|.

    run_fixtures.py --runner BUILD/tailor-run [--abi x86|arm] [--prefix 'qemu-aarch64 -L /usr/aarch64-linux-gnu']
                    [--mine engine/catalog.parts/kernels_numeric.toml] [--no-models] [CASE ...]

Prints one line per case (status, max abs diff, max |ref|, units of the ops) and a summary;
exits 1 if any case that ran failed. `--mine FILE.toml` limits the cases to those with at least
one op served by a unit named in that catalog part.
"""
import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "ops"
SHARED = Path("/work/shared/models")


def run_case(args, name, model, inputs, refs, tmp):
    cmd = shlex.split(args.prefix) + [args.runner, str(model), "--plan", "--json"]
    for iname, f in inputs:
        cmd += ["--input", f"{iname}={f}"]
    outdir = Path(tmp) / name
    outdir.mkdir(parents=True, exist_ok=True)
    cmd += ["--outputs-dir", str(outdir)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    units = []
    try:
        doc = json.loads(p.stdout)
        units = sorted({o.get("unit", "?") for o in doc.get("plan", doc.get("ops", []))} - {"core"})
    except (json.JSONDecodeError, AttributeError):
        pass
    if p.returncode != 0:
        msg = (p.stderr.strip() or p.stdout.strip()).splitlines()
        return "ERROR", None, None, units, msg[-1] if msg else f"exit {p.returncode}"
    got_files = sorted(outdir.glob("*.npy"), key=lambda f: int(f.name.split("_", 1)[0]))
    worst, worst_ref, ok = 0.0, 0.0, True
    for i, ref_file in enumerate(refs):
        ref = np.load(ref_file).astype(np.float64)
        if i >= len(got_files):
            return "FAIL", None, None, units, f"missing output {i}"
        got = np.load(got_files[i]).astype(np.float64)
        if got.size != ref.size:
            return "FAIL", None, None, units, f"output {i}: {got.shape} vs ref {ref.shape}"
        if ref.dtype == np.bool_ or ref.size == 0:
            continue
        diff = float(np.max(np.abs(got.reshape(-1) - ref.reshape(-1)))) if ref.size else 0.0
        mref = float(np.max(np.abs(ref))) if ref.size else 0.0
        if not diff <= args.tol * max(mref, 1e-30):
            ok = False
        if diff >= worst:
            worst, worst_ref = diff, mref
    return ("ok" if ok else "FAIL"), worst, worst_ref, units, ""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--abi", default="x86", choices=["x86", "arm"])
    ap.add_argument("--prefix", default="", help="command to run the runner under, e.g. 'qemu-aarch64 -L /usr/aarch64-linux-gnu'")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--mine", help="catalog part: only cases that use one of its units")
    ap.add_argument("--no-models", action="store_true", help="skip the shared mobilenets")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    mine = set()
    if args.mine:
        mine = set(re.findall(r'(?m)^name = "([^"]+)"', Path(args.mine).read_text()))

    jobs = []
    for d in sorted(FIXTURES.iterdir()):
        if not (d / "case.json").is_file() or (args.cases and d.name not in args.cases):
            continue
        case = json.loads((d / "case.json").read_text())
        model = d / f"model_{args.abi}.nb"
        if case.get("status", "ok") != "ok" or not model.is_file():
            continue
        inputs = [(i["name"], d / i["file"]) for i in case["inputs"]]
        refs = [d / o.get("expected", o.get("paddle")) for o in case["outputs"]]
        jobs.append((d.name, model, inputs, refs))
    if not args.no_models and not args.cases:
        for m in sorted(SHARED.iterdir()):
            model = m / f"{m.name}_{args.abi}.nb"
            if model.is_file():
                jobs.append((m.name, model, [("x", m / "input.npy")], [m / "output_paddle.npy"]))

    failed = ran = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, model, inputs, refs in jobs:
            status, diff, mref, units, msg = run_case(args, name, model, inputs, refs, tmp)
            if mine and units and not (set(units) & mine):
                continue
            ran += 1
            failed += status != "ok"
            d = f"{diff:.3g}" if diff is not None else "-"
            r = f"{mref:.3g}" if mref is not None else "-"
            print(f"{status:5} {name:45} maxdiff {d:>9} max|ref| {r:>9}  {' '.join(units)} {msg}")
    print(f"{ran - failed}/{ran} ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
