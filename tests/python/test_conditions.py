"""The condition language of engine/CATALOG.md: parsing, evaluation, and property tests of its semantics."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tailor.conditions import (
    Condition,
    ConditionError,
    CondOp,
    EvalContext,
    Subject,
    Value,
    apply_op,
    format_value,
    parse_condition,
    values_equal,
)
from tailor.errors import TailorError

CTX = EvalContext(
    attrs={
        "strides": [1, 1],
        "groups": 1,
        "alpha": 0.5,
        "six": 6.0,
        "act_type": "relu6",
        "with_act": True,
        "flags": [True, False],
        "names": ["a", "b"],
        "empty": [],
        "nothing": None,
    },
    inputs={"Filter": ("w",), "Input": ("x",), "X": ("a", "b", "c"), "Empty": ()},
    param_dims={"w": (8, 1, 3, 3), "scalar_param": ()},
)


def holds(text: str, ctx: EvalContext = CTX) -> bool:
    return parse_condition(text).holds(ctx)


# --- parsing -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "subject", "name", "index", "op", "value"),
    [
        ("attr.groups == 1", Subject.ATTR, "groups", None, CondOp.EQ, 1),
        ("attr.strides[1]!=2", Subject.ATTR, "strides", 1, CondOp.NE, 2),
        ("  attr.x  <  -1.5e3 ", Subject.ATTR, "x", None, CondOp.LT, -1500.0),
        ("attr.x <= 0", Subject.ATTR, "x", None, CondOp.LE, 0),
        ("attr.x > 0", Subject.ATTR, "x", None, CondOp.GT, 0),
        ("attr.x >= 0", Subject.ATTR, "x", None, CondOp.GE, 0),
        ('attr.act_type in ["relu", "relu6"]', Subject.ATTR, "act_type", None, CondOp.IN, ("relu", "relu6")),
        ("attr.act_type not   in [null]", Subject.ATTR, "act_type", None, CondOp.NOT_IN, (None,)),
        ("input.Filter.dims == [8, 1, 3, 3]", Subject.INPUT_DIMS, "Filter", None, CondOp.EQ, (8, 1, 3, 3)),
        ("input.Filter.dims[ 2 ] == 3", Subject.INPUT_DIMS, "Filter", 2, CondOp.EQ, 3),
        ("input.Filter.rank == 4", Subject.INPUT_RANK, "Filter", None, CondOp.EQ, 4),
        ("input.X.count >= 2", Subject.INPUT_COUNT, "X", None, CondOp.GE, 2),
        ("attr.b == true", Subject.ATTR, "b", None, CondOp.EQ, True),
        ("attr.b == false", Subject.ATTR, "b", None, CondOp.EQ, False),
        ("attr.b == null", Subject.ATTR, "b", None, CondOp.EQ, None),
        ("attr.b == []", Subject.ATTR, "b", None, CondOp.EQ, ()),
        ('attr.s == "a b\\"c"', Subject.ATTR, "s", None, CondOp.EQ, 'a b"c'),
        ("attr.index == 1", Subject.ATTR, "index", None, CondOp.EQ, 1),  # names may start like keywords
        ("attr.inner in [1]", Subject.ATTR, "inner", None, CondOp.IN, (1,)),
        ("attr.strides in [[1, 1], [2, 2]]", Subject.ATTR, "strides", None, CondOp.IN, ((1, 1), (2, 2))),
        ("attr.x == [[], [null, [true]]]", Subject.ATTR, "x", None, CondOp.EQ, ((), (None, (True,)))),
    ],
)
def test_parse(text: str, subject: Subject, name: str, index: int | None, op: CondOp, value: Value) -> None:
    cond = parse_condition(text)
    assert (cond.subject, cond.name, cond.index, cond.op) == (subject, name, index, op)
    assert values_equal(cond.value, value)
    assert type(cond.value) is type(value)
    assert cond.text == text
    # the canonical form parses back to the same term
    again = parse_condition(str(cond))
    assert (again.subject, again.name, again.index, again.op, again.value) == (
        cond.subject,
        cond.name,
        cond.index,
        cond.op,
        cond.value,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a subject"),
        ("groups == 1", "expected a subject"),
        ("attr. == 1", "expected a subject"),
        ("input.Filter == 1", "expected a subject"),
        ("input.Filter.shape == 1", "expected a subject"),
        ("input.Filter.rank[0] == 1", "expected an operator"),
        ("attr.x[-1] == 1", "expected an operator"),
        ("attr.x = 1", "expected an operator"),
        ("attr.x === 1", "not a JSON literal"),
        ("attr.x ~ 1", "expected an operator"),
        ("attr.x == ", "missing the literal"),
        ("attr.x == 1 2", "not a JSON literal"),
        ("attr.x == relu", "not a JSON literal"),
        ("attr.x == 'relu'", "not a JSON literal"),
        ("attr.x == NaN", "not a JSON literal"),
        ("attr.x == Infinity", "not a JSON literal"),
        ("attr.x == 1e999", "not finite"),
        ("attr.x == 9223372036854775808", "64 bits"),
        ("attr.x == {}", "a literal must be"),
        ('attr.x == {"a": 1}', "a literal must be"),
        ("attr.x in 1", "needs a list"),
        ("attr.x not in null", "needs a list"),
        ("attr.x < [1]", "needs a number"),
        ('attr.x >= "a"', "needs a number"),
        ("attr.x <= true", "needs a number"),
        ("attr.x > null", "needs a number"),
        ("attr.x[99999999999] == 1", "too large"),
        ("attr.xin [1]", "expected an operator"),
        ('attr.x == "a\\u0000b"', "NUL"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message) as info:
        parse_condition(text)
    assert isinstance(info.value, TailorError)
    assert "\n" not in str(info.value)


def test_int64_bounds_parse() -> None:
    assert parse_condition("attr.x == 9223372036854775807").value == 2**63 - 1
    assert parse_condition("attr.x == -9223372036854775808").value == -(2**63)


# --- evaluation ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("attr.strides == [1, 1]", True),
        ("attr.strides == [1.0, 1]", True),  # ints and floats compare by value, also inside lists
        ("attr.strides == [1, 1, 1]", False),
        ("attr.strides != [2, 2]", True),
        ("attr.strides[0] == 1", True),
        ("attr.strides[2] == null", True),  # missing index -> null
        ("attr.strides[2] != 1", True),
        ("attr.groups == 1.0", True),
        ("attr.groups == true", False),  # booleans are not numbers
        ("attr.with_act == 1", False),
        ("attr.with_act == true", True),
        ("attr.with_act > 0", False),  # ordering only between numbers
        ("attr.flags == [true, false]", True),
        ("attr.strides in [[1, 1], [2, 2]]", True),
        ("attr.strides in [[1.0, 1.0]]", True),
        ("attr.strides in [[2, 2], [1]]", False),
        ("attr.strides not in [[2, 2]]", True),
        ("attr.flags == [1, 0]", False),
        ("attr.six == 6", True),
        ("attr.six >= 6", True),
        ("attr.six > 6", False),
        ("attr.alpha < 1", True),
        ("attr.alpha in [0.5, 1]", True),
        ("attr.alpha not in [0.5]", False),
        ('attr.act_type == "relu6"', True),
        ('attr.act_type in ["relu", "relu6"]', True),
        ('attr.act_type not in ["relu", "relu6"]', False),
        ('attr.act_type[0] == "r"', False),  # strings are not indexable: null
        ("attr.act_type[0] == null", True),
        ('attr.names[1] == "b"', True),
        ("attr.empty == []", True),
        ("attr.empty[0] == null", True),
        ("attr.missing == null", True),
        ("attr.missing != null", False),
        ("attr.missing != 1", True),
        ("attr.missing == 0", False),
        ("attr.missing < 1", False),
        ("attr.missing >= 1", False),
        ("attr.missing in [null]", True),
        ('attr.missing in [0, false, ""]', False),
        ("attr.missing not in [1]", True),
        ("attr.nothing == null", True),  # VAR attributes decode to None: null
        ("input.Filter.dims == [8, 1, 3, 3]", True),
        ("input.Filter.dims[2] == 3", True),
        ("input.Filter.dims[4] == null", True),
        ("input.Filter.rank == 4", True),
        ("input.Filter.count == 1", True),
        ("input.Input.dims == null", True),  # not a parameter: null
        ("input.Input.rank == null", True),
        ("input.Input.dims[0] == null", True),
        ("input.Input.count == 1", True),
        ("input.X.count == 3", True),
        ("input.Empty.count == 0", True),
        ("input.Empty.dims == null", True),
        ("input.Nope.count == 0", True),  # absent slot: count 0 (OpContext::input_count)
        ("input.Nope.rank == null", True),
        ("input.Nope.dims[0] == null", True),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_rank_zero_parameter() -> None:
    ctx = EvalContext(attrs={}, inputs={"S": ("scalar_param",)}, param_dims={"scalar_param": ()})
    assert holds("input.S.rank == 0", ctx)
    assert holds("input.S.dims == []", ctx)
    assert holds("input.S.dims[0] == null", ctx)


def test_for_op_uses_first_argument_and_param_dims() -> None:
    from tailor.model import Op

    op = Op(0, "concat", {"X": ("p", "q")}, {"Out": ("o",)}, {"axis": 1}, None)
    ctx = EvalContext.for_op(op, {"p": (2, 3), "q": (4, 5)})
    assert holds("input.X.dims == [2, 3]", ctx)
    assert holds("input.X.count == 2", ctx)
    assert holds("attr.axis == 1", ctx)


def test_lookup_reports_values() -> None:
    assert parse_condition("input.Filter.dims[2] == 1").lookup(CTX) == 3
    assert parse_condition("attr.strides == [1, 1]").lookup(CTX) == (1, 1)
    assert parse_condition("attr.missing == 1").lookup(CTX) is None


# --- properties ----------------------------------------------------------------------------------------
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3).map(tuple), max_leaves=8)
numbers = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(allow_nan=False, allow_infinity=False)
)


@given(values)
def test_equality_is_reflexive(a: Value) -> None:
    assert values_equal(a, a)


@given(values, values)
def test_equality_is_symmetric(a: Value, b: Value) -> None:
    assert values_equal(a, b) == values_equal(b, a)


@given(values, values)
def test_ne_is_not_eq(a: Value, b: Value) -> None:
    assert apply_op(CondOp.NE, a, b) == (not apply_op(CondOp.EQ, a, b))


@given(values, st.lists(values, max_size=4).map(tuple))  # lists may nest
def test_in_is_membership_by_eq(a: Value, items: tuple[Value, ...]) -> None:
    assert apply_op(CondOp.IN, a, items) == any(values_equal(a, x) for x in items)
    assert apply_op(CondOp.NOT_IN, a, items) == (not apply_op(CondOp.IN, a, items))


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_ints_and_floats_compare_by_value(i: int) -> None:
    assert values_equal(i, float(i))
    assert values_equal((i, 1), (float(i), 1.0))
    assert apply_op(CondOp.LE, i, float(i)) and apply_op(CondOp.GE, float(i), i)


@given(st.booleans(), numbers)
def test_booleans_are_not_numbers(b: bool, n: int | float) -> None:
    assert not values_equal(b, n)
    assert not values_equal((b,), (n,))
    for op in (CondOp.LT, CondOp.LE, CondOp.GT, CondOp.GE):
        assert not apply_op(op, b, n)
        assert not apply_op(op, n, b)


@given(numbers, numbers)
def test_ordering_of_numbers_is_numeric(a: int | float, b: int | float) -> None:
    assert apply_op(CondOp.LT, a, b) == (a < b)
    assert apply_op(CondOp.LE, a, b) == (a <= b)
    assert apply_op(CondOp.GT, a, b) == (a > b)
    assert apply_op(CondOp.GE, a, b) == (a >= b)


@given(values, numbers)
def test_ordering_needs_numbers(a: Value, n: int | float) -> None:
    is_num = isinstance(a, int | float) and not isinstance(a, bool)
    if not is_num:
        for op in (CondOp.LT, CondOp.LE, CondOp.GT, CondOp.GE):
            assert not apply_op(op, a, n)


@given(values)
def test_null_equals_only_null(a: Value) -> None:
    assert values_equal(None, a) == (a is None)


def test_nan_attribute_is_never_equal_or_ordered() -> None:
    nan = math.nan
    assert not values_equal(nan, nan)
    assert apply_op(CondOp.NE, nan, 1.0)
    assert not any(apply_op(op, nan, 1) for op in (CondOp.LT, CondOp.LE, CondOp.GT, CondOp.GE))


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


def _has_nul(v: Value) -> bool:
    if isinstance(v, str):
        return "\0" in v
    return isinstance(v, tuple) and any(_has_nul(x) for x in v)


literals = values.filter(lambda v: not _has_nul(v))


@st.composite
def conditions(draw: st.DrawFn) -> Condition:
    subject = draw(st.sampled_from(list(Subject)))
    name = draw(names)
    index = None
    if subject in (Subject.ATTR, Subject.INPUT_DIMS):
        index = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=6)))
    op = draw(st.sampled_from(list(CondOp)))
    if op in (CondOp.IN, CondOp.NOT_IN):
        value: Value = draw(st.lists(literals, max_size=4).map(tuple))
    elif op in (CondOp.EQ, CondOp.NE):
        value = draw(literals)
    else:
        value = draw(numbers)
    return Condition("", subject, name, index, op, value)


@given(conditions())
def test_canonical_text_round_trips(cond: Condition) -> None:
    parsed = parse_condition(str(cond))
    assert (parsed.subject, parsed.name, parsed.index, parsed.op) == (
        cond.subject,
        cond.name,
        cond.index,
        cond.op,
    )
    assert values_equal(parsed.value, cond.value)
    assert format_value(parsed.value) == format_value(cond.value)


attr_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**31), max_value=2**31),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=3),
    st.lists(st.integers(min_value=-4, max_value=4), max_size=4),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3),
    st.lists(st.booleans(), max_size=3),
)


@given(conditions(), attr_values, st.lists(st.integers(min_value=0, max_value=9), max_size=5), st.booleans())
def test_holds_is_apply_op_on_the_subject_value(
    cond: Condition, attr: object, dims: list[int], is_param: bool
) -> None:
    ctx = EvalContext(
        attrs={cond.name: attr},
        inputs={cond.name: ("v",)},
        param_dims={"v": tuple(dims)} if is_param else {},
    )
    lhs = cond.lookup(ctx)
    assert cond.holds(ctx) == apply_op(cond.op, lhs, cond.value)
    if cond.subject is Subject.INPUT_COUNT:
        assert lhs == 1
    elif cond.subject in (Subject.INPUT_DIMS, Subject.INPUT_RANK) and not is_param:
        assert lhs is None
