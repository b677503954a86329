"""The engine catalog (`engine/catalog.toml`, see engine/CATALOG.md): typed, strictly validated.

Every problem is a `TailorError` naming the catalog file and the unit, one line, so that a catalog part
written by hand (engine/catalog.parts/*.toml, merged by tools/merge_catalog.py) fails with the reason, never a
traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from tailor import paths
from tailor.abi import ALL_ISAS
from tailor.conditions import Condition, ConditionError, parse_condition
from tailor.errors import TailorError
from tailor.paddle_enums import PRECISION_NAMES

SCHEMA = 1
KINDS: tuple[str, ...] = ("core", "kernel", "helper", "epilogue", "dequant")

_TOP_KEYS = {"schema", "unit"}
_UNIT_KEYS = {
    "name",
    "kind",
    "isa",
    "sources",
    "requires",
    "entry",
    "priority",
    "when",
    "activation",
    "serves",
}
_SERVE_KEYS = {"op", "precisions"}
_ACTIVATION_KEYS = {"attr", "fixed", "enabled_by"}
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_ENTRY_RE = re.compile(rf"(?:::)?{_IDENT}(?:::{_IDENT})+")
_OP_RE = re.compile(r"[A-Za-z0-9_]+")
_SOURCE_RE = re.compile(r"[A-Za-z0-9_.+\-]+(?:/[A-Za-z0-9_.+\-]+)*")


class CatalogError(TailorError):
    """The catalog is not valid."""


@dataclass(frozen=True)
class Serve:
    op: str
    precisions: tuple[str, ...]  # Paddle precision names, e.g. ("kFloat",)

    @property
    def precision_values(self) -> tuple[int, ...]:
        return tuple(PRECISION_NAMES.index(p) for p in self.precisions)


@dataclass(frozen=True)
class ActivationRule:
    """One rule of a kernel's fused activation (engine/CATALOG.md, "Fused activations"): the activation is
    named by the op's string attribute `attr`, or is `fixed`; the rule applies when `enabled_by` is None or
    that attribute is true. Exactly one of `attr` and `fixed` is set."""

    attr: str | None = None
    fixed: str | None = None
    enabled_by: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"attr": self.attr, "fixed": self.fixed, "enabled_by": self.enabled_by}


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    isa: str
    sources: tuple[str, ...]  # relative to engine/
    requires: tuple[str, ...]
    entry: str | None
    priority: int
    when: tuple[Condition, ...]
    serves: tuple[Serve, ...]
    activation: tuple[ActivationRule, ...]  # kernels: their fused activation (the first rule that applies)
    provides_activation: str | None  # epilogues: the Paddle activation name they implement

    @property
    def ident(self) -> str:
        """`name` with `.` and `-` replaced by `_`: the unit's namespace id (`tailor::kernels::<ident>`)."""
        return self.name.replace(".", "_").replace("-", "_")

    @property
    def entry_namespace(self) -> str:
        """The namespace part of `entry` (without leading `::`), e.g. `tailor::kernels::relu_f32_any`."""
        assert self.entry is not None
        return self.entry.lstrip(":").rsplit("::", 1)[0]

    @property
    def entry_function(self) -> str:
        assert self.entry is not None
        return self.entry.rsplit("::", 1)[1]

    def serves_key(self, op: str, precision: str) -> bool:
        return any(s.op == op and precision in s.precisions for s in self.serves)

    def to_dict(self) -> dict[str, Any]:
        """The unit in catalog form (canonical: every key present), e.g. for JSON output and hashing."""
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "isa": self.isa,
            "sources": list(self.sources),
            "requires": list(self.requires),
            "entry": self.entry,
            "priority": self.priority,
            "when": [c.text for c in self.when],
            "serves": [{"op": s.op, "precisions": list(s.precisions)} for s in self.serves],
        }
        if self.activation:
            data["activation"] = [rule.to_dict() for rule in self.activation]
        elif self.provides_activation is not None:
            data["activation"] = self.provides_activation
        return data


@dataclass(frozen=True)
class Catalog:
    path: Path
    engine_dir: Path
    units: tuple[Unit, ...]

    @classmethod
    def load(
        cls, path: str | Path | None = None, engine_dir: str | Path | None = None, check_sources: bool = True
    ) -> Catalog:
        """Load and validate `path` (default engine/catalog.toml); sources are checked under `engine_dir`
        (default: the catalog's directory)."""
        catalog_path = Path(path) if path is not None else paths.catalog_path()
        try:
            raw = catalog_path.read_bytes()
        except FileNotFoundError:
            hint = " (merge engine/catalog.parts/*.toml with tools/merge_catalog.py)" if path is None else ""
            raise CatalogError(f"{catalog_path}: no such catalog file{hint}") from None
        except OSError as exc:
            raise CatalogError(f"{catalog_path}: cannot read: {exc.strerror or exc}") from None
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise CatalogError(f"{catalog_path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"{catalog_path}: not valid TOML: {exc}") from None
        base = Path(engine_dir) if engine_dir is not None else catalog_path.resolve().parent
        return cls.from_data(data, catalog_path, base, check_sources=check_sources)

    @classmethod
    def from_data(
        cls, data: Mapping[str, Any], path: Path, engine_dir: Path, check_sources: bool = True
    ) -> Catalog:
        """Validate parsed TOML (`path` is only used in messages)."""
        where = str(path)
        if not isinstance(data, Mapping):
            raise CatalogError(f"{where}: the top level must be a table")
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise CatalogError(
                f"{where}: unknown top-level key(s) {', '.join(map(repr, unknown))} "
                f"(expected 'schema' and [[unit]] tables)"
            )
        schema = data.get("schema")
        if schema != SCHEMA or isinstance(schema, bool):
            raise CatalogError(f"{where}: 'schema = {SCHEMA}' is required (got {schema!r})")
        raw_units = data.get("unit", [])
        if not isinstance(raw_units, list):
            raise CatalogError(f"{where}: 'unit' must be an array of tables ([[unit]])")
        units: list[Unit] = []
        seen: dict[str, int] = {}
        idents: dict[str, str] = {}
        for i, raw in enumerate(raw_units):
            label = _label(raw, i)
            if not isinstance(raw, Mapping):
                raise CatalogError(f"{where}: {label}: must be a table")
            try:
                unit = _parse_unit(raw)
            except (CatalogError, ConditionError) as exc:
                raise CatalogError(f"{where}: {label}: {exc}") from None
            if unit.name in seen:
                raise CatalogError(
                    f"{where}: unit {unit.name!r}: duplicate name (units #{seen[unit.name] + 1} and #{i + 1})"
                )
            seen[unit.name] = i
            if unit.ident in idents:
                raise CatalogError(
                    f"{where}: unit {unit.name!r}: its namespace id {unit.ident!r} is also that of "
                    f"unit {idents[unit.ident]!r}"
                )
            idents[unit.ident] = unit.name
            units.append(unit)
        catalog = cls(path, engine_dir, tuple(units))
        catalog._check_references(where)
        if check_sources:
            catalog._check_sources(where)
        return catalog

    # --- look-ups -------------------------------------------------------------------------------------------
    @cached_property
    def by_name(self) -> dict[str, Unit]:
        return {u.name: u for u in self.units}

    @cached_property
    def _order(self) -> dict[str, int]:
        return {u.name: i for i, u in enumerate(self.units)}

    def unit(self, name: str) -> Unit:
        try:
            return self.by_name[name]
        except KeyError:
            raise CatalogError(f"{self.path}: no unit named {name!r}") from None

    def order(self, name: str) -> int:
        """The unit's position in the catalog (the last tie-breaker of the preference order)."""
        return self._order[name]

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of every unit: changes exactly when the catalog's meaning changes."""
        text = json.dumps([u.to_dict() for u in self.units], sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def closure(self, names: Sequence[str]) -> list[str]:
        """`names` and everything they require, transitively, in catalog order."""
        todo = list(names)
        done: set[str] = set()
        while todo:
            name = todo.pop()
            if name in done:
                continue
            done.add(name)
            todo.extend(self.by_name[name].requires)
        return sorted(done, key=self.order)

    # --- validation -----------------------------------------------------------------------------------------
    def _check_references(self, where: str) -> None:
        by_name = self.by_name
        for unit in self.units:
            for req in unit.requires:
                target = by_name.get(req)
                if target is None:
                    raise CatalogError(
                        f"{where}: unit {unit.name!r}: requires {req!r}, which is not in the catalog"
                    )
                if target.isa not in ("any", unit.isa):
                    raise CatalogError(
                        f"{where}: unit {unit.name!r} (isa {unit.isa}) requires {req!r} of isa "
                        f"{target.isa}, which is not built wherever {unit.name!r} is"
                    )
        # cycles (iterative DFS; the path is named in the message)
        state: dict[str, int] = {}
        for start in self.units:
            if state.get(start.name):
                continue
            stack: list[tuple[str, Iterator[str]]] = [(start.name, iter(start.requires))]
            state[start.name] = 1
            while stack:
                name, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[name] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    cycle = [n for n, _ in stack]
                    cycle = [*cycle[cycle.index(nxt) :], nxt]
                    raise CatalogError(f"{where}: unit {nxt!r}: requires cycle {' -> '.join(cycle)}")
                elif not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, iter(by_name[nxt].requires)))
        provided = {u.provides_activation for u in self.units if u.provides_activation is not None}
        for unit in self.units:
            for rule in unit.activation:
                if rule.fixed is not None and rule.fixed not in provided:
                    raise CatalogError(
                        f"{where}: unit {unit.name!r}: its activation rule fixes {rule.fixed!r}, which no "
                        "epilogue unit of the catalog implements"
                    )
        owners: dict[str, str] = {}
        for unit in self.units:
            for src in unit.sources:
                if src in owners:
                    raise CatalogError(
                        f"{where}: unit {unit.name!r}: source {src!r} is already listed by unit "
                        f"{owners[src]!r} (each source belongs to one unit)"
                    )
                owners[src] = unit.name

    def _check_sources(self, where: str) -> None:
        for unit in self.units:
            for src in unit.sources:
                if not (self.engine_dir / src).is_file():
                    raise CatalogError(
                        f"{where}: unit {unit.name!r}: source {src!r} does not exist "
                        f"(looked for {self.engine_dir / src})"
                    )


def _label(raw: Any, i: int) -> str:
    name = raw.get("name") if isinstance(raw, Mapping) else None
    return f"unit {name!r}" if isinstance(name, str) else f"unit #{i + 1}"


def _str(raw: Mapping[str, Any], key: str, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise CatalogError(f"'{key}' is required")
        return None
    if not isinstance(value, str) or not value:
        raise CatalogError(f"'{key}' must be a non-empty string, got {value!r}")
    return value


def _str_list(raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(f"'{key}' must be a list of non-empty strings, got {value!r}")
    if len(set(value)) != len(value):
        raise CatalogError(f"'{key}' lists an item twice: {value!r}")
    return tuple(value)


def _parse_unit(raw: Mapping[str, Any]) -> Unit:
    unknown = sorted(set(raw) - _UNIT_KEYS)
    if unknown:
        raise CatalogError(
            f"unknown key(s) {', '.join(map(repr, unknown))} (valid: {', '.join(sorted(_UNIT_KEYS))})"
        )
    name = _str(raw, "name", required=True)
    assert name is not None
    if not _NAME_RE.fullmatch(name):
        raise CatalogError(f"'name' must use letters, digits, '.', '-' and '_' only, got {name!r}")
    kind = _str(raw, "kind", required=True)
    if kind not in KINDS:
        raise CatalogError(f"unknown kind {kind!r} (valid: {', '.join(KINDS)})")
    isa = _str(raw, "isa") or "any"
    if isa not in ALL_ISAS:
        raise CatalogError(f"unknown isa {isa!r} (valid: {', '.join(ALL_ISAS)})")
    sources = _str_list(raw, "sources")
    for src in sources:
        if src.startswith("/") or ".." in Path(src).parts or not _SOURCE_RE.fullmatch(src):
            raise CatalogError(
                f"source {src!r} must be a relative path inside engine/, with '/' and only letters, "
                "digits and '_', '-', '.', '+'"
            )
    requires = _str_list(raw, "requires")
    if name in requires:
        raise CatalogError("requires itself")
    entry = _str(raw, "entry")
    if entry is not None and not _ENTRY_RE.fullmatch(entry):
        raise CatalogError(f"'entry' must be a namespace-qualified C++ function name, got {entry!r}")
    priority = raw.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool) or not -(2**31) <= priority < 2**31:
        raise CatalogError(f"'priority' must be an integer, got {priority!r}")
    when_raw = _str_list(raw, "when")
    when = tuple(parse_condition(text) for text in when_raw)
    serves = _parse_serves(raw.get("serves", []))
    activation: tuple[ActivationRule, ...] = ()
    provides: str | None = None
    act = raw.get("activation")
    if act is not None:
        if kind == "epilogue":
            if not isinstance(act, str) or not act:
                raise CatalogError(
                    f"an epilogue's 'activation' is the Paddle activation name it implements "
                    f"(a string), got {act!r}"
                )
            provides = act
        else:
            activation = _parse_activation(act)
    # what each kind must and must not have
    if kind in ("kernel",) and not serves:
        raise CatalogError("a kernel unit must serve at least one op ([[unit.serves]])")
    if kind in ("helper", "epilogue", "dequant") and serves:
        raise CatalogError(f"a {kind} unit cannot serve ops")
    if not serves and (when or activation):
        raise CatalogError("'when' and 'activation' only apply to units that serve ops")
    if kind == "epilogue" and provides is None:
        raise CatalogError("an epilogue unit needs 'activation' = the Paddle activation name it implements")
    needs_entry = bool(serves) or kind in ("epilogue", "dequant")
    if needs_entry and entry is None:
        raise CatalogError(
            f"'entry' is required for a {kind} unit that serves ops or is called by the registry"
            if kind == "core"
            else f"'entry' is required for a {kind} unit"
        )
    if isa == "avx2" and kind in ("core", "epilogue", "dequant"):
        raise CatalogError(f"a {kind} unit cannot be isa avx2: the registry has no CPU check for it")
    return Unit(
        name=name,
        kind=kind,
        isa=isa,
        sources=sources,
        requires=requires,
        entry=entry,
        priority=priority,
        when=when,
        serves=serves,
        activation=activation,
        provides_activation=provides,
    )


def _parse_serves(raw: Any) -> tuple[Serve, ...]:
    if not isinstance(raw, list):
        raise CatalogError("'serves' must be an array of tables ([[unit.serves]])")
    serves: list[Serve] = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise CatalogError("each [[unit.serves]] must be a table with 'op' and 'precisions'")
        unknown = sorted(set(item) - _SERVE_KEYS)
        if unknown:
            raise CatalogError(
                f"serves: unknown key(s) {', '.join(map(repr, unknown))} (valid: op, precisions)"
            )
        op = _str(item, "op", required=True)
        assert op is not None
        if not _OP_RE.fullmatch(op):
            raise CatalogError(f"serves: op {op!r} is not an op type name")
        precisions = _str_list(item, "precisions")
        if not precisions:
            raise CatalogError(f"serves op {op!r}: 'precisions' must list at least one precision")
        for p in precisions:
            if p not in PRECISION_NAMES:
                raise CatalogError(
                    f"serves op {op!r}: unknown precision {p!r} (valid: {', '.join(PRECISION_NAMES)})"
                )
        if any(s.op == op for s in serves):
            raise CatalogError(f"serves op {op!r} twice")
        serves.append(Serve(op, precisions))
    return tuple(serves)


def _parse_activation(raw: Any) -> tuple[ActivationRule, ...]:
    """A rule table, or a non-empty array of them tried in order."""
    if isinstance(raw, Mapping):
        return (_parse_activation_rule(raw, "activation"),)
    if not isinstance(raw, list) or not raw:
        raise CatalogError(
            "'activation' must be a table { attr = ..., enabled_by = ... } (or { fixed = ... }), or a "
            f"non-empty array of such tables, got {raw!r}"
        )
    rules: list[ActivationRule] = []
    for i, item in enumerate(raw):
        where = f"activation rule #{i + 1}"
        if not isinstance(item, Mapping):
            raise CatalogError(f"{where} must be a table {{ attr = ... }} or {{ fixed = ... }}, got {item!r}")
        rule = _parse_activation_rule(item, where)
        for j, earlier in enumerate(rules):
            if earlier.enabled_by is None:
                raise CatalogError(
                    f"{where} is never used: rule #{j + 1} has no 'enabled_by', so it always applies "
                    "(only the last rule may omit 'enabled_by')"
                )
            if earlier.enabled_by == rule.enabled_by:
                raise CatalogError(
                    f"{where} is never used: rule #{j + 1} is enabled by the same attribute "
                    f"{rule.enabled_by!r} and comes first"
                )
        rules.append(rule)
    return tuple(rules)


def _parse_activation_rule(raw: Mapping[str, Any], where: str) -> ActivationRule:
    unknown = sorted(set(raw) - _ACTIVATION_KEYS)
    if unknown:
        raise CatalogError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (valid: attr, fixed, enabled_by)"
        )
    try:
        attr, fixed, enabled_by = _str(raw, "attr"), _str(raw, "fixed"), _str(raw, "enabled_by")
    except CatalogError as exc:
        raise CatalogError(f"{where}: {exc}") from None
    if (attr is None) == (fixed is None):
        raise CatalogError(
            f"{where}: needs exactly one of 'attr' (the attribute naming the activation) and 'fixed' "
            f"(the activation's name), got {dict(raw)!r}"
        )
    return ActivationRule(attr=attr, fixed=fixed, enabled_by=enabled_by)


# --- catalog parts (engine/catalog.parts/*.toml) ------------------------------------------------------------
_KEY_ORDER = ("name", "kind", "isa", "sources", "requires", "entry", "priority", "when", "activation")


def part_order(parts: Sequence[Path]) -> list[Path]:
    """`core.toml` first, then the other parts in file-name order."""
    return sorted(parts, key=lambda p: (p.name != "core.toml", p.name))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise CatalogError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _unit_toml(unit: Mapping[str, Any]) -> str:
    lines = ["[[unit]]"]
    keys = [k for k in _KEY_ORDER if k in unit] + [k for k in unit if k not in _KEY_ORDER and k != "serves"]
    lines.extend(f"{_toml_key(key)} = {_toml_value(unit[key])}" for key in keys)
    serves = unit.get("serves", [])
    for serve in serves if isinstance(serves, list) else []:
        lines.append("  [[unit.serves]]")
        if isinstance(serve, Mapping):
            lines.extend(f"  {_toml_key(k)} = {_toml_value(v)}" for k, v in serve.items())
    return "\n".join(lines) + "\n"


def merge_parts(parts_dir: Path) -> str:
    """The text of the merged catalog: `schema = 1`, then every part's units (core.toml first, then by name).
    CatalogError naming the part for a part that is not valid TOML or holds something other than units."""
    out = [
        "# Generated by tools/merge_catalog.py from engine/catalog.parts/*.toml: edit the parts.\n",
        "# The format is described in engine/CATALOG.md.\n",
        f"schema = {SCHEMA}\n",
    ]
    for part in part_order(list(parts_dir.glob("*.toml"))):
        try:
            data = tomllib.loads(part.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CatalogError(f"{part}: not valid TOML: {exc}") from None
        except OSError as exc:
            raise CatalogError(f"{part}: cannot read: {exc.strerror or exc}") from None
        extra = sorted(set(data) - _TOP_KEYS)
        if extra:
            raise CatalogError(
                f"{part}: unknown top-level key(s) {', '.join(map(repr, extra))} "
                "(a part holds [[unit]] tables)"
            )
        if "schema" in data and data["schema"] != SCHEMA:
            raise CatalogError(f"{part}: schema {data['schema']!r}, expected {SCHEMA}")
        units = data.get("unit", [])
        if not isinstance(units, list) or not all(isinstance(u, Mapping) for u in units):
            raise CatalogError(f"{part}: 'unit' must be an array of tables ([[unit]])")
        out.append(f"\n# ---- {part.name} ({len(units)} unit(s))\n")
        out.extend("\n" + _unit_toml(unit) for unit in units)
    return "".join(out)


def load_default_catalog(check_sources: bool = True) -> tuple[Catalog, str | None]:
    """The repository's catalog and a warning (or None).

    engine/catalog.toml is the catalog. While the engine is being written, the parts in engine/catalog.parts/
    may be ahead of it: when catalog.toml is missing, or differs from what merging the parts gives, the parts
    are merged in memory and used, with a warning to run tools/merge_catalog.py."""
    path = paths.catalog_path()
    parts_dir = paths.catalog_parts_dir()
    engine = paths.engine_dir()
    if parts_dir.is_dir() and any(parts_dir.glob("*.toml")):
        merged = merge_parts(parts_dir)
        try:
            current: str | None = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        except (OSError, UnicodeDecodeError):
            current = ""
        if current != merged:
            state = "does not exist" if current is None else f"is out of date with {parts_dir}"
            warning = f"{path} {state}: using {parts_dir}/*.toml (run tools/merge_catalog.py)"
            try:
                data = tomllib.loads(merged)
            except tomllib.TOMLDecodeError as exc:
                raise CatalogError(f"{parts_dir}: the merged parts are not valid TOML: {exc}") from None
            return Catalog.from_data(data, path, engine, check_sources=check_sources), warning
    return Catalog.load(path, engine, check_sources=check_sources), None
