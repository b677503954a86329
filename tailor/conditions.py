"""The catalog's condition language (engine/CATALOG.md, "Conditions"): parsing and evaluation.

A term is `SUBJECT OP LITERAL`:
- SUBJECT: `attr.NAME`, `attr.NAME[i]`, `input.SLOT.dims`, `input.SLOT.dims[i]`, `input.SLOT.rank`,
  `input.SLOT.count`. `dims`/`rank` are known only for parameter (persistable) inputs, with the dims of the
  parameter section; otherwise they are null. A missing attribute or index is null. `count` is the number of
  variables in the slot (0 when the op has no such slot, as `OpContext::input_count` says).
- OP: `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`.
- LITERAL: JSON `null`, `true`, `false`, a number, a string, or a list of those. Lists may nest
  (`attr.strides in [[1, 1], [2, 2]]`), as the engine's CondValue lists do; numbers must be finite, integers
  fit in int64; strings cannot hold NUL.

Semantics: `==`/`!=` are deep equality, ints and floats compare by value, booleans are not numbers. Ordering
holds only when both sides are numbers. `in`/`not in` need a list on the right and test membership by `==`.
`null == null` holds. `!=` is exactly `not ==` and `not in` exactly `not in`.

The engine (engine/src/core/condition.cc) evaluates the same terms from the registry's CondTerm arrays, which
`tailor.codegen` emits from the parsed `Condition`s here.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tailor.errors import TailorError

if TYPE_CHECKING:
    from tailor.model import Op

# A literal or a subject's value: JSON-like, lists as tuples (so conditions are hashable).
Value = None | bool | int | float | str | tuple[Any, ...]

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class ConditionError(TailorError):
    """A `when` term that is not in the condition language."""


class Subject(enum.IntEnum):
    """Matches `tailor::CondSubject` in engine/src/core/registry.h."""

    ATTR = 0
    INPUT_DIMS = 1
    INPUT_RANK = 2
    INPUT_COUNT = 3


class CondOp(enum.IntEnum):
    """Matches `tailor::CondOp` in engine/src/core/registry.h."""

    EQ = 0
    NE = 1
    LT = 2
    LE = 3
    GT = 4
    GE = 5
    IN = 6
    NOT_IN = 7

    @property
    def symbol(self) -> str:
        return _OP_SYMBOLS[self]


_OP_SYMBOLS = {
    CondOp.EQ: "==",
    CondOp.NE: "!=",
    CondOp.LT: "<",
    CondOp.LE: "<=",
    CondOp.GT: ">",
    CondOp.GE: ">=",
    CondOp.IN: "in",
    CondOp.NOT_IN: "not in",
}
_SYMBOL_OPS = {symbol: op for op, symbol in _OP_SYMBOLS.items()}
_ORDERING = (CondOp.LT, CondOp.LE, CondOp.GT, CondOp.GE)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_INDEX = r"(?:\[\s*(?P<index>[0-9]+)\s*\])?"
_SUBJECT_RE = re.compile(
    rf"\s*(?:attr\.(?P<attr>{_NAME}){_INDEX}"
    rf"|input\.(?P<slot>{_NAME})\.(?:(?P<dims>dims){_INDEX.replace('index', 'dindex')}|(?P<prop>rank|count)))"
)
_OP_RE = re.compile(r"\s*(==|!=|<=|>=|<|>|not\s+in(?![A-Za-z0-9_])|in(?![A-Za-z0-9_]))")


@dataclass(frozen=True)
class Condition:
    """One parsed `when` term. `index` is None for the whole value (-1 in the generated registry)."""

    text: str
    subject: Subject
    name: str
    index: int | None
    op: CondOp
    value: Value = field(default=None)

    @property
    def subject_text(self) -> str:
        """The subject as written canonically, e.g. `attr.strides[0]` or `input.Filter.dims`."""
        index = "" if self.index is None else f"[{self.index}]"
        match self.subject:
            case Subject.ATTR:
                return f"attr.{self.name}{index}"
            case Subject.INPUT_DIMS:
                return f"input.{self.name}.dims{index}"
            case Subject.INPUT_RANK:
                return f"input.{self.name}.rank"
            case Subject.INPUT_COUNT:
                return f"input.{self.name}.count"

    def __str__(self) -> str:
        return f"{self.subject_text} {self.op.symbol} {format_value(self.value)}"

    def lookup(self, ctx: EvalContext) -> Value:
        """The subject's value for one op (null when unknown)."""
        return ctx.subject_value(self.subject, self.name, self.index)

    def holds(self, ctx: EvalContext) -> bool:
        return apply_op(self.op, self.lookup(ctx), self.value)


@dataclass(frozen=True)
class EvalContext:
    """What a condition may look at for one op: its attributes, its input slots and the stored dims of the
    model's parameters (persistable vars). Build one with `EvalContext.for_op`."""

    attrs: Mapping[str, Any]
    inputs: Mapping[str, Sequence[str]]
    param_dims: Mapping[str, Sequence[int]]

    @classmethod
    def for_op(cls, op: Op, param_dims: Mapping[str, Sequence[int]]) -> EvalContext:
        return cls(op.attrs, op.inputs, param_dims)

    def subject_value(self, subject: Subject, name: str, index: int | None) -> Value:
        whole: Value
        if subject is Subject.ATTR:
            if name not in self.attrs:
                return None
            whole = normalize(self.attrs[name])
        elif subject is Subject.INPUT_COUNT:
            return len(self.inputs.get(name, ()))
        else:
            args = self.inputs.get(name, ())
            dims = self.param_dims.get(args[0]) if args else None
            if dims is None:
                return None
            if subject is Subject.INPUT_RANK:
                return len(dims)
            whole = tuple(int(d) for d in dims)
        if index is None:
            return whole
        if isinstance(whole, tuple) and 0 <= index < len(whole):
            item: Value = whole[index]
            return item
        return None


def normalize(value: Any) -> Value:
    """An attribute value in the form conditions compare: lists become tuples; unknown types become null."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return tuple(normalize(v) for v in value)
    return None


def is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def values_equal(a: Value, b: Value) -> bool:
    """Deep equality of CATALOG.md: ints and floats by value, booleans are not numbers, null == null."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) or is_number(b):
        return is_number(a) and is_number(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b, strict=True))
    return False


def apply_op(op: CondOp, lhs: Value, rhs: Value) -> bool:
    """Evaluate `lhs OP rhs` with the semantics of CATALOG.md."""
    match op:
        case CondOp.EQ:
            return values_equal(lhs, rhs)
        case CondOp.NE:
            return not values_equal(lhs, rhs)
        case CondOp.IN | CondOp.NOT_IN:
            found = isinstance(rhs, tuple) and any(values_equal(lhs, item) for item in rhs)
            return found if op is CondOp.IN else not found
    if not (is_number(lhs) and is_number(rhs)):
        return False
    assert isinstance(lhs, int | float) and isinstance(rhs, int | float)
    match op:
        case CondOp.LT:
            return lhs < rhs
        case CondOp.LE:
            return lhs <= rhs
        case CondOp.GT:
            return lhs > rhs
        case _:
            return lhs >= rhs


def format_value(value: Value) -> str:
    """A value as a JSON literal (lists in `[a, b]` form)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return json.dumps(value)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _literal(text: str, source: str) -> Value:
    try:
        raw = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ConditionError(
            f"condition {source!r}: {text.strip()!r} is not a JSON literal ({exc})"
        ) from None
    return _check_literal(raw, source)


def _check_literal(raw: Any, source: str) -> Value:
    if isinstance(raw, str) and "\0" in raw:
        raise ConditionError(f"condition {source!r}: strings cannot hold NUL (the engine reads C strings)")
    if raw is None or isinstance(raw, bool | str):
        return raw
    if isinstance(raw, int):
        if not INT64_MIN <= raw <= INT64_MAX:
            raise ConditionError(f"condition {source!r}: integer {raw} does not fit in 64 bits")
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ConditionError(f"condition {source!r}: number {raw} is not finite")
        return raw
    if isinstance(raw, list):
        return tuple(_check_literal(item, source) for item in raw)
    raise ConditionError(
        f"condition {source!r}: a literal must be null, true, false, a number, a string or a list of those"
    )


def parse_condition(text: str) -> Condition:
    """Parse one `when` term; ConditionError (a TailorError) with the reason if it is not valid."""
    if not isinstance(text, str):
        raise ConditionError(f"condition {text!r}: must be a string")
    match = _SUBJECT_RE.match(text)
    if match is None:
        raise ConditionError(
            f"condition {text!r}: expected a subject: attr.NAME, attr.NAME[i], input.SLOT.dims, "
            "input.SLOT.dims[i], input.SLOT.rank or input.SLOT.count"
        )
    index_text: str | None
    if match.group("attr") is not None:
        subject, name, index_text = Subject.ATTR, match.group("attr"), match.group("index")
    else:
        name = match.group("slot")
        if match.group("dims") is not None:
            subject, index_text = Subject.INPUT_DIMS, match.group("dindex")
        else:
            subject = Subject.INPUT_RANK if match.group("prop") == "rank" else Subject.INPUT_COUNT
            index_text = None
    index = None if index_text is None else int(index_text)
    if index is not None and index > 2**31 - 1:
        raise ConditionError(f"condition {text!r}: index {index} is too large")
    op_match = _OP_RE.match(text, match.end())
    if op_match is None:
        rest = text[match.end() :].strip()
        raise ConditionError(
            f"condition {text!r}: expected an operator (==, !=, <, <=, >, >=, in, not in) "
            f"after {match.group(0).strip()!r}, got {rest[:20]!r}"
        )
    op = _SYMBOL_OPS[" ".join(op_match.group(1).split())]
    literal_text = text[op_match.end() :]
    if not literal_text.strip():
        raise ConditionError(f"condition {text!r}: missing the literal after {op.symbol!r}")
    value = _literal(literal_text, text)
    if op in (CondOp.IN, CondOp.NOT_IN) and not isinstance(value, tuple):
        raise ConditionError(f"condition {text!r}: {op.symbol!r} needs a list on the right")
    if op in _ORDERING and not is_number(value):
        raise ConditionError(f"condition {text!r}: {op.symbol!r} needs a number on the right")
    return Condition(text, subject, name, index, op, value)


def parse_conditions(texts: Sequence[str]) -> tuple[Condition, ...]:
    return tuple(parse_condition(text) for text in texts)


def all_hold(conditions: Sequence[Condition], ctx: EvalContext) -> bool:
    return all(c.holds(ctx) for c in conditions)
