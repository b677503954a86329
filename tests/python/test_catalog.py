"""Catalog loading and strict validation (engine/CATALOG.md), the catalog-parts merge, the real catalog."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tailor import paths
from tailor.catalog import (
    ActivationRule,
    Catalog,
    CatalogError,
    load_default_catalog,
    merge_parts,
    part_order,
)
from tailor.conditions import CondOp, Subject
from tailor.errors import TailorError

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]

KERNEL = """
[[unit]]
name = "relu.f32.ref"
kind = "kernel"
sources = ["src/relu.cc"]
entry = "tailor::kernels::relu_f32_ref::create"
  [[unit.serves]]
  op = "relu"
  precisions = ["kFloat"]
"""


def write_catalog(tmp_path: Path, body: str, sources: tuple[str, ...] = ("src/relu.cc",)) -> Path:
    engine = tmp_path / "engine"
    for src in sources:
        (engine / src).parent.mkdir(parents=True, exist_ok=True)
        (engine / src).write_text("// test\n")
    engine.mkdir(exist_ok=True)
    path = engine / "catalog.toml"
    path.write_text("schema = 1\n" + textwrap.dedent(body))
    return path


def test_test_catalog_loads() -> None:
    catalog = Catalog.load(DATA / "catalog_mobilenet.toml", check_sources=False)
    assert catalog.units[0].name == "core"
    conv = catalog.unit("conv2d.f32.gemm1x1.neon")
    assert conv.kind == "kernel" and conv.isa == "neon" and conv.priority == 10
    assert conv.requires == ("f32-gemm.neon",)
    assert conv.ident == "conv2d_f32_gemm1x1_neon"
    assert conv.entry_namespace == "tailor::kernels::conv2d_f32_gemm1x1_neon"
    assert conv.entry_function == "create"
    assert conv.activation == (ActivationRule(attr="act_type", enabled_by="with_act"),)
    assert [c.subject for c in conv.when] == [
        Subject.INPUT_DIMS,
        Subject.INPUT_DIMS,
        Subject.ATTR,
        Subject.ATTR,
    ]
    assert conv.when[2].op is CondOp.EQ and conv.when[2].value == (1, 1)
    assert conv.serves[0].op == "conv2d" and conv.serves[0].precision_values == (1,)
    relu = catalog.unit("relu.f32.epilogue")
    assert relu.provides_activation == "relu" and relu.activation == ()
    assert catalog.unit("f32-gemm.ref").isa == "any"  # default
    assert catalog.unit("fc.f32.ref").activation == (ActivationRule(attr="activation_type"),)
    # a list of rules, tried in order
    assert catalog.unit("conv2d.f32.ref").activation == (
        ActivationRule(attr="act_type", enabled_by="with_act"),
        ActivationRule(fixed="relu", enabled_by="fuse_relu"),
    )
    assert catalog.closure(["conv2d.f32.gemm1x1.neon"]) == [
        "f32-gemm.ref",
        "f32-gemm.neon",
        "conv2d.f32.gemm1x1.neon",
    ]
    assert len(catalog.content_hash) == 64


def test_content_hash_follows_meaning(tmp_path: Path) -> None:
    a = Catalog.load(write_catalog(tmp_path, "# comment\n" + KERNEL))
    b = Catalog.load(write_catalog(tmp_path, KERNEL))
    assert a.content_hash == b.content_hash
    c = Catalog.load(
        write_catalog(tmp_path, KERNEL.replace('kind = "kernel"', 'kind = "kernel"\npriority = 1'))
    )
    assert c.content_hash != a.content_hash


def test_activation_rules(tmp_path: Path) -> None:
    rules = (
        'activation = [\n  { attr = "act_type", enabled_by = "with_act" },\n'
        '  { fixed = "relu", enabled_by = "fuse_relu" },  # older models\n]'
    )
    epilogue = (
        '[[unit]]\nname = "relu.f32.epilogue"\nkind = "epilogue"\nentry = "a::b"\nactivation = "relu"\n'
    )
    body = KERNEL.replace('kind = "kernel"', 'kind = "kernel"\n' + rules) + epilogue
    catalog = Catalog.load(write_catalog(tmp_path, body))
    unit = catalog.unit("relu.f32.ref")
    assert unit.activation == (
        ActivationRule(attr="act_type", enabled_by="with_act"),
        ActivationRule(fixed="relu", enabled_by="fuse_relu"),
    )
    assert unit.to_dict()["activation"] == [
        {"attr": "act_type", "fixed": None, "enabled_by": "with_act"},
        {"attr": None, "fixed": "relu", "enabled_by": "fuse_relu"},
    ]
    # merged into one line by tools/merge_catalog.py, it means the same
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "kernels.toml").write_text(textwrap.dedent(body))
    merged = Catalog.from_data(tomllib.loads(merge_parts(parts)), tmp_path / "m.toml", tmp_path / "engine")
    assert merged.content_hash == catalog.content_hash
    # the order of the rules is part of the meaning
    swapped = body.replace(
        rules,
        'activation = [{ fixed = "relu", enabled_by = "fuse_relu" }, '
        '{ attr = "act_type", enabled_by = "with_act" }]',
    )
    assert Catalog.load(write_catalog(tmp_path, swapped)).content_hash != catalog.content_hash


def test_sources_checked_relative_to_engine(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, KERNEL, sources=())
    with pytest.raises(
        CatalogError, match=r"catalog.toml: unit 'relu.f32.ref': source 'src/relu.cc' does not exist"
    ):
        Catalog.load(path)
    assert len(Catalog.load(path, check_sources=False)) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\ncolour = "red"'),
            r"unit 'relu.f32.ref': unknown key\(s\) 'colour'",
        ),
        (KERNEL + KERNEL, r"unit 'relu.f32.ref': duplicate name"),
        (KERNEL.replace('kind = "kernel"', 'kind = "kernal"'), r"unit 'relu.f32.ref': unknown kind 'kernal'"),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nisa = "sse"'),
            r"unit 'relu.f32.ref': unknown isa 'sse'",
        ),
        (
            KERNEL.replace('"kFloat"', '"kFloat32"'),
            r"unit 'relu.f32.ref': serves op 'relu': unknown precision 'kFloat32'",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nrequires = ["nope"]'),
            r"unit 'relu.f32.ref': requires 'nope', which is not in the catalog",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nwhen = ["attr.x === 1"]'),
            r"unit 'relu.f32.ref': condition 'attr.x === 1'",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nwhen = ["attr.x in 1"]'),
            r"unit 'relu.f32.ref': .*needs a list",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nwhen = "attr.x == 1"'),
            r"unit 'relu.f32.ref': 'when' must be a list",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\npriority = "high"'),
            r"'priority' must be an integer",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\npriority = true'),
            r"'priority' must be an integer",
        ),
        (
            KERNEL.replace('entry = "tailor::kernels::relu_f32_ref::create"\n', ""),
            r"unit 'relu.f32.ref': 'entry' is required",
        ),
        (KERNEL.replace("tailor::kernels::relu_f32_ref::create", "create"), r"namespace-qualified"),
        (
            KERNEL.replace("tailor::kernels::relu_f32_ref::create", "tailor::kernels::x::create()"),
            r"namespace-qualified",
        ),
        (KERNEL.replace('name = "relu.f32.ref"', 'name = "relu f32"'), r"'name' must use letters"),
        (KERNEL.replace('name = "relu.f32.ref"\n', ""), r"unit #1: 'name' is required"),
        (
            KERNEL.replace('  [[unit.serves]]\n  op = "relu"\n  precisions = ["kFloat"]\n', ""),
            r"must serve at least one op",
        ),
        (KERNEL.replace('precisions = ["kFloat"]', "precisions = []"), r"at least one precision"),
        (
            KERNEL.replace('op = "relu"', 'op = "relu"\n  target = "kARM"'),
            r"serves: unknown key\(s\) 'target'",
        ),
        (KERNEL + '  [[unit.serves]]\n  op = "relu"\n  precisions = ["kAny"]\n', r"serves op 'relu' twice"),
        (KERNEL.replace('"src/relu.cc"', '"/abs/relu.cc"'), r"relative path inside engine/"),
        (KERNEL.replace('"src/relu.cc"', '"../relu.cc"'), r"relative path inside engine/"),
        (KERNEL.replace('"src/relu.cc"', '"src/re lu.cc"'), r"relative path inside engine/"),
        (KERNEL.replace('"src/relu.cc"', '"src/relu.cc", "src/relu.cc"'), r"'sources' lists an item twice"),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nactivation = "relu"'),
            r"'activation' must be a table",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nactivation = { name = "x" }'),
            r"activation: unknown key",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nactivation = { enabled_by = "x" }'),
            r"activation: needs exactly one of 'attr' \(the attribute naming the activation\) and 'fixed'",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nactivation = { attr = "a", fixed = "relu" }'),
            r"activation: needs exactly one of 'attr' .* and 'fixed'",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nactivation = { attr = "" }'),
            r"activation: 'attr' must be a non-empty string",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nactivation = []'),
            r"'activation' must be a table .* or a non-empty array of such tables, got \[\]",
        ),
        (
            KERNEL.replace('kind = "kernel"', 'kind = "kernel"\nactivation = [{ attr = "a" }, "relu"]'),
            r"activation rule #2 must be a table",
        ),
        (
            KERNEL.replace(
                'kind = "kernel"', 'kind = "kernel"\nactivation = [{ attr = "a" }, { fixed = "relu" }]'
            ),
            r"activation rule #2 is never used: rule #1 has no 'enabled_by', so it always applies",
        ),
        (
            KERNEL.replace(
                'kind = "kernel"',
                'kind = "kernel"\nactivation = [{ attr = "a", enabled_by = "on" }, '
                '{ fixed = "relu", enabled_by = "on" }]',
            ),
            r"activation rule #2 is never used: rule #1 is enabled by the same attribute 'on'",
        ),
        (
            KERNEL.replace(
                'kind = "kernel"',
                'kind = "kernel"\nactivation = [{ attr = "a", enabled_by = "on" }, '
                '{ fixed = "relu", when = "x" }]',
            ),
            r"activation rule #2: unknown key\(s\) 'when' \(valid: attr, fixed, enabled_by\)",
        ),
        (
            KERNEL.replace(
                'kind = "kernel"', 'kind = "kernel"\nactivation = { fixed = "relu", enabled_by = "x" }'
            ),
            r"unit 'relu.f32.ref': its activation rule fixes 'relu', which no epilogue unit of the catalog "
            r"implements",
        ),
        (
            KERNEL + '[[unit]]\nname = "relu.f32.other"\nkind = "kernel"\nsources = ["src/relu.cc"]\n'
            'entry = "a::b"\n  [[unit.serves]]\n  op = "relu"\n  precisions = ["kFloat"]\n',
            r"unit 'relu.f32.other': source 'src/relu.cc' is already listed by unit 'relu.f32.ref'",
        ),
        (
            '[[unit]]\nname = "a.b"\nkind = "helper"\n[[unit]]\nname = "a-b"\nkind = "helper"\n',
            r"unit 'a-b': its namespace id 'a_b' is also that of unit 'a.b'",
        ),
        (
            '[[unit]]\nname = "a"\nkind = "helper"\nrequires = ["b"]\n'
            '[[unit]]\nname = "b"\nkind = "helper"\nrequires = ["c"]\n'
            '[[unit]]\nname = "c"\nkind = "helper"\nrequires = ["a"]\n',
            r"requires cycle a -> b -> c -> a",
        ),
        ('[[unit]]\nname = "a"\nkind = "helper"\nrequires = ["a"]\n', r"unit 'a': requires itself"),
        (
            '[[unit]]\nname = "g.neon"\nkind = "helper"\nisa = "neon"\n'
            '[[unit]]\nname = "user"\nkind = "helper"\nrequires = ["g.neon"]\n',
            r"unit 'user' \(isa any\) requires 'g.neon' of isa neon",
        ),
        (
            '[[unit]]\nname = "e"\nkind = "epilogue"\nentry = "a::b"\n',
            r"unit 'e': an epilogue unit needs 'activation'",
        ),
        (
            '[[unit]]\nname = "e"\nkind = "epilogue"\nentry = "a::b"\nactivation = { attr = "x" }\n',
            r"epilogue's 'activation'",
        ),
        (
            '[[unit]]\nname = "e"\nkind = "epilogue"\nactivation = "relu"\n',
            r"'entry' is required for a epilogue unit",
        ),
        (
            '[[unit]]\nname = "e"\nkind = "epilogue"\nisa = "avx2"\nentry = "a::b"\nactivation = "relu"\n',
            r"cannot be isa avx2",
        ),
        ('[[unit]]\nname = "d"\nkind = "dequant"\n', r"unit 'd': 'entry' is required for a dequant unit"),
        (
            '[[unit]]\nname = "h"\nkind = "helper"\nwhen = ["attr.x == 1"]\n',
            r"'when' and 'activation' only apply",
        ),
        (
            '[[unit]]\nname = "h"\nkind = "helper"\n'
            '  [[unit.serves]]\n  op = "x"\n  precisions = ["kFloat"]\n',
            r"a helper unit cannot serve ops",
        ),
        ("[unit]\nname = 'x'\n", r"'unit' must be an array of tables"),
        ("colour = 1\n", r"unknown top-level key\(s\) 'colour'"),
    ],
)
def test_validation_errors(tmp_path: Path, body: str, message: str) -> None:
    path = write_catalog(tmp_path, body)
    with pytest.raises(CatalogError, match=message) as info:
        Catalog.load(path)
    assert str(info.value).startswith(str(path) + ": ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"'schema = 1' is required"),
        ("schema = 2\n", r"'schema = 1' is required \(got 2\)"),
        ("schema = 1\n[[unit]\n", r"not valid TOML"),
        ("schema = true\n", r"'schema = 1' is required"),
    ],
)
def test_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    with pytest.raises(CatalogError, match=message):
        Catalog.load(path)


def test_missing_catalog_file(tmp_path: Path) -> None:
    with pytest.raises(TailorError, match="no such catalog file"):
        Catalog.load(tmp_path / "nope.toml")


def test_minimal_units_are_valid(tmp_path: Path) -> None:
    body = (
        '[[unit]]\nname = "core"\nkind = "core"\n'
        '[[unit]]\nname = "core2"\nkind = "core"\nentry = "tailor::core::create"\n'
        '  [[unit.serves]]\n  op = "feed"\n  precisions = ["kAny"]\n'
        '[[unit]]\nname = "d"\nkind = "dequant"\nentry = "tailor::helpers::d::dequantize"\n'
    )
    catalog = Catalog.load(write_catalog(tmp_path, body))
    assert [u.kind for u in catalog] == ["core", "core", "dequant"]


# --- merging catalog parts ----------------------------------------------------------------------------------
def make_parts(engine: Path) -> None:
    parts = engine / "catalog.parts"
    parts.mkdir(parents=True)
    (parts / "kernels_b.toml").write_text(KERNEL.replace("relu", "sigmoid"))
    (parts / "core.toml").write_text(
        'schema = 1\n# the core\n[[unit]]\nname = "core"\nkind = "core"\nentry = "tailor::c::create"\n'
        'activation = { attr = "x" }\nwhen = ["attr.y == \\"a\\\\\\"b\\""]\n'
        '  [[unit.serves]]\n  op = "feed"\n  precisions = ["kAny"]\n'
    )
    (parts / "a_kernels.toml").write_text(KERNEL)
    for src in ("src/relu.cc", "src/sigmoid.cc"):
        (engine / src).parent.mkdir(parents=True, exist_ok=True)
        (engine / src).write_text("")


def test_merge_parts_order_and_round_trip(tmp_path: Path) -> None:
    engine = tmp_path / "engine"
    make_parts(engine)
    assert [p.name for p in part_order(list((engine / "catalog.parts").glob("*.toml")))] == [
        "core.toml",
        "a_kernels.toml",
        "kernels_b.toml",
    ]
    text = merge_parts(engine / "catalog.parts")
    data = tomllib.loads(text)
    assert data["schema"] == 1
    assert [u["name"] for u in data["unit"]] == ["core", "relu.f32.ref", "sigmoid.f32.ref"]
    originals = [tomllib.loads((engine / "catalog.parts" / n).read_text())["unit"][0] for n in ("core.toml",)]
    assert data["unit"][0] == originals[0]
    catalog = Catalog.from_data(data, engine / "catalog.toml", engine)
    assert catalog.unit("core").when[0].value == 'a"b'
    assert merge_parts(engine / "catalog.parts") == text  # deterministic


def test_merge_parts_errors(tmp_path: Path) -> None:
    parts = tmp_path / "catalog.parts"
    parts.mkdir()
    (parts / "bad.toml").write_text("[[unit]\n")
    with pytest.raises(CatalogError, match=r"bad.toml: not valid TOML"):
        merge_parts(parts)
    (parts / "bad.toml").write_text("schema = 2\n")
    with pytest.raises(CatalogError, match=r"bad.toml: schema 2"):
        merge_parts(parts)
    (parts / "bad.toml").write_text("name = 'x'\n")
    with pytest.raises(CatalogError, match=r"bad.toml: unknown top-level key"):
        merge_parts(parts)


def test_merge_tool(tmp_path: Path) -> None:
    engine = tmp_path / "engine"
    make_parts(engine)
    tool = [sys.executable, str(REPO / "tools" / "merge_catalog.py"), "--engine", str(engine)]
    check = subprocess.run([*tool, "--check"], capture_output=True, text=True)
    assert check.returncode == 1 and "out of date" in check.stderr
    first = subprocess.run(tool, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "3 unit(s)" in first.stdout and "written" in first.stdout
    out = engine / "catalog.toml"
    assert out.read_text().startswith("# Generated by tools/merge_catalog.py")
    assert len(Catalog.load(out)) == 3
    mtime = out.stat().st_mtime_ns
    second = subprocess.run(tool, capture_output=True, text=True)
    assert "unchanged" in second.stdout and out.stat().st_mtime_ns == mtime
    assert subprocess.run([*tool, "--check"], capture_output=True).returncode == 0
    (engine / "src" / "relu.cc").unlink()
    missing = subprocess.run(tool, capture_output=True, text=True)
    assert missing.returncode == 1 and "src/relu.cc' does not exist" in missing.stderr
    assert subprocess.run([*tool, "--no-source-check"], capture_output=True).returncode == 0


def test_default_catalog_prefers_fresh_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ROOT_ENV, str(tmp_path))
    assert paths.repo_root() == tmp_path.resolve()
    engine = tmp_path / "engine"
    make_parts(engine)
    catalog, warning = load_default_catalog()
    assert len(catalog) == 3 and warning is not None and "does not exist" in warning
    (engine / "catalog.toml").write_text(merge_parts(engine / "catalog.parts"))
    catalog2, warning2 = load_default_catalog()
    assert warning2 is None and catalog2.content_hash == catalog.content_hash
    (engine / "catalog.parts" / "a_kernels.toml").unlink()
    catalog3, warning3 = load_default_catalog()
    assert len(catalog3) == 2 and warning3 is not None and "out of date" in warning3


# --- the real catalog ---------------------------------------------------------------------------------------
def real_catalog() -> Catalog:
    try:
        catalog, _ = load_default_catalog()
    except TailorError as exc:
        if not (REPO / "engine" / "catalog.toml").exists() and not list(
            (REPO / "engine").glob("catalog.parts/*.toml")
        ):
            pytest.skip("no engine catalog yet")
        raise AssertionError(f"the engine catalog is not valid: {exc}") from None
    if not len(catalog):
        pytest.skip("the engine catalog is empty")
    return catalog


def test_real_catalog_is_valid() -> None:
    catalog = real_catalog()
    for unit in catalog:
        if unit.kind in ("kernel", "epilogue", "dequant"):
            assert unit.entry is not None


def test_merged_catalog_is_up_to_date() -> None:
    if not (REPO / "engine" / "catalog.toml").exists():
        pytest.skip("engine/catalog.toml not merged yet")
    if not list((REPO / "engine" / "catalog.parts").glob("*.toml")):
        pytest.skip("no catalog parts")
    merged = merge_parts(REPO / "engine" / "catalog.parts")
    assert (REPO / "engine" / "catalog.toml").read_text() == merged, "run tools/merge_catalog.py"
