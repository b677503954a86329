"""Scan a set of `.nb` models: each model's contents and, over all of them, which kernel keys are needed.

`ScanResult.to_json()` is the stable machine-readable form, schema `tailor.scan/1` (docs/scan-schema.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tailor.model import KernelKey, Model, TensorInfo
from tailor.nb.reader import load_model

SCHEMA = "tailor.scan/1"


@dataclass(frozen=True)
class KernelUse:
    """One kernel key of the union: the models needing it (indexes into `ScanResult.models`) and op counts."""

    key: KernelKey
    instances_per_model: dict[int, int]

    @property
    def models(self) -> list[int]:
        return sorted(self.instances_per_model)

    @property
    def instances(self) -> int:
        return sum(self.instances_per_model.values())


@dataclass(frozen=True)
class ScanResult:
    models: list[Model]
    kernels: list[KernelUse]  # sorted by key

    def kernel_keys(self) -> set[KernelKey]:
        return {use.key for use in self.kernels}

    def targets(self) -> set[str]:
        return {key.target_name for key in self.kernel_keys()}

    def to_json(self) -> dict[str, Any]:
        keys: dict[KernelKey, dict[str, Any]] = {}  # each key's JSON, built once: models share most keys
        return {
            "schema": SCHEMA,
            "models": [_model_json(model, keys) for model in self.models],
            "kernels": [
                {
                    **_key_json(use.key, keys),
                    "instances": use.instances,
                    "models": [
                        {"model": i, "instances": n} for i, n in sorted(use.instances_per_model.items())
                    ],
                }
                for use in self.kernels
            ],
            "op_types": sorted({op.type for model in self.models for op in model.ops}),
            "targets": sorted(self.targets()),
        }


def scan(paths: Sequence[Path]) -> ScanResult:
    """Load every model (header and topology only) and take the union of their kernel keys.

    Models load on two threads: hashing a file releases the GIL, so one model's sha256 overlaps another's
    parsing. `map` yields in input order, so the error reported for several bad files is the first one's.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        models = list(pool.map(load_model, paths))
    return ScanResult(models, union_kernels(models))


def union_kernels(models: Sequence[Model]) -> list[KernelUse]:
    per_key: dict[KernelKey, dict[int, int]] = {}
    for index, model in enumerate(models):
        for key, count in model.kernel_counts().items():
            per_key.setdefault(key, {})[index] = count
    return [KernelUse(key, per_key[key]) for key in sorted(per_key)]


def _key_json(key: KernelKey, cache: dict[KernelKey, dict[str, Any]]) -> dict[str, Any]:
    """The key's JSON members; `cache` holds the ones built so far (callers copy, never modify, them)."""
    cached = cache.get(key)
    if cached is not None:
        return cached
    cached = cache[key] = {
        "key": str(key),
        "op": key.op,
        "alias": key.alias,
        "target": key.target_name,
        "precision": key.precision_name,
        "layout": key.layout_name,
    }
    return cached


def _tensors_json(tensors: list[TensorInfo]) -> list[dict[str, Any]]:
    return [{"name": t.name, "dims": list(t.dims)} for t in tensors]


def _model_json(model: Model, keys: dict[KernelKey, dict[str, Any]]) -> dict[str, Any]:
    return {
        "path": str(model.path),
        "sha256": model.sha256,
        "file_size": model.file_size,
        "meta_version": model.meta_version,
        "opt_version": model.opt_version,
        "paddle_version": model.paddle_version,
        "inputs": _tensors_json(model.inputs),
        "outputs": _tensors_json(model.outputs),
        "op_count": len(model.ops),
        "op_types": model.op_counts(),
        "kernels": [{**_key_json(key, keys), "instances": n} for key, n in model.kernel_counts().items()],
        "targets": sorted(model.targets()),
    }
