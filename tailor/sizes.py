"""Size reports: how big a built engine is, and which unit its bytes belong to (docs/size-report-schema.md).

Everything is read from the *unstripped* library with LIEF: file sizes, sections, LOAD segment alignment, the
exported (dynamic) symbols, and the attribution of `.text`, `.rodata` and `.data.rel.ro` bytes to units.

Attribution, per symbol of `.symtab` (demangled):
1. a name containing `tailor::kernels::<id>` or `tailor::helpers::<id>` belongs to the catalog unit whose
   namespace id is `<id>` (the unit's name with `.` and `-` replaced by `_`), also inside template arguments
   (`std::unique_ptr<tailor::kernels::x::K>` counts for `x`);
2. a local symbol (static function, anonymous namespace) belongs to the unit whose sources hold the
   translation unit the linker names for it (`STT_FILE`), when exactly one non-core unit has a source of that
   file name (unity builds name only the batch file, so the engine keeps every unit's code in its namespace
   and rule 1 decides);
   The generated registry's condition tables of a unit (`kWhen_<id>`, `kWhen_<id>_<n>`: tailor/codegen.py)
   belong to that unit too: selecting it costs those bytes;
3. the model loader (`tailor::loader::`, `tailor::fb::`, translation units named `*loader*` / `*flatbuffer*`)
   is `loader`;
4. anything else in namespace `tailor` (and the C API `tailor_*`) is `core`;
5. everything else (the C++ runtime inlined from headers, crt files, libgcc) is `toolchain runtime`.
Symbols that alias or overlap are counted once; bytes of a section that no symbol covers (string literals,
padding, jump tables) are `unattributed`. So the attributed bytes of a section never exceed its size.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tailor.errors import TailorError

SCHEMA = "tailor.size-report/1"
ATTRIBUTED_SECTIONS: tuple[str, ...] = (".text", ".rodata", ".data.rel.ro")
CORE = "core"
LOADER = "loader"
RUNTIME = "toolchain runtime"
UNATTRIBUTED = "unattributed"
PSEUDO_UNITS = (CORE, LOADER, RUNTIME, UNATTRIBUTED)

_UNIT_NS_RE = re.compile(r"tailor::(kernels|helpers)::([A-Za-z0-9_]+)")
_REGISTRY_TABLE_RE = re.compile(r"::kWhen_(([A-Za-z0-9_]+?)(?:_[0-9]+)?)$")
_LOADER_FILE_RE = re.compile(r"(loader|flatbuffer)", re.IGNORECASE)


@dataclass(frozen=True)
class UnitInfo:
    """What attribution needs to know about a catalog unit."""

    name: str
    kind: str
    sources: tuple[str, ...] = ()

    @property
    def ident(self) -> str:
        return self.name.replace(".", "_").replace("-", "_")


@dataclass(frozen=True)
class Section:
    name: str
    size: int


@dataclass(frozen=True)
class Attribution:
    """Bytes of one unit (or pseudo unit) per attributed section."""

    unit: str
    kind: str  # catalog kind, or "core" | "loader" | "runtime" | "unattributed"
    sections: tuple[tuple[str, int], ...]  # (section name, bytes) for ATTRIBUTED_SECTIONS present

    @property
    def total(self) -> int:
        return sum(size for _, size in self.sections)

    def bytes_in(self, section: str) -> int:
        return dict(self.sections).get(section, 0)

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "kind": self.kind, "sections": dict(self.sections), "total": self.total}


@dataclass(frozen=True)
class LibrarySizes:
    path: str
    machine: str
    stripped_bytes: int
    unstripped_bytes: int
    sections: tuple[Section, ...]  # allocated sections, in file order
    load_alignment: int  # the largest p_align of the LOAD segments
    # zeros the linker put between LOAD segments in the file, for page alignment: a segment can grow into the
    # gap after it and the file keeps its size; beyond, the file grows by a whole page
    page_padding_bytes: int
    exported_symbols: tuple[str, ...]  # defined dynamic symbols, sorted
    attribution: tuple[Attribution, ...]  # sorted by total, descending (pseudo units included)

    def section_size(self, name: str) -> int:
        return sum(s.size for s in self.sections if s.name == name)

    def unit_total(self, unit: str) -> int:
        return sum(a.total for a in self.attribution if a.unit == unit)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "machine": self.machine,
            "stripped_bytes": self.stripped_bytes,
            "unstripped_bytes": self.unstripped_bytes,
            "sections": [{"name": s.name, "size": s.size} for s in self.sections],
            "load_alignment": self.load_alignment,
            "page_padding_bytes": self.page_padding_bytes,
            "exported_symbols": list(self.exported_symbols),
            "attribution": [a.to_json() for a in self.attribution],
        }


@dataclass(frozen=True)
class SizeReport:
    """The size report of one ABI: the tailored library and the full engine built with the same toolchain."""

    abi: str
    selection: str
    units: tuple[str, ...]
    models: tuple[str, ...]
    tailored: LibrarySizes
    full: LibrarySizes | None
    full_selection: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.full is None or not self.full.stripped_bytes:
            return None
        return self.tailored.stripped_bytes / self.full.stripped_bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "abi": self.abi,
            "selection": self.selection,
            "units": list(self.units),
            "models": list(self.models),
            "tailored": self.tailored.to_json(),
            "full": self.full.to_json() if self.full is not None else None,
            "full_selection": self.full_selection,
            "ratio": round(self.ratio, 6) if self.ratio is not None else None,
        }


# --- reading a library --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sym:
    name: str  # demangled
    value: int
    size: int
    local: bool
    file: str | None  # STT_FILE the linker put before it (locals only)


def _demangler(names: Sequence[str]) -> dict[str, str]:
    """Demangle with c++filt in one batch when LIEF gave nothing (e.g. a LIEF built without the demangler)."""
    tool = shutil.which("c++filt") or shutil.which("llvm-cxxfilt")
    mangled = [n for n in names if n.startswith("_Z")]
    if tool is None or not mangled:
        return {}
    proc = subprocess.run(
        [tool], input="\n".join(mangled) + "\n", capture_output=True, text=True, check=False
    )
    out = proc.stdout.splitlines()
    return dict(zip(mangled, out, strict=False)) if proc.returncode == 0 and len(out) == len(mangled) else {}


def _load(path: Path) -> Any:
    import lief

    lief.logging.disable()
    binary = lief.ELF.parse(str(path))
    if binary is None:
        raise TailorError(f"{path}: not an ELF file LIEF can read")
    return binary


def _symbols(binary: Any) -> list[_Sym]:
    import lief

    file_type = lief.ELF.Symbol.TYPE.FILE
    local = lief.ELF.Symbol.BINDING.LOCAL
    raw: list[tuple[str, str, int, int, bool, str | None]] = []
    current_file: str | None = None
    for sym in binary.symtab_symbols:
        if sym.type == file_type:
            current_file = sym.name or None
            continue
        if sym.size <= 0 or sym.shndx == 0 or sym.shndx >= 0xFF00:
            continue
        is_local = sym.binding == local
        demangled = sym.demangled_name or ""
        raw.append((sym.name, demangled, int(sym.value), int(sym.size), is_local, current_file))
    fallback = _demangler([name for name, demangled, *_ in raw if not demangled or demangled == name])
    return [
        _Sym(
            demangled if demangled and demangled != name else fallback.get(name, name),
            value,
            size,
            is_local,
            file if is_local else None,
        )
        for name, demangled, value, size, is_local, file in raw
    ]


class Attributor:
    """Maps symbols to units (see the module docstring)."""

    def __init__(self, units: Iterable[UnitInfo]) -> None:
        self.units = {u.name: u for u in units}
        self.by_ident: dict[str, UnitInfo] = {}
        for unit in self.units.values():
            self.by_ident.setdefault(unit.ident, unit)
        by_file: dict[str, set[str]] = defaultdict(set)
        for unit in self.units.values():
            for source in unit.sources:
                by_file[Path(source).name].add(unit.name)
        self.by_file = {f: next(iter(names)) for f, names in by_file.items() if len(names) == 1}
        self.core_files = {Path(s).name for u in self.units.values() if u.kind == "core" for s in u.sources}

    def unit_of(self, sym: _Sym) -> tuple[str, str]:
        """(unit or pseudo unit, kind)."""
        for _, ident in _UNIT_NS_RE.findall(sym.name):
            unit = self.by_ident.get(ident)
            if unit is not None:
                return (CORE, CORE) if unit.kind == "core" else (unit.name, unit.kind)
        table = _REGISTRY_TABLE_RE.search(sym.name)
        if table is not None and sym.name.startswith("tailor::"):
            unit = self.by_ident.get(table.group(1)) or self.by_ident.get(table.group(2))
            if unit is not None and unit.kind != "core":
                return unit.name, unit.kind
        if sym.local and sym.file:
            if _LOADER_FILE_RE.search(sym.file):
                return LOADER, LOADER
            owner = self.by_file.get(sym.file)
            if owner is not None and self.units[owner].kind != "core":
                return owner, self.units[owner].kind
            if sym.file in self.core_files:
                return CORE, CORE
        if "tailor::fb::" in sym.name or "tailor::loader::" in sym.name:
            return LOADER, LOADER
        if "tailor::" in sym.name or sym.name.startswith("tailor_"):
            return CORE, CORE
        return RUNTIME, "runtime"


def _attribute(binary: Any, syms: Sequence[_Sym], attributor: Attributor) -> tuple[Attribution, ...]:
    kinds: dict[str, str] = {}
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for section in binary.sections:
        if section.name not in ATTRIBUTED_SECTIONS or section.size == 0:
            continue
        start, end = int(section.virtual_address), int(section.virtual_address + section.size)
        spans = []
        for sym in syms:
            lo, hi = max(sym.value, start), min(sym.value + sym.size, end)
            if lo < hi:
                unit, kind = attributor.unit_of(sym)
                # Same start: the longer first; then prefer a named unit over core/runtime for aliases.
                spans.append((lo, -(hi - lo), unit in PSEUDO_UNITS, hi, unit, kind))
        spans.sort()
        covered_to = start
        covered = 0
        for lo, _, _, hi, unit, kind in spans:
            lo = max(lo, covered_to)
            if lo >= hi:
                continue
            totals[unit][section.name] += hi - lo
            kinds[unit] = kind
            covered += hi - lo
            covered_to = hi
        if int(section.size) - covered:
            totals[UNATTRIBUTED][section.name] += int(section.size) - covered
            kinds[UNATTRIBUTED] = UNATTRIBUTED
    result = [
        Attribution(unit, kinds[unit], tuple((s, per[s]) for s in ATTRIBUTED_SECTIONS if per.get(s)))
        for unit, per in totals.items()
    ]
    result.sort(key=lambda a: (-a.total, a.unit))
    return tuple(result)


def _exported(binary: Any) -> tuple[str, ...]:
    import lief

    hidden = {lief.ELF.Symbol.VISIBILITY.HIDDEN, lief.ELF.Symbol.VISIBILITY.INTERNAL}
    exported = {
        sym.name
        for sym in binary.dynamic_symbols
        if sym.name
        and sym.shndx != 0
        and sym.binding != lief.ELF.Symbol.BINDING.LOCAL
        and sym.visibility not in hidden
        and sym.type != lief.ELF.Symbol.TYPE.SECTION
    }
    return tuple(sorted(exported))


def library_sizes(
    unstripped: Path, stripped: Path | None, units: Iterable[UnitInfo], display_path: str | None = None
) -> LibrarySizes:
    """Sizes of one library: `unstripped` is analysed; `stripped` (if given) gives the shipped file size."""
    import lief

    binary = _load(unstripped)
    alloc = lief.ELF.Section.FLAGS.ALLOC
    sections = tuple(Section(s.name, int(s.size)) for s in binary.sections if s.name and s.has(alloc))
    load = [seg for seg in binary.segments if seg.type == lief.ELF.Segment.TYPE.LOAD]
    attribution = _attribute(binary, _symbols(binary), Attributor(units))
    return LibrarySizes(
        path=display_path or str(unstripped),
        machine=str(binary.header.machine_type).split(".")[-1],
        stripped_bytes=(stripped or unstripped).stat().st_size,
        unstripped_bytes=unstripped.stat().st_size,
        sections=sections,
        load_alignment=max((int(seg.alignment) for seg in load), default=0),
        page_padding_bytes=_page_padding(load),
        exported_symbols=_exported(binary),
        attribution=attribution,
    )


def _page_padding(load_segments: Sequence[Any]) -> int:
    """File bytes between consecutive LOAD segments (stripping keeps the segment layout, so the unstripped
    library tells it for the stripped one)."""
    spans = sorted((int(s.file_offset), int(s.file_offset) + int(s.physical_size)) for s in load_segments)
    return sum(max(0, start - end) for (_, end), (start, _) in itertools.pairwise(spans))


def unit_infos(catalog: Any) -> list[UnitInfo]:
    """UnitInfo for every unit of a tailor.catalog.Catalog."""
    return [UnitInfo(u.name, u.kind, tuple(u.sources)) for u in catalog.units]


def size_report(
    abi: str,
    selection: str,
    units: Sequence[str],
    models: Sequence[str],
    tailored: LibrarySizes,
    full: LibrarySizes | None,
    full_selection: str | None = None,
) -> SizeReport:
    return SizeReport(abi, selection, tuple(units), tuple(models), tailored, full, full_selection)


def validate_report(data: Mapping[str, Any]) -> list[str]:
    """Check a size-report JSON document against the documented schema (docs/size-report-schema.md); returns
    the problems (empty when valid)."""
    problems: list[str] = []

    def need(obj: Mapping[str, Any], key: str, types: type | tuple[type, ...], where: str) -> Any:
        if key not in obj:
            problems.append(f"{where}: missing {key!r}")
            return None
        value = obj[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
            problems.append(f"{where}.{key}: expected {types}, got {type(value).__name__}")
            return None
        return value

    if data.get("schema") != SCHEMA:
        problems.append(f"schema: expected {SCHEMA!r}, got {data.get('schema')!r}")
    need(data, "abi", str, "$")
    need(data, "selection", str, "$")
    for key in ("units", "models"):
        items = need(data, key, list, "$")
        if items is not None and not all(isinstance(i, str) for i in items):
            problems.append(f"$.{key}: expected a list of strings")
    ratio = data.get("ratio")
    if ratio is not None and (not isinstance(ratio, (int, float)) or isinstance(ratio, bool) or ratio < 0):
        problems.append("$.ratio: expected a non-negative number or null")
    for key in ("tailored", "full"):
        lib = data.get(key)
        if lib is None and key == "full":
            continue
        if not isinstance(lib, Mapping):
            problems.append(f"$.{key}: expected an object")
            continue
        where = f"$.{key}"
        need(lib, "path", str, where)
        need(lib, "machine", str, where)
        for field in ("stripped_bytes", "unstripped_bytes", "load_alignment", "page_padding_bytes"):
            value = need(lib, field, int, where)
            if value is not None and value < 0:
                problems.append(f"{where}.{field}: negative")
        sections = need(lib, "sections", list, where) or []
        sizes: dict[str, int] = defaultdict(int)
        for i, sec in enumerate(sections):
            if (
                not isinstance(sec, Mapping)
                or not isinstance(sec.get("name"), str)
                or not isinstance(sec.get("size"), int)
                or sec["size"] < 0
            ):
                problems.append(f"{where}.sections[{i}]: expected {{name: str, size: int >= 0}}")
                continue
            sizes[sec["name"]] += sec["size"]
        exported = need(lib, "exported_symbols", list, where)
        if exported is not None and not all(isinstance(s, str) for s in exported):
            problems.append(f"{where}.exported_symbols: expected a list of strings")
        attribution = need(lib, "attribution", list, where) or []
        per_section: dict[str, int] = defaultdict(int)
        for i, entry in enumerate(attribution):
            w = f"{where}.attribution[{i}]"
            if not isinstance(entry, Mapping):
                problems.append(f"{w}: expected an object")
                continue
            need(entry, "unit", str, w)
            need(entry, "kind", str, w)
            secs = need(entry, "sections", Mapping, w) or {}
            total = need(entry, "total", int, w)
            for name, size in secs.items():
                if name not in ATTRIBUTED_SECTIONS or not isinstance(size, int) or size < 0:
                    problems.append(f"{w}.sections.{name}: unknown section or bad size")
                    continue
                per_section[name] += size
            if total is not None and total != sum(v for v in secs.values() if isinstance(v, int)):
                problems.append(f"{w}.total: not the sum of its sections")
        for name, size in per_section.items():
            if size > sizes.get(name, 0):
                problems.append(
                    f"{where}: attribution of {name} ({size}) exceeds the section ({sizes.get(name, 0)})"
                )
    return problems


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)
