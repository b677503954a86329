"""The reader on the repo's own fixtures (tests/fixtures/{ops,models}/<case>/), made by the real toolchain.

Each case has model_[<variant>_]{arm,x86}.nb, the tailoring lists opt wrote beside them, and a case.json in
which the fixture generator records, with its own decoder, the ops and params of each file: an independent
cross-check.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from testdata import FIXTURES, fixture_models, param_or_skip, target_of, variant_of

from tailor.model import Op
from tailor.nb import load_model, read_param_data, read_params

FIXTURE_PARAMS = param_or_skip(fixture_models(), f"no fixtures under {FIXTURES} yet")


def recorded(path: Path) -> dict[str, Any] | None:
    """What case.json records about this file, if the generator recorded it."""
    case = path.parent / "case.json"
    if not case.is_file():
        return None
    entry = json.loads(case.read_text()).get("nb", {}).get(variant_of(path))
    return entry if isinstance(entry, dict) and entry.get("file") == path.name else None


ABBREVIATED = re.compile(r"\.\.\. (\d+) values")


def same_value(expected: Any, got: Any) -> bool:
    """Attribute equality; FLOAT attrs are float32 in the file, so compare those approximately. The generator
    abbreviates long lists to their first items and a last string `... N values`."""
    if isinstance(expected, list) and expected and isinstance(expected[-1], str):
        abbreviated = ABBREVIATED.fullmatch(expected[-1])
        if abbreviated and isinstance(got, list):
            head = expected[:-1]
            return len(got) == int(abbreviated[1]) and same_value(head, got[: len(head)])
    if isinstance(got, float) and not math.isfinite(got):  # JSON has no inf/nan: case.json writes "inf"
        return isinstance(expected, str) and str(got) == expected
    if isinstance(expected, float) or isinstance(got, float):
        return isinstance(got, int | float) and math.isclose(expected, got, rel_tol=1e-6, abs_tol=1e-12)
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(same_value(e, g) for e, g in zip(expected, got, strict=True))
    return bool(expected == got)


def raw_kernel(op: Op) -> str:
    k = op.kernel
    assert k is not None
    return f"{k.op}/{k.alias}/{k.target}/{k.precision}/{k.layout}"


@pytest.mark.parametrize("path", FIXTURE_PARAMS)
def test_program_structure(path: Path) -> None:
    model = load_model(path)
    assert model.meta_version in (1, 2)
    assert model.ops[0].type == "feed" and model.ops[-1].type == "fetch"
    assert len(model.inputs) == sum(op.type == "feed" for op in model.ops) >= 1
    assert len(model.outputs) == sum(op.type == "fetch" for op in model.ops) >= 1
    assert all(op.kernel is not None for op in model.ops)


@pytest.mark.parametrize("path", FIXTURE_PARAMS)
def test_ops_match_case_record(path: Path) -> None:
    entry = recorded(path)
    if entry is None or "ops" not in entry:
        pytest.skip("case.json records no ops for this file")
    model = load_model(path)
    assert [op.type for op in model.ops] == [op["type"] for op in entry["ops"]]
    for op, expected in zip(model.ops, entry["ops"], strict=True):
        assert raw_kernel(op) == expected["kernel"]
        assert {k: list(v) for k, v in op.inputs.items()} == expected["inputs"]
        assert {k: list(v) for k, v in op.outputs.items()} == expected["outputs"]
        for name, value in expected.get("attrs", {}).items():
            assert name in op.attrs, f"op {op.index} {op.type}: attr {name} missing"
            assert same_value(value, op.attrs[name]), f"op {op.index} {op.type}.{name}: {op.attrs[name]!r}"


@pytest.mark.parametrize("path", FIXTURE_PARAMS)
def test_params_match_case_record(path: Path) -> None:
    model = load_model(path)
    params = read_params(model)
    for p in params:
        assert len(read_param_data(model, p.name)) == p.nbytes
    entry = recorded(path)
    if entry is None or "params" not in entry:
        pytest.skip("case.json records no params for this file")
    expected = [(p["name"], tuple(p["dims"]), p["bytes"]) for p in entry["params"]]
    assert [(p.name, p.dims, p.nbytes) for p in params] == expected


def meta_v1_models() -> list[Path]:
    return [p for p in fixture_models() if p.read_bytes()[:2] == b"\x01\x00"]


@pytest.mark.parametrize(
    "path", param_or_skip(meta_v1_models(), "no meta_version 1 fixture under tests/fixtures")
)
def test_meta_version_1(path: Path) -> None:
    """A meta_version 1 file stores its params as one CombinedParamsDesc; if the case also has the default
    (v2) file for the same target, both must hold the same topology and parameters."""
    model = load_model(path)
    assert model.meta_version == 1
    params = read_params(model)
    assert all(len(read_param_data(model, p.name)) == p.nbytes for p in params)
    v2 = path.parent / f"model_{target_of(path)}.nb"
    if v2 != path and v2.is_file() and load_model(v2).meta_version == 2:
        other = load_model(v2)
        assert [op.kernel for op in model.ops] == [op.kernel for op in other.ops]
        assert sorted((p.name, p.dims) for p in params) == sorted(
            (p.name, p.dims) for p in read_params(other)
        )
        assert all(read_param_data(model, p.name) == read_param_data(other, p.name) for p in params)
