from __future__ import annotations

import json

import pytest
from testdata import EXAMPLE_MODEL, SHARED_SKIP_REASON, shared_models

from tailor.errors import TailorError
from tailor.scan import SCHEMA, scan

MODEL_KEYS = {"path", "sha256", "file_size", "meta_version", "opt_version", "paddle_version"}
MODEL_KEYS |= {"inputs", "outputs", "op_count", "op_types", "kernels", "targets"}
KERNEL_KEYS = {"key", "op", "alias", "target", "precision", "layout"}


def test_union_counts_models_and_instances() -> None:
    paths = shared_models()
    if not paths:
        pytest.skip(SHARED_SKIP_REASON)
    result = scan(paths)
    assert [m.path for m in result.models] == paths
    assert result.kernel_keys() == set().union(*(m.kernel_keys() for m in result.models))
    for use in result.kernels:
        for index, count in use.instances_per_model.items():
            assert count == sum(op.kernel == use.key for op in result.models[index].ops)
        assert use.models == [i for i, m in enumerate(result.models) if use.key in m.kernel_keys()]
    assert [u.key for u in result.kernels] == sorted(u.key for u in result.kernels)
    assert result.targets() == {"kARM", "kHost", "kX86"}


def test_json_document_shape() -> None:
    doc = json.loads(json.dumps(scan([EXAMPLE_MODEL]).to_json()))
    assert doc["schema"] == SCHEMA == "tailor.scan/1"
    assert set(doc) == {"schema", "models", "kernels", "op_types", "targets"}
    (model,) = doc["models"]
    assert set(model) == MODEL_KEYS
    assert all(set(k) == KERNEL_KEYS | {"instances"} for k in model["kernels"])
    assert all(set(k) == KERNEL_KEYS | {"instances", "models"} for k in doc["kernels"])
    assert sum(k["instances"] for k in doc["kernels"]) == model["op_count"] == 31


def test_first_bad_file_is_reported() -> None:
    with pytest.raises(TailorError, match=r"first\.nb"):
        scan([EXAMPLE_MODEL, EXAMPLE_MODEL.with_name("first.nb"), EXAMPLE_MODEL.with_name("second.nb")])
