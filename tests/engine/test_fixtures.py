"""Numerical conformance: every fixture model (ARM and x86 .nb files, model variants, the shared mobilenets)
on every ABI's full engine (and on linux-x86_64 once more with TAILOR_DISABLE_SIMD=1, where the portable
reference kernels serve every op), each output compared with its reference (engine_cases.py,
docs/engine-conformance.md):

    max |out - ref| <= rel_tol * max |ref|      (ABS_FLOOR when the reference is all zeros)

plus equal argmax for classifiers. A failure names the ABI, the case, the output, the diff and the units the
engine ran for each op, so the kernel owner can reproduce it with

    tailor-run MODEL --input name=input.npy --outputs-dir DIR --plan
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from engine_cases import ABS_FLOOR, ALL_RUNS, RUNS_BY_ID, OutputRef, dequantized_float_model
from engine_support import ABIS, REFERENCE_SUFFIX, EngineRuns, RunResult, run_params


def _compare(res: RunResult, out: OutputRef) -> str | None:
    """None if output `out` of the run matches its reference, else a one-line description."""
    path = res.outputs.get(out.index)
    if path is None:
        return f"output {out.index}: not written (outputs: {sorted(res.outputs)})"
    got = np.load(path).astype(np.float64)
    ref = np.load(out.ref).astype(np.float64)
    if got.size != ref.size:
        return f"output {out.index}: {got.size} elements {got.shape}, reference {ref.size} {ref.shape}"
    if got.shape != ref.shape and tuple(d for d in got.shape if d != 1) != tuple(
        d for d in ref.shape if d != 1
    ):
        return f"output {out.index}: shape {got.shape}, reference {ref.shape}"
    got = got.reshape(ref.shape)
    if ref.size == 0:  # e.g. an FPN level no proposal went to: the shapes agreeing is all there is
        return None
    finite = np.isfinite(ref)
    max_ref = float(np.max(np.abs(ref[finite]))) if finite.any() else 0.0
    tol = out.rel_tol * max_ref if max_ref > 0 else ABS_FLOOR
    # non-finite references (inf from exp overflow, nan from log of negatives) must be matched exactly
    same_nonfinite = (~finite) & ((got == ref) | (np.isnan(got) & np.isnan(ref)))
    if (~finite & ~same_nonfinite).any():
        k = int(np.flatnonzero(~finite & ~same_nonfinite)[0])
        return f"output {out.index}: non-finite reference {ref.flat[k]} at flat index {k}, got {got.flat[k]}"
    diff = np.where(finite, np.abs(got - ref), 0.0)
    diff = np.where(np.isnan(diff), np.inf, diff)
    worst = int(np.argmax(diff))
    max_diff = float(diff.flat[worst])
    msg = None
    if max_diff > tol:
        n_bad = int(np.count_nonzero(diff > tol))
        msg = (
            f"output {out.index}: max abs diff {max_diff:.3g} > tol {tol:.3g} ({out.rel_tol:g} x max|ref| "
            f"{max_ref:.3g}; ref: {out.source}); {n_bad}/{diff.size} elements off; worst at "
            f"{np.unravel_index(worst, ref.shape) if ref.ndim else ()}: got {got.flat[worst]:.6g}, "
            f"ref {ref.flat[worst]:.6g}"
        )
    if out.argmax and ref.size > 1:
        rows = ref.shape[0] if ref.ndim > 1 else 1
        g, r = got.reshape(rows, -1), ref.reshape(rows, -1)
        top2 = np.sort(r, axis=1)[:, -2:]
        decided = (top2[:, 1] - top2[:, 0]) > 2 * tol  # else the argmax is not defined within tolerance
        bad = decided & (g.argmax(axis=1) != r.argmax(axis=1))
        if bad.any():
            msg = (msg + "; " if msg else f"output {out.index}: ") + (
                f"argmax {g.argmax(axis=1).tolist()} != reference {r.argmax(axis=1).tolist()}"
            )
    return msg


@pytest.mark.parametrize(("abi", "run_id"), list(run_params()))
def test_fixture(abi: str, run_id: str, engine_runs: EngineRuns) -> None:
    run = RUNS_BY_ID[run_id]
    res = engine_runs.get(abi, run_id)
    where = f"{abi} {run.id} ({run.model.relative_to(run.model.parents[2])})"
    if not res.ok:
        pytest.fail(f"{where}: tailor-run failed: {res.error()}", pytrace=False)
    if abi.endswith(REFERENCE_SUFFIX):
        simd = [op["unit"] for op in res.plan or [] if op["unit"].rsplit(".", 1)[-1] in ("neon", "avx2")]
        assert not simd, f"{where}: TAILOR_DISABLE_SIMD=1 still ran ISA-specific units {simd}"
    problems = [p for out in run.outputs if (p := _compare(res, out)) is not None]
    if problems:
        pytest.fail(f"{where}: " + "; ".join(problems) + f" [units: {res.units_summary()}]", pytrace=False)


QUANT_RUNS = [r for r in ALL_RUNS if r.variant.startswith(("int8_", "int16_"))]


@pytest.mark.parametrize(
    ("abi", "run_id"), [pytest.param(a, r.id, id=f"{a}:{r.id}") for a in ABIS for r in QUANT_RUNS]
)
def test_dequantization(abi: str, run_id: str, engine, tmp_path: Path) -> None:
    """The engine's result for a weight-quantized model equals its float path on weights dequantized
    independently with numpy (q * per-channel scale): the dequantizer is exact, so what remains against
    Paddle's float output (test_fixture) is the quantization error alone."""
    build = engine(abi)
    run = RUNS_BY_ID[run_id]
    float_model = run.model.with_name(run.model.name.replace(run.variant, run.variant.split("_", 1)[1]))
    patched = tmp_path / "dequantized_float.nb"
    ratios = dequantized_float_model(run.model, float_model, patched)
    assert ratios and max(ratios.values()) <= 0.5 + 1e-3, (
        f"numpy dequantization disagrees with the float weights by more than half a step: {ratios}"
    )
    inputs = [arg for name, path in run.inputs for arg in ("--input", f"{name}={path}")]
    outs = {}
    for label, model in (("quantized", run.model), ("dequantized", patched)):
        out_dir = tmp_path / label
        out_dir.mkdir()
        proc = subprocess.run(
            build.command(model, *inputs, "--outputs-dir", out_dir),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, f"{abi} {label} {model}: exit {proc.returncode}: {proc.stderr[-1500:]}"
        outs[label] = {f.name.split("_", 1)[0]: np.load(f) for f in out_dir.glob("*.npy")}
    assert outs["quantized"].keys() == outs["dequantized"].keys()
    for k, q in outs["quantized"].items():
        d = outs["dequantized"][k]
        scale = max(float(np.max(np.abs(d))), 1e-30)
        diff = float(np.max(np.abs(q.astype(np.float64) - d))) / scale
        assert diff <= 1e-5, (
            f"{abi} {run.id} output {k}: quantized vs numpy-dequantized float: {diff:.3g} x max"
        )
