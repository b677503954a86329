"""Numerical conformance: every fixture model (ARM and x86 .nb files, model variants, the shared mobilenets) on
every ABI's full engine, each output compared with its reference (engine_cases.py, docs/engine-conformance.md):

    max |out - ref| <= rel_tol * max |ref|      (ABS_FLOOR when the reference is all zeros)

plus equal argmax for classifiers. A failure names the ABI, the case, the output, the diff and the units the
engine ran for each op, so the kernel owner can reproduce it with

    tailor-run MODEL --input name=input.npy --outputs-dir DIR --plan
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import EngineRuns, RunResult, run_params
from engine_cases import ABS_FLOOR, RUNS_BY_ID, OutputRef


def _compare(res: RunResult, out: OutputRef) -> str | None:
    """None if output `out` of the run matches its reference, else a one-line description."""
    path = res.outputs.get(out.index)
    if path is None:
        return f"output {out.index}: not written (outputs: {sorted(res.outputs)})"
    got = np.load(path).astype(np.float64)
    ref = np.load(out.ref).astype(np.float64)
    if got.size != ref.size:
        return f"output {out.index}: {got.size} elements {got.shape}, reference {ref.size} {ref.shape}"
    if got.shape != ref.shape and tuple(d for d in got.shape if d != 1) != tuple(d for d in ref.shape if d != 1):
        return f"output {out.index}: shape {got.shape}, reference {ref.shape}"
    got = got.reshape(ref.shape)
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
        g, r = got.reshape(got.shape[0] if got.ndim > 1 else 1, -1), ref.reshape(ref.shape[0] if ref.ndim > 1 else 1, -1)
        if not np.array_equal(g.argmax(axis=1), r.argmax(axis=1)):
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
    problems = [p for out in run.outputs if (p := _compare(res, out)) is not None]
    if problems:
        pytest.fail(f"{where}: " + "; ".join(problems) + f" [units: {res.units_summary()}]", pytrace=False)
