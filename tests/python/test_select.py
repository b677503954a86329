"""Selection (engine/CATALOG.md "Matching an op to a unit") on hand-made models, the shared mobilenets and the
op fixtures, against the test catalog in data/ and the real engine catalog."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tailor.abi import ABIS, Abi, resolve_abi
from tailor.catalog import ActivationRule, Catalog, load_default_catalog
from tailor.errors import TailorError
from tailor.explain import render_explain, render_missing
from tailor.model import KernelKey, Model, Op, ParamInfo, Var
from tailor.nb.reader import load_model
from tailor.select import Selection, full_selection, select_units

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "models"
MOBILENET_V1 = SHARED / "mobilenet_v1_x0_25" / "mobilenet_v1_x0_25_arm.nb"
MOBILENET_V2 = SHARED / "mobilenet_v2_x0_5" / "mobilenet_v2_x0_5_arm.nb"
MOBILENET_V1_X86 = SHARED / "mobilenet_v1_x0_25" / "mobilenet_v1_x0_25_x86.nb"
FIXTURES = REPO / "tests" / "fixtures" / "ops"

AARCH64 = resolve_abi("linux-aarch64")
X86_64 = resolve_abi("linux-x86_64")

ARM, HOST, X86, OPENCL = 4, 1, 2, 5
FLOAT, ANY, INT8 = 1, 4, 2


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(DATA / "catalog_mobilenet.toml", check_sources=False)


class Builder:
    """A tiny in-memory model: ops with keys, attrs and parameter inputs."""

    def __init__(self, path: str = "m.nb") -> None:
        self.path = path
        self.ops: list[Op] = []
        self.vars: dict[str, Var] = {}
        self.params: list[ParamInfo] = []

    def param(self, name: str, dims: tuple[int, ...], dtype: int = 5, declared: int = 5) -> str:
        self.vars[name] = Var(name, 7, declared, dims, True)
        self.params.append(ParamInfo(name, dims, dtype, 0, 0))
        return name

    def op(self, op_type: str, target: int = ARM, precision: int = FLOAT, **slots_and_attrs: Any) -> Op:
        inputs = {
            k: tuple(v) if isinstance(v, list | tuple) else (v,)
            for k, v in slots_and_attrs.items()
            if k[0].isupper()
        }
        attrs = {k: v for k, v in slots_and_attrs.items() if not k[0].isupper()}
        op = Op(
            len(self.ops),
            op_type,
            inputs,
            {"Out": ("o",)},
            attrs,
            KernelKey(op_type, "def", target, precision, 1),
        )
        self.ops.append(op)
        return op

    def io(self) -> Builder:
        self.ops.insert(
            0,
            Op(
                0,
                "feed",
                {"X": ("feed",)},
                {"Out": ("x",)},
                {"col": 0},
                KernelKey("feed", "def", HOST, ANY, 2),
            ),
        )
        self.ops = [Op(i, o.type, o.inputs, o.outputs, o.attrs, o.kernel) for i, o in enumerate(self.ops)]
        self.ops.append(
            Op(
                len(self.ops),
                "fetch",
                {"X": ("o",)},
                {"Out": ("fetch",)},
                {"col": 0},
                KernelKey("fetch", "def", HOST, ANY, 2),
            )
        )
        return self

    def model(self) -> Model:
        return Model(Path(self.path), "0" * 64, 2, "v2.13-rc", None, 0, self.vars, self.ops, [], [], 0)


def select(builders: Sequence[Builder], catalog: Catalog, abi_name: str = "linux-aarch64") -> Selection:
    models = [b.model() for b in builders]
    return select_units(models, catalog, resolve_abi(abi_name), params={b.path: b.params for b in builders})


def conv(b: Builder, k: int, stride: int, groups: int = 1, op_type: str = "conv2d", **attrs: Any) -> Op:
    w = b.param(f"w{len(b.ops)}", (8, 8 // groups, k, k))
    attrs.setdefault("with_act", False)
    return b.op(
        op_type, Input="x", Filter=w, strides=[stride, stride], groups=groups, dilations=[1, 1], **attrs
    )


# --- hand-made models ---------------------------------------------------------------------------------------
def test_core_always_and_feed_fetch(catalog: Catalog) -> None:
    sel = select([Builder().io()], catalog)
    assert sel.unit_names == ("core",)
    reasons = sel.get("core").reasons  # type: ignore[union-attr]
    assert reasons[0].kind == "core"
    assert [(r.op_type, r.op_index) for r in reasons[1:]] == [("feed", 0), ("fetch", 1)]
    assert sel.ok and not sel.missing


def test_condition_picks_the_variant_and_isa(catalog: Catalog) -> None:
    b = Builder()
    conv(b, 1, 1)  # 1x1 s1: the NEON gemm1x1 on ARM
    conv(b, 3, 2)  # 3x3 s2: only the reference conv
    sel = select([b], catalog)
    assert "conv2d.f32.gemm1x1.neon" in sel and "conv2d.f32.ref" in sel
    why = sel.get("conv2d.f32.gemm1x1.neon").reasons[0]  # type: ignore[union-attr]
    assert (why.kind, why.op_index, why.op_type, why.key) == (
        "op",
        0,
        "conv2d",
        "conv2d/def/kARM/kFloat/kNCHW",
    )
    assert dict(why.values) == {
        "input.Filter.dims[2]": 1,
        "input.Filter.dims[3]": 1,
        "attr.strides": (1, 1),
        "attr.groups": 1,
        "attr.with_act": False,
        "attr.act_type": None,
    }
    assert [r.op_index for r in sel.get("conv2d.f32.ref").reasons] == [1]  # type: ignore[union-attr]
    # requires closed over transitively, with who required it
    assert "f32-gemm.neon" in sel and "f32-gemm.ref" in sel
    assert {r.unit for r in sel.get("f32-gemm.ref").reasons} == {"f32-gemm.neon", "conv2d.f32.ref"}  # type: ignore[union-attr]
    # no unrelated units
    assert not {
        "pool2d.f32.max.ref",
        "depthwise_conv2d.f32.3x3s1.neon",
        "relu.f32.epilogue",
        "dequant.ref",
    } & set(sel.unit_names)
    # same model on x86: no NEON; the AVX2 conv wins and brings the `any` fallback
    x86 = select([b], catalog, "linux-x86_64")
    assert "conv2d.f32.gemm1x1.neon" not in x86 and "f32-gemm.neon" not in x86
    assert "conv2d.f32.gemm.avx2" in x86 and "f32-gemm.avx2" in x86
    fallback = [r for r in x86.get("conv2d.f32.ref").reasons if r.kind == "fallback"]  # type: ignore[union-attr]
    assert [(r.op_index, r.unit) for r in fallback] == [
        (0, "conv2d.f32.gemm.avx2"),
        (1, "conv2d.f32.gemm.avx2"),
    ]
    # --no-isa-fallbacks: the AVX2 units alone
    lean = select_units(
        [b.model()], catalog, resolve_abi("linux-x86_64"), params={b.path: b.params}, isa_fallbacks=False
    )
    assert "conv2d.f32.gemm.avx2" in lean and "conv2d.f32.ref" not in lean
    assert not [r for u in lean.units for r in u.reasons if r.kind == "fallback"]
    assert set(lean.unit_names) < set(x86.unit_names)
    assert lean.digest() != x86.digest()


def test_priority_then_catalog_order(catalog: Catalog, tmp_path: Path) -> None:
    text = (DATA / "catalog_mobilenet.toml").read_text()
    # a second reference conv with a higher priority wins over conv2d.f32.ref; with equal priority, order
    # decides
    extra = (
        '\n[[unit]]\nname = "conv2d.f32.other"\nkind = "kernel"\nentry = "a::b"\npriority = PRIO\n'
        '  [[unit.serves]]\n  op = "conv2d"\n  precisions = ["kFloat"]\n'
    )
    b = Builder()
    conv(b, 3, 2)
    for prio, winner in ((1, "conv2d.f32.other"), (0, "conv2d.f32.ref"), (-1, "conv2d.f32.ref")):
        path = tmp_path / f"c{prio}.toml"
        path.write_text(text + extra.replace("PRIO", str(prio)))
        sel = select([b], Catalog.load(path, check_sources=False))
        kernels = [u.name for u in sel.units if u.kind == "kernel"]
        assert kernels == [winner]


def test_isa_rank_beats_priority(tmp_path: Path) -> None:
    text = (DATA / "catalog_mobilenet.toml").read_text().replace("priority = 10", "priority = -100")
    path = tmp_path / "c.toml"
    path.write_text(text)
    b = Builder()
    conv(b, 1, 1)
    sel = select([b], Catalog.load(path, check_sources=False))
    assert [u.name for u in sel.units if u.kind == "kernel"] == ["conv2d.f32.gemm1x1.neon"]


def test_fused_activation_brings_its_epilogue(catalog: Catalog) -> None:
    b = Builder()
    conv(b, 3, 2, with_act=True, act_type="relu6")
    conv(b, 3, 2, with_act=False, act_type="relu")  # disabled: no epilogue
    b.op(
        "fc", Input="x", W=b.param("fcw", (8, 4)), in_num_col_dims=1, activation_type="relu"
    )  # no enabled_by
    b.op("elementwise_add", X="x", Y="y", axis=-1)  # act attr absent: none
    sel = select([b], catalog)
    relu6 = sel.get("relu6.f32.epilogue")
    assert relu6 is not None
    assert [(r.kind, r.op_index, r.unit) for r in relu6.reasons] == [("activation", 0, "conv2d.f32.ref")]
    assert dict(relu6.reasons[0].values)["attr.act_type"] == "relu6"
    relu = [u for u in sel.units if u.kind == "epilogue" and u.name != "relu6.f32.epilogue"]
    # relu for the fc: the NEON relu epilogue outranks the portable one on ARM
    assert [u.name for u in relu] == ["relu.f32.neon"]
    assert [(r.op_index, r.unit) for r in relu[0].reasons] == [(2, "fc.f32.ref")]
    x86 = select([b], catalog, "linux-x86_64")
    assert "relu.f32.epilogue" in x86 and "relu.f32.neon" not in x86


def test_missing_epilogue_is_missing(catalog: Catalog) -> None:
    b = Builder()
    conv(b, 3, 2, with_act=True, act_type="hard_swish")
    conv(b, 3, 2, with_act=True, act_type="identity")
    conv(b, 3, 2, with_act=True, act_type="")
    sel = select([b], catalog)
    assert [(m.op_index, m.op_type) for m in sel.missing] == [(0, "conv2d")]
    assert "no epilogue unit implements the fused activation 'hard_swish'" in sel.missing[0].reason
    assert "conv2d.f32.ref" in sel.missing[0].reason


def legacy_conv(b: Builder, k: int = 3, stride: int = 2, op_type: str = "conv2d", **attrs: Any) -> Op:
    """A conv as older models write it: no with_act/act_type unless given."""
    w = b.param(f"w{len(b.ops)}", (8, 8, k, k))
    return b.op(op_type, Input="x", Filter=w, strides=[stride, stride], groups=1, dilations=[1, 1], **attrs)


def test_legacy_fuse_relu_brings_relu(catalog: Catalog) -> None:
    # conv2d.f32.ref: activation = [{ attr = "act_type", enabled_by = "with_act" },
    #                               { fixed = "relu", enabled_by = "fuse_relu" }], as conv2d.cc reads them
    b = Builder()
    legacy_conv(b, fuse_relu=True)  # 0: relu
    legacy_conv(b, with_act=True, act_type="relu6", fuse_relu=True)  # 1: with_act decides: relu6
    legacy_conv(b, fuse_relu=False)  # 2: none
    legacy_conv(b, with_act=False, fuse_relu=1)  # 3: relu (a nonzero int is true: OpDesc::get_bool)
    legacy_conv(b, with_act=True, act_type="", fuse_relu=True)  # 4: with_act decides: identity
    sel = select([b], catalog)
    assert sel.ok
    relu = sel.get("relu.f32.neon")  # the NEON relu epilogue outranks the portable one on ARM
    assert relu is not None and "relu.f32.epilogue" not in sel
    assert [(r.kind, r.op_index, r.unit) for r in relu.reasons] == [
        ("activation", 0, "conv2d.f32.ref"),
        ("activation", 3, "conv2d.f32.ref"),
    ]
    # why: the attributes the rules looked at, up to the one that applied
    looked_at = [dict(r.values) for r in relu.reasons]
    assert looked_at == [
        {"attr.with_act": None, "attr.act_type": None, "attr.fuse_relu": True},
        {"attr.with_act": False, "attr.act_type": None, "attr.fuse_relu": 1},
    ]
    relu6 = sel.get("relu6.f32.epilogue")
    assert relu6 is not None and [r.op_index for r in relu6.reasons] == [1]
    assert dict(relu6.reasons[0].values) == {"attr.with_act": True, "attr.act_type": "relu6"}
    assert [u.name for u in sel.units if u.kind == "epilogue"] == ["relu6.f32.epilogue", "relu.f32.neon"]
    text = render_explain(sel, width=200)
    assert (
        "activation of conv2d.f32.ref: m.nb conv2d #0 (conv2d/def/kARM/kFloat/kNCHW) "
        "[attr.with_act=null, attr.act_type=null, attr.fuse_relu=true]" in text
    )


def test_every_missing_op_is_listed(catalog: Catalog) -> None:
    b = Builder()
    b.op("conv2d", target=OPENCL, Input="x", Filter=b.param("w", (8, 8, 3, 3)), groups=1)  # not a CPU target
    b.op("softmax", precision=INT8, X="x", axis=-1, name="other")  # served precision, conditions fail
    b.op("softmax", precision=5, X="x", axis=-1)  # kFP16: not served
    b.op("pool2d", pooling_type="lp", ksize=[2, 2])  # no variant matches
    b.op("gelu", X="x", approximate=False)  # nothing serves it
    b.op(
        "depthwise_conv2d",
        target=X86,
        Input="x",
        Filter=b.param("dw", (8, 1, 3, 3)),
        strides=[1, 1],
        groups=8,
    )
    b.op("conv2d", Input="x", Filter=b.param("w2", (8, 8, 3, 3)), strides=[2, 2], groups=1, with_act=True,
         act_type="gelu")  # fmt: skip
    sel = select([b.io()], catalog)
    assert not sel.ok
    missing = {m.op_index or 0: m for m in sel.missing}
    assert sorted(missing) == [1, 2, 3, 4, 5, 7]
    assert "target kOpenCL is not a CPU target" in missing[1].reason
    assert "no variant of softmax/kInt8 matches" in missing[2].reason
    assert 'softmax.f32.ref needs attr.name == "q' in missing[2].reason
    assert (
        "no unit serves softmax with precision kFP16 (served precisions: kFloat, kInt8)" in missing[3].reason
    )
    assert 'pool2d.f32.max.ref needs attr.pooling_type == "max" (is "lp")' in missing[4].reason
    assert dict(missing[4].attrs)["attr.pooling_type"] == "lp"
    assert missing[5].reason == "no unit serves gelu with precision kFloat"
    assert dict(missing[5].attrs) == {"attr.approximate": False}
    assert "'gelu'" in missing[7].reason
    # the x86 depthwise op (a CPU target) is served like any other
    assert [r.op_index for r in sel.get("conv2d.f32.ref").reasons] == [6, 7]  # type: ignore[union-attr]
    text = render_missing(sel)
    assert text.count("\n") == 6 and "m.nb op #5 gelu" in text
    data = sel.to_json()
    assert data["ok"] is False and len(data["missing"]) == 6
    json.dumps(data)


def test_unbuildable_isa_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        'schema = 1\n[[unit]]\nname = "gelu.neon"\nkind = "kernel"\nisa = "neon"\nentry = "a::b"\n'
        '  [[unit.serves]]\n  op = "gelu"\n  precisions = ["kFloat"]\n'
    )
    b = Builder()
    b.op("gelu", X="x")
    sel = select([b], Catalog.load(path, check_sources=False), "linux-x86_64")
    assert "the units serving gelu/kFloat (gelu.neon) are not built for linux-x86_64" in sel.missing[0].reason


def test_avx2_without_fallback_warns(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        'schema = 1\n[[unit]]\nname = "gelu.avx2"\nkind = "kernel"\nisa = "avx2"\nentry = "a::b"\n'
        '  [[unit.serves]]\n  op = "gelu"\n  precisions = ["kFloat"]\n'
    )
    b = Builder()
    b.op("gelu", X="x")
    sel = select([b], Catalog.load(path, check_sources=False), "linux-x86_64")
    assert sel.unit_names == ("gelu.avx2",) and sel.ok
    assert len(sel.warnings) == 1 and "no 'any' unit matches as the fallback" in sel.warnings[0]


def test_weight_quantized_model_needs_dequant(catalog: Catalog, tmp_path: Path) -> None:
    b = Builder()
    b.param("qw", (8, 8, 1, 1), dtype=21, declared=5)  # INT8 stored, FP32 declared
    b.param("iw", (8,), dtype=21, declared=21)  # a genuine int8 tensor: not weight-quantized
    b.op(
        "conv2d",
        Input="x",
        Filter="qw",
        strides=[1, 1],
        groups=1,
        quantization_type="post_weight_channel_wise_abs_max",
        quantize_weight_bits=8,
    )
    sel = select([b], catalog)
    dq = sel.get("dequant.ref")
    assert dq is not None and dq.reasons[0].kind == "dequant"
    assert dict(dq.reasons[0].values) == {"qw": "INT8"}
    plain = Builder("p.nb")
    plain.param("iw", (8,), dtype=21, declared=21)
    assert "dequant.ref" not in select([plain], catalog)
    # a fully int8 model (PTQ/QAT): its int8 conv reads the INT8 weights as they are, as the engine does
    full_int8 = Builder("q.nb")
    full_int8.param("qw", (8, 8, 1, 1), dtype=21, declared=5)
    full_int8.op("conv2d", Input="x", Filter="qw", quantization_type="post_abs_max", enable_int8=True)
    assert "dequant.ref" not in select([full_int8], catalog)
    # a catalog without a dequant unit: a missing item for the model
    path = tmp_path / "c.toml"
    path.write_text((DATA / "catalog_mobilenet.toml").read_text().split('[[unit]]\nname = "dequant.ref"')[0])
    sel2 = select([b], Catalog.load(path, check_sources=False))
    assert [(m.model, m.op_index) for m in sel2.missing] == [("m.nb", None)]
    assert "weight-quantized" in sel2.missing[0].reason


def test_full_selection(catalog: Catalog) -> None:
    arm = full_selection(catalog, AARCH64)
    assert arm.full and arm.ok
    assert all(catalog.unit(n).isa in ("neon", "any") for n in arm.unit_names)
    assert "conv2d.f32.gemm1x1.neon" in arm and "conv2d.f32.gemm.avx2" not in arm
    x86 = full_selection(catalog, X86_64)
    assert "conv2d.f32.gemm.avx2" in x86 and "f32-gemm.avx2" in x86 and "relu.f32.neon" not in x86
    assert len(arm.unit_names) == len(catalog.units) - 2  # all but the two avx2 units
    assert len(x86.unit_names) == len(catalog.units) - 5  # all but the five neon units
    assert set(arm.unit_names) | set(x86.unit_names) == {u.name for u in catalog}
    assert list(arm.unit_names) == sorted(arm.unit_names, key=catalog.order)  # catalog order


def test_digest_is_stable(catalog: Catalog) -> None:
    a = Builder("a.nb")
    conv(a, 1, 1)
    b = Builder("b.nb")
    conv(b, 1, 1)
    s1 = select([a], catalog)
    s2 = select([b], catalog)
    assert s1.digest() == s2.digest()  # models do not matter, only the units
    assert s1.digest() == select([a, b], catalog).digest()
    assert s1.digest() != select([a], catalog, "android-arm64-v8a").digest()
    c = Builder()
    conv(c, 3, 2)
    assert s1.digest() != select([c], catalog).digest()
    assert len(s1.digest()) == 64


def test_explain_renders(catalog: Catalog) -> None:
    b = Builder()
    for _ in range(15):
        conv(b, 3, 2, with_act=True, act_type="relu")
    text = render_explain(select([b.io()], catalog), width=140)
    assert "conv2d.f32.ref" in text and "... (15 ops)" in text
    assert "activation of conv2d.f32.ref" in text


# --- real models --------------------------------------------------------------------------------------------
def need(path: Path) -> Model:
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return load_model(path)


def test_mobilenet_v1_arm_on_aarch64(catalog: Catalog) -> None:
    model = need(MOBILENET_V1)
    sel = select_units([model], catalog, AARCH64)
    assert sel.ok, render_missing(sel)
    assert set(sel.unit_names) == {
        "core",
        "f32-gemm.ref",
        "f32-gemm.neon",
        "relu.f32.neon",  # the fused relu of every conv
        "conv2d.f32.ref",  # the first conv: 3x3 stride 2
        "conv2d.f32.gemm1x1.neon",  # the pointwise convs
        "depthwise_conv2d.f32.3x3s1.neon",
        "depthwise_conv2d.f32.3x3s2.neon",
        "pool2d.f32.avg.ref",  # only the pooling actually used
        "fc.f32.ref",
    }
    ref = sel.get("conv2d.f32.ref")
    assert [r.op_index for r in ref.reasons if r.kind == "op"] == [1]  # type: ignore[union-attr]
    pw = sel.get("conv2d.f32.gemm1x1.neon")
    assert len([r for r in pw.reasons if r.kind == "op"]) == 13  # type: ignore[union-attr]
    dw = [
        r
        for n in ("depthwise_conv2d.f32.3x3s1.neon", "depthwise_conv2d.f32.3x3s2.neon")
        for r in sel.get(n).reasons  # type: ignore[union-attr]
    ]
    assert len(dw) == 13
    assert all(dict(r.values)["input.Filter.dims[2]"] == 3 for r in dw)


def test_mobilenet_v1_x86_on_x86_64(catalog: Catalog) -> None:
    model = need(MOBILENET_V1_X86)
    sel = select_units([model], catalog, X86_64)
    # the x86 file ends in flatten_contiguous_range + matmul_v2 (no fc fusion), which the test catalog lacks
    assert sorted(m.op_type or "" for m in sel.missing) == ["flatten_contiguous_range", "matmul_v2"]
    assert "conv2d.f32.gemm.avx2" in sel and "conv2d.f32.ref" in sel  # avx2 + its fallback
    assert not [n for n in sel.unit_names if "neon" in n]


def test_two_models_and_missing_ops(catalog: Catalog) -> None:
    v1 = need(MOBILENET_V1)
    v2 = need(MOBILENET_V2)
    sel = select_units([v1, v2], catalog, AARCH64)
    # mobilenet_v2 needs dropout and flatten_contiguous_range, which the test catalog lacks: all listed
    missing_types = sorted({m.op_type for m in sel.missing if m.op_type})
    assert missing_types == ["dropout", "flatten_contiguous_range"]
    assert all(m.model == str(v2.path) for m in sel.missing)
    assert "elementwise_add.f32.ref" in sel
    # reasons name the model each op came from
    core = sel.get("core")
    assert {r.model for r in core.reasons if r.kind == "op"} == {str(v1.path), str(v2.path)}  # type: ignore[union-attr]


# --- the real engine catalog --------------------------------------------------------------------------------
@functools.cache
def _real_catalog() -> Catalog | str:
    try:
        catalog, _ = load_default_catalog()
    except TailorError as exc:
        return f"no valid engine catalog yet: {exc}"
    return catalog if catalog.units else "the engine catalog is empty"


def real_catalog() -> Catalog:
    catalog = _real_catalog()
    if isinstance(catalog, str):
        pytest.skip(catalog)
    return catalog


def fixture_models() -> list[Path]:
    return sorted(FIXTURES.glob("*/model_arm.nb")) if FIXTURES.is_dir() else []


def test_real_catalog_mobilenets() -> None:
    catalog = real_catalog()
    model = need(MOBILENET_V1)
    sel = select_units([model], catalog, AARCH64)
    op_types = {op.type for op in model.ops}
    for unit in sel.units:
        served = {s.op for s in catalog.unit(unit.name).serves}
        if unit.kind == "kernel":
            assert served & op_types, f"{unit.name} serves nothing mobilenet_v1 has"
    pools = [u.name for u in sel.units if any(s.op == "pool2d" for s in catalog.unit(u.name).serves)]
    assert len(pools) <= 1, pools  # only the avg pooling it uses
    # everything missing is a real op of the model, listed per instance
    for m in sel.missing:
        assert m.op_type is None or m.op_type in op_types
    for abi in ABIS:
        full = full_selection(catalog, abi)
        assert all(catalog.unit(n).isa in abi.isas for n in full.unit_names)


@pytest.mark.parametrize("path", fixture_models(), ids=lambda p: p.parent.name)
def test_real_catalog_fixtures(path: Path) -> None:
    catalog = real_catalog()
    model = load_model(path)
    for abi in (AARCH64, X86_64):
        sel = select_units([model], catalog, abi)
        # each op is either served by exactly one chosen kernel (plus an avx2 fallback) or missing
        served: dict[int, list[str]] = {}
        for unit in sel.units:
            for r in unit.reasons:
                if r.kind == "op" and r.op_index is not None:
                    served.setdefault(r.op_index, []).append(unit.name)
        missing = {m.op_index for m in sel.missing if m.op_index is not None}
        for op in model.ops:
            assert op.index in served or op.index in missing, (
                f"op #{op.index} {op.type} neither served nor missing"
            )
            assert len(served.get(op.index, [])) <= 1


@pytest.mark.parametrize("abi", [AARCH64, X86_64], ids=lambda a: a.name)
def test_real_catalog_legacy_fuse_relu(abi: Abi) -> None:
    catalog = real_catalog()
    b = Builder()
    legacy_conv(b, 1, 1, paddings=[0, 0], fuse_relu=True)  # 0: 1x1 (gemm1x1 SIMD)
    legacy_conv(b, 3, 2, paddings=[1, 1], fuse_relu=True)  # 1: 3x3 (im2col SIMD)
    b.op("depthwise_conv2d", Input="x", Filter=b.param("dw", (8, 1, 3, 3)), strides=[1, 1], paddings=[1, 1],
         groups=8, dilations=[1, 1], fuse_relu=True)  # fmt: skip  # 2: depthwise 3x3 (dw3x3 SIMD)
    legacy_conv(b, 3, 2, paddings=[1, 1], fuse_relu=False)  # 3: none
    legacy_conv(b, 3, 2, paddings=[1, 1], with_act=True, act_type="relu6", fuse_relu=True)  # 4: relu6
    legacy_conv(b, 3, 1, op_type="conv2d_transpose", paddings=[1, 1], fuse_relu=True)  # 5: ignores fuse_relu
    sel = select([b], catalog, abi.name)
    assert sel.ok, sel.missing
    chosen: dict[int, set[str]] = {}  # op -> the kernel units that may run it (winner and avx2 fallback)
    for unit in sel.units:
        for r in unit.reasons:
            if r.kind in ("op", "fallback") and r.op_index is not None:
                chosen.setdefault(r.op_index, set()).add(unit.name)
    assert all(any(n.endswith((".neon", ".avx2")) for n in chosen[i]) for i in (0, 1, 2))  # the SIMD units
    relu = sel.get("relu.f32.epilogue")
    assert relu is not None
    by_op: dict[int, set[str]] = {}
    for r in relu.reasons:
        assert r.kind == "activation" and r.op_index is not None and r.unit is not None
        assert dict(r.values)["attr.fuse_relu"] is True
        by_op.setdefault(r.op_index, set()).add(r.unit)
    assert by_op == {0: chosen[0], 1: chosen[1], 2: chosen[2]}  # every kernel that may run the op applies it
    relu6 = sel.get("relu6.f32.epilogue")
    assert relu6 is not None and {r.op_index for r in relu6.reasons} == {4}


def test_real_catalog_legacy_fuse_relu_fixture(tmp_path: Path) -> None:
    """conv2d_relu spells its relu three ways (with_act, act_type and fuse_relu). In a copy with `with_act`
    renamed (same length, so the file stays valid) only the legacy fuse_relu is left, and it must still
    bring the relu epilogue; with fuse_relu renamed too, nothing does."""
    catalog = real_catalog()
    for name in ("model_arm.nb", "model_x86.nb"):
        src = FIXTURES / "conv2d_relu" / name
        if not src.exists():
            pytest.skip(f"{src} is absent")
        data = src.read_bytes()
        assert data.count(b"with_act") == 1 and data.count(b"fuse_relu") == 1
        legacy = tmp_path / f"legacy_{name}"
        legacy.write_bytes(data.replace(b"with_act", b"with_acx"))
        plain = tmp_path / f"plain_{name}"
        plain.write_bytes(data.replace(b"with_act", b"with_acx").replace(b"fuse_relu", b"fuse_relx"))
        model = load_model(legacy)
        convs = {op.index for op in model.ops if op.type == "conv2d"}
        assert convs
        for op in model.ops:
            if op.index in convs:
                assert "with_act" not in op.attrs and op.attrs["fuse_relu"] is True
        for abi in (AARCH64, X86_64):
            sel = select_units([model], catalog, abi)
            relu = sel.get("relu.f32.epilogue")
            assert sel.ok and relu is not None, abi.name
            assert {r.op_index for r in relu.reasons} == convs
            assert all(dict(r.values)["attr.fuse_relu"] is True for r in relu.reasons)
            assert "relu.f32.epilogue" not in select_units([load_model(plain)], catalog, abi)


def test_real_catalog_fuse_relu_rules_match_the_sources() -> None:
    """A kernel has the `fuse_relu` rule exactly when its code (its sources and what it requires) reads
    fuse_relu, and then after the with_act rule, as the code tests with_act first."""
    catalog = real_catalog()
    legacy = ActivationRule(fixed="relu", enabled_by="fuse_relu")
    checked = 0
    for unit in catalog.units:
        if unit.kind != "kernel":
            continue
        text = "".join(
            (catalog.engine_dir / src).read_text(errors="replace")
            for name in catalog.closure([unit.name])
            for src in catalog.unit(name).sources
        )
        if "fuse_relu" in text:
            checked += 1
            with_act = ActivationRule(attr="act_type", enabled_by="with_act")
            assert unit.activation == (with_act, legacy), unit.name
        else:
            assert legacy not in unit.activation, unit.name
    assert checked >= 7  # conv2d.f32.ref and the SIMD conv / depthwise units


def test_fixture_against_catalog_lacking_units(tmp_path: Path) -> None:
    paths = [p for p in fixture_models() if p.parent.name in ("conv2d_relu6", "relu6", "swish", "flatten")]
    if not paths:
        pytest.skip("op fixtures absent")
    path = tmp_path / "core_only.toml"
    path.write_text(
        'schema = 1\n[[unit]]\nname = "core"\nkind = "core"\nentry = "tailor::core::create"\n'
        '  [[unit.serves]]\n  op = "feed"\n  precisions = ["kAny"]\n'
        '  [[unit.serves]]\n  op = "fetch"\n  precisions = ["kAny"]\n'
    )
    catalog = Catalog.load(path, check_sources=False)
    models = [load_model(p) for p in paths]
    sel = select_units(models, catalog, AARCH64)
    expected = [(str(m.path), op.index) for m in models for op in m.ops if op.type not in ("feed", "fetch")]
    assert [(m.model, m.op_index) for m in sel.missing] == expected
    assert sel.unit_names == ("core",)
