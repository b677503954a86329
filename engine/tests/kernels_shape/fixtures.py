"""End-to-end check of the shape/layout kernels on the real per-op fixtures.

Runs `tailor-run` on model_arm.nb and model_x86.nb of every fixture case in
tests/fixtures/ops/ that uses one of this part's ops and compares each output
with the reference: max |got - ref| <= 1e-4 * max |ref| (flat, since Paddle
writes 0-D where Lite writes [1]). The reference is output_<i>_numpy.npy when
the generator recorded one (paddle itself was wrong there), else
output_<i>_paddle.npy.

    python engine/tests/kernels_shape/fixtures.py --runner build/tailor-run [--qemu aarch64] [CASE...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

OPS = set(
    "reshape reshape2 flatten flatten2 flatten_contiguous_range squeeze squeeze2 unsqueeze unsqueeze2 "
    "transpose transpose2 concat split slice stack expand_v2 reduce_mean reduce_sum reduce_max reduce_min "
    "arg_max shape cast fill_constant gather pad2d nearest_interp nearest_interp_v2 bilinear_interp "
    "bilinear_interp_v2 shuffle_channel assign".split()
)
ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "ops"
QEMU = {"aarch64": ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"], "arm": ["qemu-arm", "-L", "/usr/arm-linux-gnueabihf"]}


def case_ops(case: dict) -> set[str]:
    return {op["type"] for abi in ("arm", "x86") for op in case.get("nb", {}).get(abi, {}).get("ops", [])}


def run_case(runner: list[str], d: Path, case: dict, nb: str, tmp: Path) -> tuple[bool, str]:
    out_dir = tmp / f"{d.name}_{nb}"
    out_dir.mkdir()
    cmd = [*runner, str(d / nb)]
    for inp in case["inputs"]:
        cmd += ["--input", f"{inp['name']}={d / inp['file']}"]
    cmd += ["--outputs-dir", str(out_dir)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return False, (p.stderr or p.stdout).strip().splitlines()[-1] if (p.stderr or p.stdout).strip() else f"rc {p.returncode}"
    got_files = sorted(out_dir.glob("*.npy"), key=lambda f: int(f.name.split("_", 1)[0]))
    notes = []
    ok = True
    for o in case["outputs"]:
        i = o["index"]
        ref_file = d / f"output_{i}_numpy.npy"
        if not ref_file.exists():
            ref_file = d / o["paddle"]
        if i >= len(got_files):
            return False, f"output {i} missing"
        got = np.load(got_files[i]).astype(np.float64).ravel()
        ref = np.load(ref_file).astype(np.float64).ravel()
        if got.shape != ref.shape:
            return False, f"output {i}: {got.size} values, reference {ref.size}"
        diff = float(np.max(np.abs(got - ref))) if ref.size else 0.0
        tol = 1e-4 * float(np.max(np.abs(ref))) if ref.size else 0.0
        good = diff <= max(tol, 1e-12)
        ok = ok and good
        notes.append(f"out{i} diff {diff:.3g}{'' if good else f' > tol {tol:.3g}'}")
    return ok, ", ".join(notes)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True, help="tailor-run binary")
    ap.add_argument("--qemu", choices=sorted(QEMU), help="run the runner under qemu")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    runner = [*(QEMU[args.qemu] if args.qemu else []), str(Path(args.runner).resolve())]
    failures = 0
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for cj in sorted(FIXTURES.glob("*/case.json")):
            case = json.loads(cj.read_text())
            d = cj.parent
            if args.cases and d.name not in args.cases:
                continue
            if not args.cases and not (case_ops(case) & OPS):
                continue
            for nb in ("model_arm.nb", "model_x86.nb"):
                if not (d / nb).exists():
                    print(f"SKIP {d.name:40s} {nb}: not generated ({case.get('status')})")
                    continue
                ok, msg = run_case(runner, d, case, nb, tmp)
                failures += not ok
                print(f"{'PASS' if ok else 'FAIL'} {d.name:40s} {nb:13s} {msg}")
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
