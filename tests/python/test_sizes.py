"""Size reports: attributing a small shared library's bytes to units, the schema check, the renderings."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tailor.report import render_html, render_json, render_markdown
from tailor.sizes import (
    ATTRIBUTED_SECTIONS,
    LOADER,
    RUNTIME,
    SCHEMA,
    UNATTRIBUTED,
    UnitInfo,
    library_sizes,
    size_report,
    validate_report,
)

KERNEL_TU = r"""
namespace {
// static: attributed through its translation unit's file name
__attribute__((noinline)) float local_scale(float x) { return x * 1.25f + 0.5f; }
}
namespace tailor { namespace helpers { namespace f32_gemm_ref {
__attribute__((noinline)) float dot(const float* a, const float* b, int n) {
  float s = 0; for (int i = 0; i < n; ++i) s += a[i] * b[i]; return s;
}
}}
namespace kernels { namespace conv2d_f32_ref {
static const float kTable[64] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
__attribute__((noinline)) float run(const float* x, int n) {
  return local_scale(helpers::f32_gemm_ref::dot(x, kTable, n < 64 ? n : 64));
}
}}}
"""

CORE_TU = r"""
#include <string>
#include <vector>
namespace tailor {
namespace kernels { namespace conv2d_f32_ref { float run(const float* x, int n); } }
namespace fb { __attribute__((noinline)) int parse(const unsigned char* p, int n) {
  int s = 0; for (int i = 0; i < n; ++i) s = s * 31 + p[i]; return s; } }
__attribute__((noinline)) std::vector<std::string> names(int n) {
  std::vector<std::string> v; for (int i = 0; i < n; ++i) v.push_back(std::to_string(i)); return v; }
}
extern "C" __attribute__((visibility("default"))) float tailor_demo(const float* x, int n) {
  return tailor::kernels::conv2d_f32_ref::run(x, n) + tailor::fb::parse((const unsigned char*)x, n)
         + (float)tailor::names(n).size();
}
"""

# What the generated registry looks like (tailor/codegen.py): per-unit condition tables named kWhen_<id>.
REGISTRY_TU = r"""
namespace tailor {
struct Term { const char* name; int op; };
namespace {
const char* const kWhen_conv2d_f32_ref_0[] = {"a", "b", "c", "d"};
const Term kWhen_conv2d_f32_ref[] = {{"groups", 0}, {"strides", 1}, {"paddings", 2}, {"dilations", 3}};
}
extern "C" __attribute__((visibility("default"))) const void* tailor_registry_demo(int i) {
  if (i) return kWhen_conv2d_f32_ref;
  return kWhen_conv2d_f32_ref_0;
}
}
"""

UNITS = [
    UnitInfo("core", "core", ("src/core/core_demo.cc",)),
    UnitInfo("conv2d.f32.ref", "kernel", ("src/kernels/conv_ref.cc",)),
    UnitInfo("f32-gemm.ref", "helper", ("src/helpers/f32-gemm/ref.cc",)),
    UnitInfo("relu.f32.ref", "kernel", ("src/kernels/relu.cc",)),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    cxx = shutil.which("g++")
    if cxx is None:
        pytest.skip("g++ not found")
    work = tmp_path_factory.mktemp("sizes")
    (work / "conv_ref.cc").write_text(KERNEL_TU)
    (work / "core_demo.cc").write_text(CORE_TU)
    (work / "registry.cc").write_text(REGISTRY_TU)
    unstripped = work / "libdemo.so"
    flags = ["-shared", "-fPIC", "-O1", "-fvisibility=hidden", "-ffunction-sections", "-fdata-sections"]
    sources = ["conv_ref.cc", "core_demo.cc", "registry.cc"]
    subprocess.run([cxx, *flags, "-Wl,--gc-sections", *sources, "-o", str(unstripped)], cwd=work, check=True)
    stripped = work / "libdemo.stripped.so"
    shutil.copy(unstripped, stripped)
    subprocess.run(["strip", "--strip-all", str(stripped)], check=True)
    return unstripped, stripped


def test_attribution(library: tuple[Path, Path]) -> None:
    unstripped, stripped = library
    sizes = library_sizes(unstripped, stripped, UNITS)
    by_unit = {a.unit: a for a in sizes.attribution}
    assert by_unit["conv2d.f32.ref"].kind == "kernel"
    assert by_unit["conv2d.f32.ref"].bytes_in(".text") > 0
    assert by_unit["conv2d.f32.ref"].bytes_in(".rodata") >= 64 * 4  # kTable
    # its registry condition tables (pointers: .data.rel.ro in a PIC library)
    assert by_unit["conv2d.f32.ref"].bytes_in(".data.rel.ro") >= 4 * 8 + 4 * 16
    assert by_unit["f32-gemm.ref"].kind == "helper"
    assert by_unit[LOADER].bytes_in(".text") > 0  # tailor::fb::
    assert by_unit["core"].bytes_in(".text") > 0  # tailor::names, tailor_demo
    assert by_unit[RUNTIME].bytes_in(".text") > 0  # std::vector<std::string> internals
    assert "relu.f32.ref" not in by_unit  # not linked in
    # The anonymous-namespace helper is found through its translation unit: conv2d's .text holds it too.
    assert by_unit["conv2d.f32.ref"].bytes_in(".text") >= 2 * 8
    # Attribution (with the unattributed rest) covers each section exactly, never more.
    for section in ATTRIBUTED_SECTIONS:
        size = sizes.section_size(section)
        total = sum(a.bytes_in(section) for a in sizes.attribution)
        assert total == size, section
    assert "tailor_demo" in sizes.exported_symbols
    assert sizes.stripped_bytes < sizes.unstripped_bytes
    assert sizes.load_alignment >= 4096
    assert sizes.machine == "X86_64"
    assert UNATTRIBUTED not in by_unit or by_unit[UNATTRIBUTED].total < sizes.section_size(".text") + 4096


@pytest.mark.skipif(shutil.which("readelf") is None, reason="readelf not installed")
def test_page_padding_is_the_gap_between_load_segments(library: tuple[Path, Path]) -> None:
    """Checked against readelf's program headers of the stripped file: the zeros between LOAD segments."""
    unstripped, stripped = library
    sizes = library_sizes(unstripped, stripped, UNITS)
    out = subprocess.run(["readelf", "-lW", str(stripped)], capture_output=True, text=True, check=True).stdout
    spans = sorted(
        (int(f[1], 16), int(f[1], 16) + int(f[4], 16))
        for f in (line.split() for line in out.splitlines())
        if f and f[0] == "LOAD"
    )
    assert len(spans) >= 2
    gaps = sum(start - end for (_, end), (start, _) in itertools.pairwise(spans))
    assert sizes.page_padding_bytes == gaps
    assert 0 <= sizes.page_padding_bytes < sizes.load_alignment * (len(spans) - 1)  # each gap < a page


def test_report_json_validates(library: tuple[Path, Path]) -> None:
    unstripped, stripped = library
    tailored = library_sizes(unstripped, stripped, UNITS)
    report = size_report(
        "linux-x86_64", "abc", ["core", "conv2d.f32.ref"], ["m.nb"], tailored, tailored, "def"
    )
    data = json.loads(render_json(report))
    assert data["schema"] == SCHEMA
    assert data["ratio"] == 1.0
    assert validate_report(data) == []
    # The checker catches an attribution larger than its section, a wrong total and a missing field.
    broken = json.loads(render_json(report))
    broken["tailored"]["attribution"][0]["sections"][".text"] += 10**6
    problems = validate_report(broken)
    assert any("exceeds the section" in p for p in problems)
    assert any("not the sum" in p for p in problems)
    del broken["abi"]
    assert any("missing 'abi'" in p for p in validate_report(broken))


def test_markdown_and_html(library: tuple[Path, Path]) -> None:
    unstripped, stripped = library
    tailored = library_sizes(unstripped, stripped, UNITS)
    report = size_report("linux-x86_64", "abc", ["core", "conv2d.f32.ref"], ["m.nb"], tailored, None)
    md = render_markdown([report])
    assert "| `linux-x86_64` |" in md
    assert "`conv2d.f32.ref`" in md
    page = render_html([report, report])
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 3  # the comparison chart + one bar chart per report
    assert "conv2d.f32.ref" in page
    # Self-contained: no scripts, stylesheets, images or fonts from elsewhere.
    for needle in ("<script", "<link", "src=", "url(", "@import"):
        assert needle not in page
