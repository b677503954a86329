"""The tool selects exactly what the runtime looks for.

For every fixture model and ABI: the unit the full engine chose for each op (`tailor-run --plan --json`) is
the unit the Python selector picks for that op (`tailor.select.select_units([model], catalog, abi)`, the
per-op winner). On x86_64 the runtime takes the AVX2 winner only on CPUs with AVX2 and FMA, else the
selector's `any` fallback. Where the selector reports an op it cannot serve, the engine must refuse the
model at load, naming the op. The build itself must be the full selection of the current catalog (its
registry digest).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from engine_cases import RUNS_BY_ID
from engine_support import ABIS, EngineRuns, run_params

from tailor.abi import resolve_abi
from tailor.catalog import Catalog, load_default_catalog
from tailor.nb.reader import load_model
from tailor.select import Selection, full_selection, select_units


@functools.cache
def _catalog() -> Catalog:
    return load_default_catalog()[0]


@functools.cache
def _cpu_has_avx2_fma() -> bool:
    try:
        flags = next(
            (
                ln.split(":", 1)[1].split()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("flags")
            ),
            [],
        )
    except OSError:
        return False
    return "avx2" in flags and "fma" in flags


@functools.cache
def _selection(model: Path, abi: str) -> Selection:
    return select_units([load_model(model)], _catalog(), resolve_abi(abi))


def expected_units(selection: Selection, abi: str) -> dict[int, str]:
    """op index -> the unit the engine must run on this host."""
    winners: dict[int, str] = {}
    fallbacks: dict[int, str] = {}
    for unit in selection.units:
        for reason in unit.reasons:
            if reason.op_index is None:
                continue
            if reason.kind == "op":
                winners[reason.op_index] = unit.name
            elif reason.kind == "fallback":
                fallbacks[reason.op_index] = unit.name
    if resolve_abi(abi).arch == "x86_64" and not _cpu_has_avx2_fma():
        winners.update(fallbacks)
    return winners


@pytest.mark.parametrize(("abi", "run_id"), list(run_params(ABIS)))
def test_engine_runs_what_the_selector_picks(abi: str, run_id: str, engine_runs: EngineRuns) -> None:
    run = RUNS_BY_ID[run_id]
    res = engine_runs.get(abi, run_id)
    selection = _selection(run.model, abi)
    assert res.result is not None or res.returncode not in (0, 1), res.error()
    if res.returncode is not None and (res.returncode < 0 or res.returncode >= 128):
        pytest.fail(f"{abi} {run.id}: {res.error()}", pytrace=False)

    if selection.missing:
        # the selector cannot serve some op: the engine must refuse the model at load, naming each op
        assert not res.ok, f"{abi} {run.id}: the selector reports {selection.missing} but the engine ran it"
        err = res.error()
        assert "loading" in err, f"{abi} {run.id}: expected a refusal at load, got: {err}"
        for item in selection.missing:
            if item.op_type:
                assert item.op_type in err, f"{abi} {run.id}: refusal does not name {item.op_type}: {err}"
        return

    plan = res.plan
    if plan is None:
        pytest.skip(f"{abi} {run.id}: no plan (the run failed after load, see test_fixtures): {res.error()}")
    full = full_selection(_catalog(), resolve_abi(abi))
    assert res.result and res.result.get("selection") == full.digest(), (
        f"{abi}: the build's registry {res.result.get('selection') if res.result else None} is not the full "
        f"selection {full.digest()} of the current catalog"
    )
    model = load_model(run.model)
    assert len(plan) == len(model.ops), (
        f"{abi} {run.id}: engine has {len(plan)} ops, the model {len(model.ops)}"
    )
    want = expected_units(selection, abi)
    diffs = []
    for op in plan:
        i = op["index"]
        if op["type"] != model.ops[i].type:
            diffs.append(f"#{i}: engine op type {op['type']}, model {model.ops[i].type}")
        elif want.get(i) != op["unit"]:
            diffs.append(
                f"#{i} {op['type']} ({op['key']}): engine runs {op['unit']}, selector picks {want.get(i)}"
            )
    assert not diffs, f"{abi} {run.id}: " + "; ".join(diffs)
