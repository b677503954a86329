"""Typed, immutable picture of a Paddle Lite `.nb` model: what the reader produces and the rest consumes."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tailor.paddle_enums import LAYOUT_NAMES, PRECISION_NAMES, TARGET_NAMES, enum_name

# Attribute values as decoded from the file: INT/LONG/BLOCK -> int, FLOAT/FLOAT64 -> float,
# BLOCKS/LONGS/INTS -> list[int], FLOATS/FLOAT64S -> list[float]; VAR and VARS have no storage in Lite's
# schema and decode to None.
AttrValue = int | float | str | bool | list[int] | list[float] | list[str] | list[bool] | None

_KERNEL_KEY_RE = re.compile(r"([^/]+)/(.+)/([0-9]+)/([0-9]+)/([0-9]+)")


@dataclass(frozen=True, order=True)
class KernelKey:
    """What `__@kernel_type_attr@__` names: the kernel the Lite runtime looks up for one op."""

    op: str
    alias: str
    target: int
    precision: int
    layout: int

    @property
    def target_name(self) -> str:
        return enum_name(TARGET_NAMES, self.target)

    @property
    def precision_name(self) -> str:
        return enum_name(PRECISION_NAMES, self.precision)

    @property
    def layout_name(self) -> str:
        return enum_name(LAYOUT_NAMES, self.layout)

    @classmethod
    def parse(cls, raw: str) -> KernelKey:
        """Parse the attribute's `op/alias/target/precision/layout` (enums as numbers); else ValueError."""
        match = _KERNEL_KEY_RE.fullmatch(raw)
        if match is None:
            raise ValueError(f"not a kernel key of the form op/alias/target/precision/layout: {raw!r}")
        op, alias, target, precision, layout = match.groups()
        return cls(op, alias, int(target), int(precision), int(layout))

    def __str__(self) -> str:
        return f"{self.op}/{self.alias}/{self.target_name}/{self.precision_name}/{self.layout_name}"

    def paddle_line(self) -> str:
        """This key as a line of Paddle Lite's `.tailored_kernels_list`."""
        return f"{self.op},{self.target_name},{self.precision_name},{self.layout_name},{self.alias}"


@dataclass(frozen=True)
class Var:
    """A VarDesc of block 0. `dtype` and `dims` are None/() for vars without a tensor desc (feed/fetch lists).
    The dims of persistable vars can be stale: use `read_params` for the stored shape."""

    name: str
    var_type: int
    dtype: int | None
    dims: tuple[int, ...]
    persistable: bool


@dataclass(frozen=True)
class Op:
    """One op of block 0. `attrs` excludes `__@kernel_type_attr@__`, which is decoded into `kernel`."""

    index: int
    type: str
    inputs: dict[str, tuple[str, ...]]
    outputs: dict[str, tuple[str, ...]]
    attrs: dict[str, AttrValue]
    kernel: KernelKey | None


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dims: tuple[int, ...]


@dataclass(frozen=True)
class ParamInfo:
    """A stored parameter. `data_offset` is the absolute file offset of its raw bytes."""

    name: str
    dims: tuple[int, ...]
    dtype: int
    nbytes: int
    data_offset: int


@dataclass(frozen=True)
class Model:
    """A `.nb` file's header and topology (block 0). Parameters are not loaded: see `read_params`."""

    path: Path
    sha256: str
    meta_version: int
    opt_version: str
    paddle_version: int | None
    file_size: int
    vars: dict[str, Var]
    ops: list[Op]
    inputs: list[TensorInfo]
    outputs: list[TensorInfo]
    params_offset: int

    def kernel_keys(self) -> set[KernelKey]:
        return {op.kernel for op in self.ops if op.kernel is not None}

    def op_counts(self) -> dict[str, int]:
        """Number of instances of each op type, sorted by type."""
        return dict(sorted(Counter(op.type for op in self.ops).items()))

    def kernel_counts(self) -> dict[KernelKey, int]:
        """Number of op instances that need each kernel key, sorted by key."""
        return dict(sorted(Counter(op.kernel for op in self.ops if op.kernel is not None).items()))

    def targets(self) -> set[str]:
        return {key.target_name for key in self.kernel_keys()}
