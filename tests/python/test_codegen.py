"""Registry code generation: determinism, write-if-changed, and the generated C++ compiles against the
engine's headers (test catalog and the real catalog, for every ABI) and holds exactly the selected data."""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tailor.abi import ABIS, resolve_abi
from tailor.catalog import Catalog, load_default_catalog
from tailor.codegen import (
    REGISTRY_FILE,
    UNITS_FILE,
    cpp_double,
    cpp_int,
    cpp_string,
    render_registry,
    render_units_cmake,
    write_registry,
)
from tailor.errors import TailorError
from tailor.model import KernelKey, Model, Op, ParamInfo, Var
from tailor.select import Selection, full_selection, select_units

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
ENGINE_SRC = REPO / "engine" / "src"
GXX = shutil.which("g++")

needs_gxx = pytest.mark.skipif(GXX is None, reason="g++ not installed")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(DATA / "catalog_mobilenet.toml", check_sources=False)


def small_selection(catalog: Catalog) -> Selection:
    w = "w"
    ops = [
        Op(0, "conv2d", {"Input": ("x",), "Filter": (w,)}, {"Output": ("y",)},
           {"strides": [1, 1], "groups": 1, "with_act": True, "act_type": "relu6"},
           KernelKey("conv2d", "def", 4, 1, 1)),
        Op(1, "pool2d", {"X": ("y",)}, {"Out": ("z",)}, {"pooling_type": "max"},
           KernelKey("pool2d", "def", 4, 1, 1)),
    ]  # fmt: skip
    model = Model(
        Path("m.nb"), "0" * 64, 2, "v2.13-rc", None, 0, {w: Var(w, 7, 5, (8, 8, 1, 1), True)}, ops, [], [], 0
    )
    return select_units(
        [model], catalog, resolve_abi("linux-aarch64"), params={"m.nb": [ParamInfo(w, (8, 8, 1, 1), 5, 0, 0)]}
    )


def syntax_check(path: Path) -> None:
    assert GXX is not None
    result = subprocess.run(
        [GXX, "-std=c++17", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-I", str(ENGINE_SRC), str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-4000:]


def test_cpp_literals() -> None:
    assert cpp_string("relu6") == '"relu6"'
    assert cpp_string('a"b\\c') == '"a\\"b\\\\c"'
    assert cpp_string("\n\0é?") == '"\\012\\000\\303\\251\\077"'
    assert cpp_string("\x01" + "7") == '"\\0017"'  # octal escapes are 3 digits: the 7 stays a 7
    assert cpp_int(1) == "1" and cpp_int(-(2**63)) == "(-9223372036854775807LL - 1)"
    assert cpp_int(2**40) == "1099511627776LL"
    assert cpp_double(1.0) == "1.0" and cpp_double(1e300) == "1e+300" and cpp_double(-0.5) == "-0.5"


def test_render_is_deterministic(catalog: Catalog) -> None:
    sel = small_selection(catalog)
    first = render_registry(sel, catalog)
    assert first == render_registry(small_selection(catalog), catalog)
    assert render_units_cmake(sel, catalog) == render_units_cmake(small_selection(catalog), catalog)
    # reloading the catalog gives the same bytes
    again = Catalog.load(DATA / "catalog_mobilenet.toml", check_sources=False)
    assert render_registry(small_selection(again), again) == first
    assert sel.digest() in first


def test_registry_content(catalog: Catalog) -> None:
    text = render_registry(small_selection(catalog), catalog)
    assert "namespace tailor::kernels::conv2d_f32_gemm1x1_neon {" in text
    assert (
        "::tailor::Status create(const ::tailor::KernelInit& init, std::unique_ptr<::tailor::Kernel>* out);"
        in text
    )
    assert "void apply(float* data, int64_t n, const ::tailor::Activation& act);" in text
    # strings once, in one blob, by offset: "Filter" first (the first term's name), at 0
    assert '    "Filter\\0"  // 0\n    "strides\\0"  // 7\n' in text
    assert text.count('"conv2d\\0"') == 1
    assert (
        '{39 /* "conv2d.f32.gemm1x1.neon" */, 63 /* "conv2d" */, 0x2u /* kFloat */, Isa::kNeon, 4, '
        "kWhen_conv2d_f32_gemm1x1_neon, &::tailor::kernels::conv2d_f32_gemm1x1_neon::create}," in text
    )
    assert (
        "{CondSubject::kInputDims, CondOp::kEq, 2, 0, {CondKind::kInt, false, 0, 0, 1, 0.0}},"
        "  // input.Filter.dims[2] == 1" in text
    )
    # a list value: count 2, items from kCondItems[0]
    assert "{CondSubject::kAttr, CondOp::kEq, -1, 7, {CondKind::kList, false, 2, 0, 0, 0.0}}," in text
    assert (
        "    {CondKind::kInt, false, 0, 0, 1, 0.0},  // [1, 1]\n    {CondKind::kInt, false, 0, 0, 1, 0.0},\n"
        in text
    )
    assert (
        '{112 /* "relu6" */, 118 /* "relu6.f32.epilogue" */, &::tailor::kernels::relu6_f32_epilogue::apply},'
        in text
    )
    assert "static constexpr Registry kRegistry" in text
    # no dequant unit selected: a null pointer
    assert '      nullptr,\n      "' in text
    assert "      kStrings,\n      kCondItems,\n" in text
    cmake = render_units_cmake(small_selection(catalog), catalog)
    assert (
        'set(TAILOR_SOURCES_NEON\n  "src/helpers/f32-gemm/4x8-neon.cc"\n'
        '  "src/kernels/arm/conv2d_gemm1x1_neon.cc"\n)' in cmake
    )
    assert '"src/core/program.cc"\n  "src/core/model_loader.cc"' in cmake
    assert "set(TAILOR_SOURCES_AVX2\n)" in cmake
    assert '  "pool2d.f32.max.ref"\n' in cmake


def test_write_registry_only_rewrites_changes(catalog: Catalog, tmp_path: Path) -> None:
    sel = small_selection(catalog)
    out = tmp_path / "reg"
    files = write_registry(sel, catalog, out)
    assert set(files.changed) == {out / REGISTRY_FILE, out / UNITS_FILE, out / "selection.digest"}
    assert (out / "selection.digest").read_text() == sel.digest() + "\n"
    stamps = {p: p.stat().st_mtime_ns for p in out.iterdir()}
    again = write_registry(sel, catalog, out)
    assert again.changed == ()
    assert {p: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    assert sorted(p.name for p in out.iterdir()) == [
        "registry.cc",
        "selection.digest",
        "units.cmake",
    ]  # no temp files
    full = full_selection(catalog, resolve_abi("linux-aarch64"))
    third = write_registry(full, catalog, out)
    assert set(third.changed) == {out / REGISTRY_FILE, out / UNITS_FILE, out / "selection.digest"}


def test_write_registry_refuses_other_catalog(catalog: Catalog, tmp_path: Path) -> None:
    other = tmp_path / "c.toml"
    other.write_text((DATA / "catalog_mobilenet.toml").read_text().replace("priority = 10", "priority = 11"))
    with pytest.raises(TailorError, match="different catalog"):
        write_registry(small_selection(catalog), Catalog.load(other, check_sources=False), tmp_path / "r")


def test_write_registry_error_is_user_error(catalog: Catalog, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TailorError, match="cannot create the registry directory"):
        write_registry(small_selection(catalog), catalog, blocker / "reg")


@needs_gxx
@pytest.mark.parametrize("abi", ["linux-aarch64", "linux-x86_64"])
def test_test_catalog_registry_compiles(catalog: Catalog, tmp_path: Path, abi: str) -> None:
    files = write_registry(full_selection(catalog, resolve_abi(abi)), catalog, tmp_path)
    syntax_check(files.registry)


@needs_gxx
def test_empty_selection_compiles(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('schema = 1\n[[unit]]\nname = "core"\nkind = "core"\n')
    empty_catalog = Catalog.load(path)
    files = write_registry(
        full_selection(empty_catalog, resolve_abi("linux-x86_64")), empty_catalog, tmp_path / "r"
    )
    text = files.registry.read_text()
    assert "kKernels" not in text and "kEpilogues" not in text
    syntax_check(files.registry)


DRIVER = r"""
#include <cstdio>
#include "core/registry.h"
using namespace tailor;
static void value(const Registry& r, const CondValue& v) {
  switch (v.kind) {
    case CondKind::kNull: std::printf("null"); break;
    case CondKind::kBool: std::printf(v.b ? "true" : "false"); break;
    case CondKind::kInt: std::printf("%lld", static_cast<long long>(v.i)); break;
    case CondKind::kFloat: std::printf("%.17g", v.f); break;
    case CondKind::kString: std::printf("s:%s", r.str(v.ref)); break;
    case CondKind::kList:
      std::printf("[");
      for (uint32_t k = 0; k < v.count; ++k) { if (k) std::printf(","); value(r, r.cond_items[v.ref + k]); }
      std::printf("]");
      break;
  }
}
int main() {
  const Registry& r = registry();
  std::printf("id %s\n", r.selection_id);
  for (size_t k = 0; k < r.num_kernels; ++k) {
    const KernelEntry& e = r.kernels[k];
    std::printf("kernel %s %s isa=%d create=%d prec=", r.str(e.unit), r.str(e.op), static_cast<int>(e.isa),
                e.create != nullptr);
    for (int p = 0; p < 32; ++p) if (precision_accepted(e, p)) std::printf("%d,", p);
    std::printf("\n");
    for (uint32_t t = 0; t < e.num_when; ++t) {
      const CondTerm& c = e.when[t];
      std::printf("  when %d %s %d %d ", static_cast<int>(c.subject), r.str(c.name), c.index,
                  static_cast<int>(c.op));
      value(r, c.rhs);
      std::printf("\n");
    }
  }
  for (size_t k = 0; k < r.num_epilogues; ++k)
    std::printf("epilogue %s %s %d\n", r.str(r.epilogues[k].name), r.str(r.epilogues[k].unit),
                r.epilogues[k].fn != nullptr);
  std::printf("dequant %d\n", r.dequantize != nullptr);
}
"""


def stubs(text: str) -> str:
    """Definitions for every entry point the registry declares (its forward declarations, given bodies)."""
    block = text.split("// Entry points", 1)[1].split("\nnamespace tailor {", 1)[0]
    lines = ["#include <memory>", '#include "core/kernel.h"', '#include "core/registry.h"']
    for line in block.splitlines()[1:]:
        if line.endswith(");"):
            line = line[:-1] + (" { return {}; }" if line.startswith("::tailor::Status") else " {}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _format_value(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:.17g}"
    if isinstance(v, str):
        return "s:" + v
    assert isinstance(v, tuple)
    return "[" + ",".join(_format_value(x) for x in v) + "]"


def assert_registry_round_trips(sel: Selection, catalog: Catalog, tmp_path: Path) -> None:
    """Compile the generated registry with stub entry points and a driver printing it; compare with Python."""
    files = write_registry(sel, catalog, tmp_path / "reg")
    (tmp_path / "stubs.cc").write_text(stubs(files.registry.read_text()))
    (tmp_path / "main.cc").write_text(DRIVER)
    exe = tmp_path / "driver"
    build = subprocess.run(
        [GXX or "g++", "-std=c++17", "-Wall", "-Werror", "-I", str(ENGINE_SRC), str(files.registry),
         str(tmp_path / "stubs.cc"), str(tmp_path / "main.cc"), "-o", str(exe)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-4000:]
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    # expected, from Python
    isa = {"any": 0, "neon": 1, "avx2": 2}
    expected = [f"id {sel.digest()}"]
    entries = []
    for name in sel.unit_names:
        unit = catalog.unit(name)
        for serve in unit.serves:
            pref = (-(0 if unit.isa == "any" else 1), -unit.priority, catalog.order(name))
            entries.append((serve.op, pref, unit, serve))
    for _op, _pref, unit, serve in sorted(entries, key=lambda e: (e[0], e[1])):
        prec = "".join(f"{p}," for p in sorted(serve.precision_values))
        expected.append(f"kernel {unit.name} {serve.op} isa={isa[unit.isa]} create=1 prec={prec}")
        for c in unit.when:
            index = -1 if c.index is None else c.index
            expected.append(f"  when {int(c.subject)} {c.name} {index} {int(c.op)} {_format_value(c.value)}")
    selected = [catalog.unit(n) for n in sel.unit_names]
    epilogues = sorted(
        (u for u in selected if u.kind == "epilogue"),
        key=lambda u: (-(0 if u.isa == "any" else 1), -u.priority, catalog.order(u.name)),
    )
    expected += [f"epilogue {u.provides_activation} {u.name} 1" for u in epilogues]
    expected.append(f"dequant {int(any(u.kind == 'dequant' for u in selected))}")
    assert out == "\n".join(expected) + "\n"  # strings may hold newlines: compare whole texts


@needs_gxx
def test_registry_links_and_holds_the_selection(catalog: Catalog, tmp_path: Path) -> None:
    assert_registry_round_trips(full_selection(catalog, resolve_abi("linux-aarch64")), catalog, tmp_path)


VALUES_CATALOG = """schema = 1
[[unit]]
name = "core"
kind = "core"

[[unit]]
name = "op.f32.ref"
kind = "kernel"
sources = ["k.cc"]
entry = "tailor::kernels::op_f32_ref::create"
when = [
  "attr.a in [1, 1.0, true]",
  "attr.b in [true, 1]",
  "attr.c == []",
  "attr.d in [[1, 1], [1.0, 1], [], null]",
  "attr.e in [[1, 1], \\"x\\"]",
  "attr.f[3] != \\"line\\\\nbreak */ and \\\\\\"quote\\\\\\"\\"",
  "input.X.dims[1] >= -9223372036854775808",
]
  [[unit.serves]]
  op = "op"
  precisions = ["kFloat", "kInt64", "kAny"]

[[unit]]
name = "other.f32.ref"
kind = "kernel"
sources = ["o.cc"]
entry = "tailor::kernels::other_f32_ref::create"
when = ["attr.a in [1, 1.0, true]", "attr.s == \\"x\\""]
  [[unit.serves]]
  op = "other"
  precisions = ["kFloat"]
"""


@needs_gxx
def test_registry_values_round_trip(tmp_path: Path) -> None:
    """Lists stored once yet kept apart by type (1, 1.0, true), nested and empty lists, escaped strings and
    extreme integers come back from the compiled tables exactly as the catalog wrote them."""
    path = tmp_path / "c.toml"
    path.write_text(VALUES_CATALOG)
    values = Catalog.load(path, check_sources=False)
    sel = full_selection(values, resolve_abi("linux-x86_64"))
    text = render_registry(sel, values)
    assert text.count("// [1, 1.0, true]") == 1  # shared by both units
    assert "// [true, 1]" in text and "// [[1, 1], [1.0, 1], [], null]" in text
    assert_registry_round_trips(sel, values, tmp_path)


def test_registry_refuses_what_its_tables_cannot_hold(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(VALUES_CATALOG.replace('"attr.c == []",', '"attr.c[40000] == 1",'))
    big_index = Catalog.load(path, check_sources=False)
    with pytest.raises(TailorError, match=r"op.f32.ref: index 40000 .* does not fit the registry"):
        render_registry(full_selection(big_index, resolve_abi("linux-x86_64")), big_index)


# --- the real catalog ---------------------------------------------------------------------------------------
def real_catalog() -> Catalog:
    try:
        catalog, _ = load_default_catalog()
    except TailorError as exc:
        pytest.skip(f"no valid engine catalog yet: {exc}")
    if not catalog.units:
        pytest.skip("the engine catalog is empty")
    return catalog


@needs_gxx
@pytest.mark.parametrize("abi", [a.name for a in ABIS])
def test_full_real_catalog_registry_compiles(tmp_path: Path, abi: str) -> None:
    catalog = real_catalog()
    files = write_registry(full_selection(catalog, resolve_abi(abi)), catalog, tmp_path)
    syntax_check(files.registry)


@needs_gxx
@pytest.mark.skipif(
    not os.environ.get("TAILOR_SLOW_TESTS"),
    reason="compiles every engine source (minutes): set TAILOR_SLOW_TESTS=1",
)
def test_real_entry_points_are_defined(tmp_path: Path) -> None:
    """Every entry point the full x86_64 registry references is defined, with exactly the declared
    signature, by the selected units' sources: compile registry.cc and the sources to objects and compare the
    mangled symbols. A signature other than registry.h's leaves the registry's symbol undefined."""
    if shutil.which("nm") is None:
        pytest.skip("nm not installed")
    catalog = real_catalog()
    sel = full_selection(catalog, resolve_abi("linux-x86_64"))
    files = write_registry(sel, catalog, tmp_path / "reg")
    flags = ["-std=c++17", "-O0", "-c", "-I", str(ENGINE_SRC), "-I", str(REPO / "engine" / "include")]

    def compile_one(src: Path, obj: Path, extra: list[str]) -> str:
        result = subprocess.run(
            [GXX or "g++", *flags, *extra, str(src), "-o", str(obj)], capture_output=True, text=True
        )
        return "" if result.returncode == 0 else f"{src}: {result.stderr[-2000:]}"

    def symbols(obj: Path, defined: bool) -> set[str]:
        option = "--defined-only" if defined else "--undefined-only"
        out = subprocess.run(
            ["nm", option, "--format=posix", str(obj)], capture_output=True, text=True, check=True
        )
        return {line.split()[0] for line in out.stdout.splitlines() if line.strip()}

    registry_obj = tmp_path / "registry.o"
    assert compile_one(files.registry, registry_obj, []) == ""
    jobs = []
    for name in sel.unit_names:
        unit = catalog.unit(name)
        extra = ["-mavx2", "-mfma"] if unit.isa == "avx2" else []
        for i, src in enumerate(s for s in unit.sources if s.endswith((".cc", ".cpp"))):
            jobs.append((REPO / "engine" / src, tmp_path / f"{unit.ident}.{i}.o", extra))
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        errors = [e for e in pool.map(lambda job: compile_one(*job), jobs) if e]
    assert not errors, "\n".join(errors)
    defined: set[str] = set()
    for _, obj, _ in jobs:
        defined |= symbols(obj, defined=True)
    wanted = {
        sym for sym in symbols(registry_obj, defined=False) if "tailor" in sym and "registry" not in sym
    }
    wanted = {sym for sym in wanted if sym.startswith("_ZN6tailor")}
    entries = {catalog.unit(n).entry for n in sel.unit_names if catalog.unit(n).entry}
    assert wanted, "the registry references no entry point"
    undefined = sorted(wanted - defined)
    if undefined:
        demangled = subprocess.run(["c++filt", *undefined], capture_output=True, text=True).stdout
        pytest.fail(
            f"entry points not defined with the registry's signature:\n{demangled}\n(entries: {len(entries)})"
        )
