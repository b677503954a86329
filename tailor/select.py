"""Selection: which catalog units a set of models needs on one ABI, and why (engine/CATALOG.md, "Matching").

For every op of every model: candidates are the units serving (op type, key precision) whose ISA the ABI
builds and whose `when` terms all hold; the winner has the highest (isa rank, priority), ties broken by
catalog order — the same order the generated registry lists, so the engine picks the same unit at run time. An
`avx2` winner also brings the best `any` candidate as the fallback for CPUs without AVX2/FMA. Fused
activations bring their epilogue unit, weight-quantized parameters the dequant unit, core units are always in,
and everything is closed over `requires`. What cannot be served (non-CPU targets, ops or activations nothing
serves) is collected — all of it — in `Selection.missing`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tailor.abi import Abi, isa_rank
from tailor.catalog import ActivationRule, Catalog, Unit
from tailor.conditions import EvalContext, Value, normalize
from tailor.model import Model, Op, ParamInfo
from tailor.nb.reader import read_params

CPU_TARGETS: dict[int, str] = {1: "kHost", 2: "kX86", 4: "kARM", 6: "kAny"}
DTYPE_FP32 = 5
QUANTIZED_DTYPES: dict[int, str] = {21: "INT8", 1: "INT16"}
# Attributes that say nothing about which kernel an op needs (left out of missing-op reports).
NOISE_ATTRS = frozenset(
    {
        "op_device",
        "op_callstack",
        "op_namescope",
        "op_role",
        "op_role_var",
        "use_mkldnn",
        "use_cudnn",
        "mkldnn_data_type",
        "is_test",
        "with_quant_attr",
        "use_quantizer",
        "padding_algorithm",
    }
)

Values = tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Reason:
    """Why a unit is in a selection.

    kind: "op" (serves an op), "fallback" (the `any` fallback for avx2 unit `unit`), "activation" (the
    epilogue of the fused activation of unit `unit` on an op), "required" (required by unit `unit`), "core",
    "dequant" (a model has weight-quantized parameters, named in `values`) or "full" (full engine build).
    `values`: the subjects (and activation attributes) the decision looked at, with the op's values."""

    kind: str
    model: str | None = None
    op_index: int | None = None
    op_type: str | None = None
    key: str | None = None
    values: Values = ()
    unit: str | None = None

    def describe(self) -> str:
        match self.kind:
            case "required":
                return f"required by {self.unit}"
            case "core":
                return "core"
            case "full":
                return "full engine"
            case "dequant":
                return f"{self.model}: weight-quantized parameters {_fmt_values(self.values)}"
        where = f"{self.model} op #{self.op_index} {self.op_type} ({self.key})"
        vals = f" [{_fmt_values(self.values)}]" if self.values else ""
        match self.kind:
            case "fallback":
                return f"fallback for {self.unit}: {where}{vals}"
            case "activation":
                return f"activation of {self.unit}: {where}{vals}"
        return f"{where}{vals}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "model": self.model,
            "op_index": self.op_index,
            "op_type": self.op_type,
            "key": self.key,
            "values": {k: _json_value(v) for k, v in self.values},
            "unit": self.unit,
            "text": self.describe(),
        }


@dataclass(frozen=True)
class SelectedUnit:
    name: str
    kind: str
    isa: str
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "isa": self.isa,
            "reasons": [r.to_json() for r in self.reasons],
        }


@dataclass(frozen=True)
class MissingItem:
    """Something a model needs that the catalog cannot give on this ABI. Model-level items (dequantization)
    have no op."""

    model: str
    op_index: int | None
    op_type: str | None
    key: str | None
    reason: str
    attrs: Values = ()

    def describe(self) -> str:
        where = (
            f"{self.model}"
            if self.op_index is None
            else f"{self.model} op #{self.op_index} {self.op_type} ({self.key})"
        )
        attrs = f" [{_fmt_values(self.attrs)}]" if self.attrs else ""
        return f"{where}: {self.reason}{attrs}"

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "op_index": self.op_index,
            "op_type": self.op_type,
            "key": self.key,
            "reason": self.reason,
            "attrs": {k: _json_value(v) for k, v in self.attrs},
            "text": self.describe(),
        }


@dataclass(frozen=True)
class Selection:
    abi: str
    units: tuple[SelectedUnit, ...]  # in catalog order
    missing: tuple[MissingItem, ...] = ()
    warnings: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    catalog_hash: str = ""
    full: bool = False
    _digest: str = field(default="", compare=False, repr=False)

    @property
    def unit_names(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units)

    @property
    def ok(self) -> bool:
        return not self.missing

    def get(self, name: str) -> SelectedUnit | None:
        return next((u for u in self.units if u.name == name), None)

    def __contains__(self, name: object) -> bool:
        return any(u.name == name for u in self.units)

    def digest(self) -> str:
        """sha256 over the sorted unit names, the ABI name and the catalog's content hash. Stable: it depends
        on nothing else (not on the models, paths or time), and it determines the generated registry."""
        text = json.dumps(
            {"units": sorted(self.unit_names), "abi": self.abi, "catalog": self.catalog_hash},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "abi": self.abi,
            "full": self.full,
            "models": list(self.models),
            "digest": self.digest(),
            "catalog_hash": self.catalog_hash,
            "ok": self.ok,
            "units": [u.to_json() for u in self.units],
            "missing": [m.to_json() for m in self.missing],
            "warnings": list(self.warnings),
        }


def _json_value(value: Value) -> Any:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value


def _fmt_values(values: Values) -> str:
    return ", ".join(f"{k}={json.dumps(_json_value(v))}" for k, v in values)


def _preference(unit: Unit, catalog: Catalog) -> tuple[int, int, int]:
    """Sort key, best first: (isa rank, priority) descending, then catalog order."""
    return (-isa_rank(unit.isa), -unit.priority, catalog.order(unit.name))


def best_unit(units: Iterable[Unit], catalog: Catalog) -> Unit | None:
    ranked = sorted(units, key=lambda u: _preference(u, catalog))
    return ranked[0] if ranked else None


class _Builder:
    def __init__(self, catalog: Catalog, abi: Abi, isa_fallbacks: bool = True) -> None:
        self.catalog = catalog
        self.abi = abi
        self.isa_fallbacks = isa_fallbacks
        self.reasons: dict[str, list[Reason]] = {}
        self.missing: list[MissingItem] = []
        self.warnings: list[str] = []

    def add(self, unit: Unit, reason: Reason) -> None:
        self.reasons.setdefault(unit.name, []).append(reason)

    def buildable(self, unit: Unit) -> bool:
        return unit.isa in self.abi.isas

    def finish(self, models: Sequence[str], full: bool) -> Selection:
        # close over `requires`, breadth first, recording who required what
        queue = list(self.reasons)
        while queue:
            name = queue.pop(0)
            for req in self.catalog.unit(name).requires:
                if req not in self.reasons:
                    queue.append(req)
                self.reasons.setdefault(req, []).append(Reason("required", unit=name))
        units = tuple(
            SelectedUnit(
                name, self.catalog.unit(name).kind, self.catalog.unit(name).isa, _dedupe(self.reasons[name])
            )
            for name in sorted(self.reasons, key=self.catalog.order)
        )
        return Selection(
            self.abi.name,
            units,
            tuple(self.missing),
            tuple(dict.fromkeys(self.warnings)),
            tuple(models),
            self.catalog.content_hash,
            full,
        )


def _dedupe(reasons: list[Reason]) -> tuple[Reason, ...]:
    return tuple(dict.fromkeys(reasons))


def _param_dims(params: Sequence[ParamInfo]) -> dict[str, tuple[int, ...]]:
    return {p.name: p.dims for p in params}


def _relevant_values(op: Op, catalog: Catalog, ctx: EvalContext) -> Values:
    """What a missing-op report shows: the subjects any unit serving this op type looks at, then the op's
    other attributes (without bookkeeping ones)."""
    values: dict[str, Value] = {}
    for unit in catalog.units:
        if any(s.op == op.type for s in unit.serves):
            for cond in unit.when:
                values.setdefault(cond.subject_text, cond.lookup(ctx))
    for name in sorted(op.attrs):
        if name not in NOISE_ATTRS:
            values.setdefault(f"attr.{name}", normalize(op.attrs[name]))
    return tuple(values.items())


def _looked_at(unit: Unit, op: Op, ctx: EvalContext) -> Values:
    values: dict[str, Value] = {}
    for cond in unit.when:
        values.setdefault(cond.subject_text, cond.lookup(ctx))
    # the activation rules up to the one that applies (all of them when none does)
    for rule in unit.activation:
        if rule.enabled_by is not None:
            values.setdefault(f"attr.{rule.enabled_by}", normalize(op.attrs.get(rule.enabled_by)))
        if rule.attr is not None:
            values.setdefault(f"attr.{rule.attr}", normalize(op.attrs.get(rule.attr)))
        if _applies(rule, op):
            break
    return tuple(values.items())


def _applies(rule: ActivationRule, op: Op) -> bool:
    """`rule` has no `enabled_by`, or that attribute is true as the engine reads a bool (OpDesc::get_bool: a
    boolean, or a nonzero integer)."""
    if rule.enabled_by is None:
        return True
    enabled = op.attrs.get(rule.enabled_by)
    return enabled is True or (isinstance(enabled, int) and not isinstance(enabled, bool) and enabled != 0)


def active_activation(unit: Unit, op: Op) -> str | None:
    """The Paddle activation name `unit` fuses into `op`, or None (no rule applies, or the first that applies
    names nothing, `identity`, or something that is not a string). Rules are tried in catalog order, as the
    kernel's `if (with_act) ... else if (fuse_relu) ...` does."""
    rule = next((r for r in unit.activation if _applies(r, op)), None)
    if rule is None:
        return None
    if rule.fixed is not None:
        return rule.fixed
    assert rule.attr is not None  # a rule has `attr` or `fixed`
    name = op.attrs.get(rule.attr)
    if not isinstance(name, str) or name in ("", "identity"):
        return None
    return name


def _select_op(b: _Builder, model: str, op: Op, ctx: EvalContext) -> None:
    catalog = b.catalog
    key = op.kernel
    if key is None:
        b.missing.append(
            MissingItem(
                model,
                op.index,
                op.type,
                None,
                "the op has no kernel key (__@kernel_type_attr@__)",
                _relevant_values(op, catalog, ctx),
            )
        )
        return
    key_text = str(key)
    if key.target not in CPU_TARGETS:
        b.missing.append(
            MissingItem(
                model,
                op.index,
                op.type,
                key_text,
                f"target {key.target_name} is not a CPU target (kHost, kX86, kARM, kAny): "
                "re-export the model with paddle_lite_opt --valid_targets=arm or x86",
                _relevant_values(op, catalog, ctx),
            )
        )
        return
    precision = key.precision_name
    serving = [u for u in catalog.units if u.serves_key(op.type, precision)]
    buildable = [u for u in serving if b.buildable(u)]
    matching = [u for u in buildable if all(c.holds(ctx) for c in u.when)]
    winner = best_unit(matching, catalog)
    if winner is None:
        if not serving:
            others = sorted(
                {p for u in catalog.units for s in u.serves if s.op == op.type for p in s.precisions}
            )
            reason = f"no unit serves {op.type} with precision {precision}"
            if others:
                reason += f" (served precisions: {', '.join(others)})"
        elif not buildable:
            reason = (
                f"the units serving {op.type}/{precision} ({', '.join(u.name for u in serving)}) are not "
                f"built for {b.abi.name} (ISAs {', '.join(b.abi.isas)})"
            )
        else:
            failed = []
            for u in buildable:
                bad = next(c for c in u.when if not c.holds(ctx))
                failed.append(f"{u.name} needs {bad.text} (is {json.dumps(_json_value(bad.lookup(ctx)))})")
            reason = f"no variant of {op.type}/{precision} matches: " + "; ".join(failed)
        b.missing.append(
            MissingItem(model, op.index, op.type, key_text, reason, _relevant_values(op, catalog, ctx))
        )
        return
    b.add(winner, Reason("op", model, op.index, op.type, key_text, _looked_at(winner, op, ctx)))
    chosen = [winner]
    if winner.isa == "avx2" and b.isa_fallbacks:
        fallback = best_unit((u for u in matching if u.isa == "any"), catalog)
        if fallback is None:
            b.warnings.append(
                f"{model} op #{op.index} {op.type} ({key_text}): {winner.name} needs AVX2+FMA and no "
                "'any' unit matches as the fallback: the library fails on CPUs without AVX2"
            )
        else:
            b.add(
                fallback,
                Reason(
                    "fallback",
                    model,
                    op.index,
                    op.type,
                    key_text,
                    _looked_at(fallback, op, ctx),
                    unit=winner.name,
                ),
            )
            chosen.append(fallback)
    for unit in chosen:
        act = active_activation(unit, op)
        if act is None:
            continue
        epilogue = best_unit(
            (
                u
                for u in catalog.units
                if u.kind == "epilogue" and u.provides_activation == act and b.buildable(u)
            ),
            catalog,
        )
        if epilogue is None:
            b.missing.append(
                MissingItem(
                    model,
                    op.index,
                    op.type,
                    key_text,
                    f"no epilogue unit implements the fused activation {act!r} (needed by {unit.name})",
                    _looked_at(unit, op, ctx),
                )
            )
        else:
            b.add(
                epilogue,
                Reason(
                    "activation",
                    model,
                    op.index,
                    op.type,
                    key_text,
                    _looked_at(unit, op, ctx),
                    unit=unit.name,
                ),
            )


WEIGHT_ONLY_QUANT_TYPES = ("post_weight_abs_max", "post_weight_channel_wise_abs_max")


def weight_quantized_op(op: Op) -> bool:
    """Whether the engine dequantizes `op`'s quantized weights at load, decided as its loader does
    (is_weight_quantized_op in engine/src/core/model_loader.cc). The ops of fully int8 models
    (quantization_type post_abs_max, qat_with_weight, ...) read their INT8 weights as they are: no dequant
    unit for them."""
    qt = op.attrs.get("quantization_type")
    if qt is not None:
        return isinstance(qt, str) and qt in WEIGHT_ONLY_QUANT_TYPES
    return "quantize_weight_bits" in op.attrs


def quantized_params(model: Model, params: Sequence[ParamInfo]) -> list[ParamInfo]:
    """Weight-quantized parameters: stored as INT8/INT16 while the program declares them FP32, and read by
    an op the engine dequantizes weights for."""
    dequantized = {
        a for op in model.ops if weight_quantized_op(op) for args in op.inputs.values() for a in args
    }
    result = []
    for p in params:
        var = model.vars.get(p.name)
        if (
            p.dtype in QUANTIZED_DTYPES
            and var is not None
            and var.dtype == DTYPE_FP32
            and p.name in dequantized
        ):
            result.append(p)
    return result


def select_units(
    models: Sequence[Model],
    catalog: Catalog,
    abi: Abi,
    params: Mapping[str, Sequence[ParamInfo]] | None = None,
    isa_fallbacks: bool = True,
) -> Selection:
    """The units `models` need on `abi`. `params` (model path -> its parameters) overrides reading them from
    the files, for tests. `isa_fallbacks=False` leaves out the reference unit selected beside each AVX2 unit:
    a smaller library that refuses the model on CPUs without AVX2+FMA."""
    b = _Builder(catalog, abi, isa_fallbacks)
    for unit in catalog.units:
        if unit.kind == "core" and b.buildable(unit):
            b.add(unit, Reason("core"))
    for model in models:
        name = str(model.path)
        model_params = params[name] if params is not None and name in params else read_params(model)
        dims = _param_dims(model_params)
        for op in model.ops:
            _select_op(b, name, op, EvalContext.for_op(op, dims))
        quantized = quantized_params(model, model_params)
        if quantized:
            shown = tuple((p.name, QUANTIZED_DTYPES[p.dtype]) for p in quantized[:8])
            if len(quantized) > len(shown):
                shown += (("...", f"{len(quantized) - len(shown)} more"),)
            dequant = best_unit((u for u in catalog.units if u.kind == "dequant" and b.buildable(u)), catalog)
            if dequant is None:
                b.missing.append(
                    MissingItem(
                        name,
                        None,
                        None,
                        None,
                        f"{len(quantized)} weight-quantized parameter(s) need a dequant unit, "
                        f"and the catalog has none for {abi.name}",
                        shown,
                    )
                )
            else:
                b.add(dequant, Reason("dequant", name, values=shown))
    return b.finish([str(m.path) for m in models], full=False)


def full_selection(catalog: Catalog, abi: Abi) -> Selection:
    """Every unit the ABI can build (the full engine)."""
    b = _Builder(catalog, abi)
    for unit in catalog.units:
        if b.buildable(unit):
            b.add(unit, Reason("core" if unit.kind == "core" else "full"))
    return b.finish([], full=True)
