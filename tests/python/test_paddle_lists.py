"""Our .tailored_{ops,kernels}_list must equal, byte for byte, what paddle_lite_opt wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from testdata import (
    FIXTURES,
    SHARED_SKIP_REASON,
    fixture_models,
    param_or_skip,
    shared_models,
    tailoring_dir,
    target_of,
)

from tailor.nb import load_model
from tailor.paddle_lists import KERNELS_LIST, OPS_LIST, kernels_list, ops_list, render, write_paddle_lists

WITH_LISTS = [p for p in [*shared_models(), *fixture_models()] if (tailoring_dir(p) / OPS_LIST).is_file()]


@pytest.mark.parametrize("path", param_or_skip(WITH_LISTS, "no model with opt's tailoring lists found"))
def test_lists_equal_opts_bytes(path: Path, tmp_path: Path) -> None:
    model = load_model(path)
    written = write_paddle_lists([model], tmp_path)
    assert [p.name for p in written] == [OPS_LIST, KERNELS_LIST]
    for name in (OPS_LIST, KERNELS_LIST):
        assert (tmp_path / name).read_bytes() == (tailoring_dir(path) / name).read_bytes(), name


@pytest.mark.parametrize("target", ["arm", "x86"])
def test_union_over_models_is_sorted_unique(target: str) -> None:
    paths = [p for p in shared_models() if target_of(p) == target]
    if not paths:
        pytest.skip(SHARED_SKIP_REASON)
    models = [load_model(p) for p in paths]
    expected_ops: set[str] = set()
    expected_kernels: set[str] = set()
    for p in paths:
        expected_ops |= set((tailoring_dir(p) / OPS_LIST).read_text().splitlines())
        expected_kernels |= set((tailoring_dir(p) / KERNELS_LIST).read_text().splitlines())
    assert ops_list(models) == sorted(expected_ops)
    assert kernels_list(models) == sorted(expected_kernels)


def test_render_format() -> None:
    assert render([]) == b""
    assert render(["a", "b"]) == b"a\nb\n"


def test_fixture_lists_exist_when_fixtures_do() -> None:
    models = fixture_models()
    if not models:
        pytest.skip(f"no fixtures under {FIXTURES} yet")
    assert any((tailoring_dir(p) / KERNELS_LIST).is_file() for p in models)
