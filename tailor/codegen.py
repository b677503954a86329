"""Code generation: a Selection -> `registry.cc` + `units.cmake` (+ `selection.digest`) in a registry
directory.

`registry.cc` defines `tailor::registry()` (engine/src/core/registry.h) as constant data only: literal
strings, function pointers and constexpr arrays, so there is no dynamic initialisation. `units.cmake` gives
CMake the
sources per ISA and the unit names (engine/CATALOG.md). Output is a pure function of (selection, catalog):
the same inputs give the same bytes, and files whose bytes did not change are not touched, so CMake does not
rebuild.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from tailor import paths
from tailor.abi import isa_rank
from tailor.catalog import Catalog, Unit
from tailor.conditions import Condition, Subject, Value
from tailor.errors import TailorError
from tailor.paddle_enums import PRECISION_NAMES
from tailor.select import Selection

REGISTRY_TEMPLATE = "registry.cc.j2"
UNITS_TEMPLATE = "units.cmake.j2"
REGISTRY_FILE = "registry.cc"
UNITS_FILE = "units.cmake"
DIGEST_FILE = "selection.digest"

_ISA_ENUM = {"any": "Isa::kAny", "neon": "Isa::kNeon", "avx2": "Isa::kAvx2"}
_SUBJECT_ENUM = {
    Subject.ATTR: "CondSubject::kAttr",
    Subject.INPUT_DIMS: "CondSubject::kInputDims",
    Subject.INPUT_RANK: "CondSubject::kInputRank",
    Subject.INPUT_COUNT: "CondSubject::kInputCount",
}
_OP_ENUM = (
    "CondOp::kEq",
    "CondOp::kNe",
    "CondOp::kLt",
    "CondOp::kLe",
    "CondOp::kGt",
    "CondOp::kGe",
    "CondOp::kIn",
    "CondOp::kNotIn",
)

# The C++ signatures of the entry points, per role (registry.h / kernel.h).
KERNEL_SIGNATURE = (
    "::tailor::Status {fn}(const ::tailor::KernelInit& init, std::unique_ptr<::tailor::Kernel>* out)"
)
EPILOGUE_SIGNATURE = "void {fn}(float* data, int64_t n, const ::tailor::Activation& act)"
DEQUANT_SIGNATURE = (
    "::tailor::Status {fn}(::tailor::DType stored, const void* src, const ::tailor::Dims& dims, "
    "const double* scales, int64_t num_scales, int axis, float* dst)"
)


def cpp_string(text: str) -> str:
    """A C++ string literal for `text` (UTF-8; non-printable and non-ASCII bytes as 3-digit octal escapes)."""
    out = ['"']
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F and ch != "?":  # '?' escaped: no trigraphs
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


def cpp_int(value: int) -> str:
    if value == -(2**63):
        return "(-9223372036854775807LL - 1)"
    return f"{value}LL" if abs(value) > 2**31 - 1 else str(value)


def cpp_double(value: float) -> str:
    text = repr(float(value))
    return text if any(c in text for c in ".eE") else text + ".0"


@dataclass(frozen=True)
class _Array:
    name: str
    ctype: str
    items: tuple[tuple[str, str], ...]  # (initializer, comment)


class _StringPool:
    """All strings of the registry in one blob (`kStrings`), each NUL-terminated and stored once; tables
    refer to them by byte offset (StrRef), so they hold no pointers the dynamic linker must relocate."""

    def __init__(self) -> None:
        self._offsets: dict[str, int] = {}
        self.items: list[tuple[str, str]] = []  # (literal, comment)
        self.size = 0

    def ref(self, text: str) -> int:
        offset = self._offsets.get(text)
        if offset is None:
            if "\0" in text:
                raise TailorError(f"registry string {text!r} contains a NUL character")
            offset = self.size
            self._offsets[text] = offset
            # adjacent literals: "a\0" "1" stays two strings (escapes are resolved before concatenation)
            self.items.append((cpp_string(text)[:-1] + '\\0"', str(offset)))
            self.size += len(text.encode("utf-8")) + 1
            if self.size > 2**32 - 1:
                raise TailorError("the registry's strings exceed 4 GiB")
        return offset


class _RegistryModel:
    """Everything the registry template prints, computed here so the template is layout only."""

    def __init__(self, selection: Selection, catalog: Catalog) -> None:
        self.selection = selection
        self.catalog = catalog
        units = [catalog.unit(name) for name in selection.unit_names]
        self.units = units
        self.arrays: list[_Array] = []
        self.strings = _StringPool()
        self.cond_items: list[tuple[str, str]] = []  # kCondItems: the items of every list value
        self._lists: dict[str, int] = {}  # canonical JSON of a list -> index of its first item
        self.declarations: list[tuple[str, str]] = []  # (namespace, declaration)
        self.kernels: list[dict[str, str]] = []
        self.epilogues: list[dict[str, str]] = []
        self.dequantize = "nullptr"
        seen_decls: set[tuple[str, str]] = set()

        def declare(unit: Unit, signature: str) -> str:
            assert unit.entry is not None
            decl = (unit.entry_namespace, signature.format(fn=unit.entry_function) + ";")
            if decl not in seen_decls:
                seen_decls.add(decl)
                self.declarations.append(decl)
            return "&::" + unit.entry.lstrip(":")

        def preference(u: Unit) -> tuple[int, int, int]:
            return (-isa_rank(u.isa), -u.priority, catalog.order(u.name))

        serving = [u for u in units if u.serves]
        when_arrays: dict[str, tuple[str, int]] = {}
        for unit in serving:
            when_arrays[unit.name] = self._when_array(unit)
        entries: list[tuple[str, tuple[int, int, int], Unit, int]] = []
        for unit in serving:
            for serve in unit.serves:
                entries.append((serve.op, preference(unit), unit, 0))
        # grouped by op type for reading; within an op, the preference order the engine relies on
        entries.sort(key=lambda e: (e[0], e[1]))
        for op, _pref, unit, _ in entries:
            serve = next(s for s in unit.serves if s.op == op)
            factory = declare(unit, KERNEL_SIGNATURE)
            when_name, when_count = when_arrays[unit.name]
            self.kernels.append(
                {
                    "unit": self._str(unit.name),
                    "op": self._str(op),
                    "precisions": self._precision_mask(unit, serve.precision_values),
                    "isa": _ISA_ENUM[unit.isa],
                    "when": when_name,
                    "num_when": str(when_count),
                    "create": factory,
                }
            )
        for unit in sorted((u for u in units if u.kind == "epilogue"), key=preference):
            assert unit.provides_activation is not None
            fn = declare(unit, EPILOGUE_SIGNATURE)
            self.epilogues.append(
                {"name": self._str(unit.provides_activation), "unit": self._str(unit.name), "fn": fn}
            )
        dequant = sorted((u for u in units if u.kind == "dequant"), key=preference)
        if dequant:
            self.dequantize = declare(dequant[0], DEQUANT_SIGNATURE)

    def _str(self, text: str) -> str:
        """A StrRef initializer with the string as a comment, for reading the generated file."""
        shown = cpp_string(text).replace("*/", "* /")  # cannot close the comment
        return f"{self.strings.ref(text)} /* {shown} */"

    @staticmethod
    def _precision_mask(unit: Unit, values: tuple[int, ...]) -> str:
        mask = 0
        for v in values:
            if not 0 <= v < 32:
                raise TailorError(
                    f"unit {unit.name}: precision value {v} does not fit the registry's 32-bit mask"
                )
            mask |= 1 << v
        names = " | ".join(PRECISION_NAMES[v] for v in values)
        return f"0x{mask:x}u /* {names} */"

    def _when_array(self, unit: Unit) -> tuple[str, int]:
        if not unit.when:
            return "nullptr", 0
        if len(unit.when) > 255:
            raise TailorError(
                f"unit {unit.name}: {len(unit.when)} conditions, the registry holds at most 255"
            )
        terms = [self._term(unit, cond) for cond in unit.when]
        name = f"kWhen_{unit.ident}"
        self.arrays.append(_Array(name, "CondTerm", tuple(terms)))
        return name, len(terms)

    def _term(self, unit: Unit, cond: Condition) -> tuple[str, str]:
        index = -1 if cond.index is None else cond.index
        if not -1 <= index < 2**15:
            raise TailorError(f"unit {unit.name}: index {index} in {cond} does not fit the registry")
        rhs = self._value(unit, cond.value)
        # the comment is the canonical form (JSON-escaped: no newline or trailing backslash can end up in it)
        name = self.strings.ref(cond.name)
        code = f"{_SUBJECT_ENUM[cond.subject]}, {_OP_ENUM[cond.op]}, {index}, {name}, {rhs}"
        return "{" + code + "}", str(cond)

    def _value(self, unit: Unit, value: Value) -> str:
        def cv(
            kind: str, b: str = "false", count: int = 0, ref: int = 0, i: str = "0", f: str = "0.0"
        ) -> str:
            return f"{{CondKind::{kind}, {b}, {count}, {ref}, {i}, {f}}}"

        if value is None:
            return cv("kNull")
        if isinstance(value, bool):
            return cv("kBool", b="true" if value else "false")
        if isinstance(value, int):
            return cv("kInt", i=cpp_int(value))
        if isinstance(value, float):
            return cv("kFloat", f=cpp_double(value))
        if isinstance(value, str):
            return cv("kString", ref=self.strings.ref(value))
        assert isinstance(value, tuple)
        if len(value) > 2**16 - 1:
            raise TailorError(f"unit {unit.name}: a list of {len(value)} values does not fit the registry")
        return cv("kList", count=len(value), ref=self._list(unit, value))

    def _list(self, unit: Unit, value: tuple[Value, ...]) -> int:
        """Index of the first item of `value` in kCondItems; equal lists are stored once."""
        if not value:
            return 0
        key = json.dumps(value)  # keeps 1, 1.0 and true apart, unlike tuple equality
        start = self._lists.get(key)
        if start is None:
            start = len(self.cond_items)
            self._lists[key] = start
            self.cond_items.extend(("", "") for _ in value)  # reserved: nested lists go after
            for j, item in enumerate(value):
                self.cond_items[start + j] = (self._value(unit, item), "")
            self.cond_items[start] = (self.cond_items[start][0], key)
        return start


def _environment() -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(str(paths.templates_dir()))
    return jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def _render(template: str, context: dict[str, Any]) -> str:
    try:
        return _environment().get_template(template).render(**context)
    except jinja2.TemplateNotFound:
        raise TailorError(f"template {template!r} not found in {paths.templates_dir()}") from None


def _check(selection: Selection, catalog: Catalog) -> None:
    if selection.catalog_hash and selection.catalog_hash != catalog.content_hash:
        raise TailorError("the selection was made from a different catalog than the one given to codegen")
    for name in selection.unit_names:
        if name not in catalog.by_name:
            raise TailorError(f"selected unit {name!r} is not in the catalog {catalog.path}")


def render_registry(selection: Selection, catalog: Catalog) -> str:
    """The text of `registry.cc` for `selection`."""
    _check(selection, catalog)
    model = _RegistryModel(selection, catalog)
    return _render(
        REGISTRY_TEMPLATE,
        {
            "abi": selection.abi,
            "digest": selection.digest(),
            "selection_id": cpp_string(selection.digest()),
            "units": [u.name for u in model.units],
            "declarations": model.declarations,
            "arrays": model.arrays,
            "strings": model.strings.items,
            "cond_items": model.cond_items,
            "kernels": model.kernels,
            "epilogues": model.epilogues,
            "dequantize": model.dequantize,
        },
    )


def render_units_cmake(selection: Selection, catalog: Catalog) -> str:
    """The text of `units.cmake`: sources per ISA (relative to engine/, catalog order) and the unit names."""
    _check(selection, catalog)
    sources: dict[str, list[str]] = {"any": [], "neon": [], "avx2": []}
    for name in selection.unit_names:
        unit = catalog.unit(name)
        sources[unit.isa].extend(unit.sources)
    return _render(
        UNITS_TEMPLATE,
        {
            "abi": selection.abi,
            "digest": selection.digest(),
            "units": list(selection.unit_names),
            "sources_any": sources["any"],
            "sources_neon": sources["neon"],
            "sources_avx2": sources["avx2"],
        },
    )


@dataclass(frozen=True)
class RegistryFiles:
    out_dir: Path
    registry: Path
    units_cmake: Path
    digest_file: Path
    changed: tuple[Path, ...]  # the files whose bytes changed (were rewritten)
    digest: str


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically (temp file + rename) unless it already holds exactly these bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise TailorError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise TailorError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return True


def write_registry(selection: Selection, catalog: Catalog, out_dir: str | Path) -> RegistryFiles:
    """Write registry.cc, units.cmake and selection.digest into `out_dir` (created if needed); rewrite only
    the files whose bytes changed."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TailorError(f"{out}: cannot create the registry directory: {exc.strerror or exc}") from None
    digest = selection.digest()
    files: Sequence[tuple[Path, str]] = (
        (out / REGISTRY_FILE, render_registry(selection, catalog)),
        (out / UNITS_FILE, render_units_cmake(selection, catalog)),
        (out / DIGEST_FILE, digest + "\n"),
    )
    changed = tuple(path for path, text in files if write_if_changed(path, text.encode("utf-8")))
    return RegistryFiles(out, out / REGISTRY_FILE, out / UNITS_FILE, out / DIGEST_FILE, changed, digest)
