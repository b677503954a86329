"""End to end `tailor build` (slow: compiles the engine with Conan, runs it natively and under qemu).

All tests share one Conan home per session (a temporary directory, or `$TAILOR_TEST_CONAN_HOME` to reuse a
warm one between runs), so the packages the first build compiles are cache hits for the later ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tailor.abi import resolve_abi
from tailor.build import BuildOptions, BuildResult, build
from tailor.build.conan import Conan, Package, PackageSpec, host_profile
from tailor.catalog import load_default_catalog
from tailor.codegen import write_registry
from tailor.scan import scan
from tailor.select import full_selection, select_units
from tailor.sizes import ATTRIBUTED_SECTIONS, validate_report
from tailor.verify import EnginePackage, VerificationError, require_ok, verify

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
OPS = REPO / "tests" / "fixtures" / "ops"
MODEL = OPS / "conv2d_relu6" / "model_arm.nb"
OTHER_MODEL = OPS / "pool2d_max_2x2_s2" / "model_arm.nb"
EXAMPLE = REPO / "examples" / "mobilenet_v1_x0_25_arm.nb"
ABIS = ("linux-x86_64", "linux-aarch64")
MACHINES = {"linux-x86_64": b"\x3e\x00", "linux-aarch64": b"\xb7\x00"}  # e_machine, little endian


def _have_tools() -> bool:
    return all(shutil.which(t) for t in ("g++", "aarch64-linux-gnu-g++", "qemu-aarch64", "cmake"))


if not _have_tools():  # pragma: no cover - CI has them (scripts/setup.sh installs them)
    pytest.skip("needs g++, aarch64-linux-gnu-g++, qemu-aarch64 and cmake", allow_module_level=True)


@pytest.fixture(scope="module")
def conan_home() -> Iterator[Path]:
    fixed = os.environ.get("TAILOR_TEST_CONAN_HOME")
    if fixed:
        yield Path(fixed)
        return
    tmp = Path(tempfile.mkdtemp(prefix="tailor-test-conan-"))
    try:
        yield tmp / "conan"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def first(conan_home: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("first") / "dist"
    return build(BuildOptions(models=(MODEL,), abis=ABIS, out=out, static=True, conan_home=conan_home))


def _elf_machine(path: Path) -> bytes:
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", path
    return data[18:20]


def test_build_artifacts(first: BuildResult) -> None:
    out = first.out
    summary = json.loads((out / "build.json").read_text())
    assert summary["schema"] == "tailor.build/1"
    assert [a["abi"] for a in summary["abis"]] == list(ABIS)
    for result in first.abis:
        root = out / result.abi
        lib = root / "lib" / "libtailor_engine.so"
        unstripped = root / "lib" / "unstripped" / "libtailor_engine.so"
        static = root / "lib" / "libtailor_engine.a"
        assert lib.is_file() and unstripped.is_file() and static.is_file()
        assert (root / "include" / "tailor" / "tailor.h").is_file()
        assert _elf_machine(lib) == MACHINES[result.abi]
        assert lib.stat().st_size == result.stripped_bytes < unstripped.stat().st_size
        assert static.read_bytes().startswith(b"!<arch>\n")
        for ext in ("json", "md", "html"):
            assert (root / f"size-report.{ext}").is_file()
        # Verified against the full host engine: natively on x86_64, under qemu for aarch64.
        v = result.verification
        assert v.mode == ("native" if result.abi == "linux-x86_64" else "qemu")
        assert v.ok and len(v.checks) == 1 and v.checks[0].outputs >= 1
        assert "core" in result.units and any(u.startswith("conv2d.") for u in result.units)
        assert result.full_stripped_bytes is not None and result.stripped_bytes < result.full_stripped_bytes
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".tailor-staging-")]
    page = (out / "size-report.html").read_text()
    assert all(abi in page for abi in ABIS)
    assert all(f"`{abi}`" in (out / "size-report.md").read_text() for abi in ABIS)


def test_size_reports(first: BuildResult) -> None:
    for result in first.abis:
        data = json.loads((first.out / result.abi / "size-report.json").read_text())
        assert validate_report(data) == [], result.abi
        assert data["ratio"] is not None and 0 < data["ratio"] < 1
        for lib in (data["tailored"], data["full"]):
            sections: dict[str, int] = {}
            for s in lib["sections"]:
                sections[s["name"]] = sections.get(s["name"], 0) + s["size"]
            for name in ATTRIBUTED_SECTIONS:
                attributed = sum(a["sections"].get(name, 0) for a in lib["attribution"])
                assert attributed <= sections.get(name, 0), (result.abi, name)
            units = {a["unit"] for a in lib["attribution"]}
            assert "core" in units
            # The C API is all the library exports.
            assert lib["exported_symbols"] and all(s.startswith("tailor_") for s in lib["exported_symbols"])
        tailored_units = {a["unit"] for a in data["tailored"]["attribution"]}
        assert any(u.startswith("conv2d.") for u in tailored_units), tailored_units
        # toolchains/: 16 KB pages on aarch64 (no 64 KB file padding), the 4 KB default on x86_64.
        page = {"linux-x86_64": 4096, "linux-aarch64": 16384}[result.abi]
        assert data["tailored"]["load_alignment"] == page


def test_second_build_is_a_cache_hit(first: BuildResult, conan_home: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    again = build(
        BuildOptions(models=(MODEL,), abis=ABIS, out=tmp_path / "dist", static=True, conan_home=conan_home)
    )
    elapsed = time.monotonic() - started
    print(f"warm build: {elapsed:.2f} s")
    assert again.cached, "a compiler ran for an identical build"
    assert all(not a.package.built and not a.full_package.built for a in again.abis)
    assert json.loads((again.out / "build.json").read_text())["cached"] is True
    for a, b in zip(first.abis, again.abis, strict=True):
        assert a.package.package_id == b.package.package_id
        for rel in (
            "lib/libtailor_engine.so",
            "lib/unstripped/libtailor_engine.so",
            "lib/libtailor_engine.a",
        ):
            assert (first.out / a.abi / rel).read_bytes() == (again.out / b.abi / rel).read_bytes(), rel
        assert all("(cached)" in c.message for c in b.verification.checks)
    assert elapsed < 60  # the ≤ 5 s target is measured by benchmarks/bench_build.py on a quiet machine


def test_concurrent_builds_of_a_new_selection(first: BuildResult, conan_home: Path, tmp_path: Path) -> None:
    """Two `tailor build` processes at once, for a selection not built yet: both succeed, same bytes; and a
    different selection has a different package id."""
    procs = []
    for i in range(2):
        cmd = [sys.executable, "-m", "tailor", "build", "--models", str(OTHER_MODEL), "--abi", "linux-x86_64",
               "--out", str(tmp_path / f"dist{i}"), "--conan-home", str(conan_home), "--json"]  # fmt: skip
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=3600)
        assert proc.returncode == 0, stderr
        results.append(json.loads(stdout))
    ids = {r["abis"][0]["package"]["package_id"] for r in results}
    assert len(ids) == 1
    assert [r["abis"][0]["package"]["built"] for r in results].count(True) <= 1
    lib = "linux-x86_64/lib/libtailor_engine.so"
    assert (tmp_path / "dist0" / lib).read_bytes() == (tmp_path / "dist1" / lib).read_bytes()
    first_x86 = next(a for a in first.abis if a.abi == "linux-x86_64")
    assert results[0]["abis"][0]["selection"] != first_x86.selection
    assert ids.pop() != first_x86.package.package_id


def test_budget_failure_writes_nothing(first: BuildResult, conan_home: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tailor.cli import app

    out = tmp_path / "dist"
    (out / "linux-x86_64").mkdir(parents=True)
    (out / "linux-x86_64" / "previous.txt").write_text("keep")
    args = ["build", "--models", str(MODEL), "--abi", "linux-x86_64", "--out", str(out), "--budget", "1",
            "--conan-home", str(conan_home)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "over the size budget of 1 KiB" in result.output
    assert sorted(p.name for p in out.rglob("*")) == ["linux-x86_64", "previous.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tailor-staging-")]


def _package(
    conan: Conan,
    abi_name: str,
    models: list[Path] | None,
    work: Path,
    static: bool = False,
    isa_fallbacks: bool = True,
) -> Package:
    catalog, _ = load_default_catalog()
    abi = resolve_abi(abi_name)
    if models is None:
        selection = full_selection(catalog, abi)
    else:
        selection = select_units(scan(models).models, catalog, abi, isa_fallbacks=isa_fallbacks)
    registry = write_registry(selection, catalog, work / f"{abi_name}-{selection.digest()[:12]}").out_dir
    with conan.locked():
        spec = PackageSpec(host_profile(abi.profile), selection.digest(), registry, static_lib=static)
        return conan.create(spec, log_name="test")


@pytest.mark.skipif(not (shutil.which("gcc") and shutil.which("g++")), reason="gcc/g++ not installed")
def test_static_library_links_without_lto(first: BuildResult, tmp_path: Path) -> None:
    """The shared library is link-time optimized, but libtailor_engine.a holds real machine code ("fat"
    objects), so a plain, non-LTO link of a C program against it works and the program loads a model."""
    root = first.out / "linux-x86_64"
    (tmp_path / "main.c").write_text(
        '#include <stdio.h>\n#include "tailor/tailor.h"\n'
        "int main(int argc, char** argv) {\n"
        "  tailor_model* m = 0;\n"
        "  if (argc < 2 || tailor_model_load_file(argv[1], &m) != TAILOR_OK) return 1;\n"
        '  printf("%s\\n", tailor_version());\n'
        "  tailor_model_release(m);\n"
        "  return 0;\n"
        "}\n"
    )
    exe, obj = tmp_path / "app", tmp_path / "main.o"
    cc = subprocess.run(
        ["gcc", "-c", "-I", str(root / "include"), str(tmp_path / "main.c"), "-o", str(obj)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert cc.returncode == 0, cc.stderr[-3000:]
    link = subprocess.run(
        ["g++", "-fno-lto", str(obj), str(root / "lib" / "libtailor_engine.a"), "-o", str(exe)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert link.returncode == 0, link.stderr[-3000:]
    run = subprocess.run([str(exe), str(MODEL)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip(), (run.returncode, run.stderr)


def test_missing_kernel_fails_verification(first: BuildResult, conan_home: Path, tmp_path: Path) -> None:
    """The tailored engine of one model cannot load another that needs other kernels: a clear failure."""
    conan = Conan(conan_home)
    host = resolve_abi("linux-x86_64")
    tailored = _package(conan, "linux-x86_64", [MODEL], tmp_path, static=True)
    reference = _package(conan, "linux-x86_64", None, tmp_path)
    assert not tailored.built and not reference.built  # built by the first build
    engines = EnginePackage(tailored.folder, host), EnginePackage(reference.folder, host)
    result = verify(host, "native", *engines, [OTHER_MODEL], tmp_path / "verify")
    assert not result.ok
    assert "the tailored engine cannot run it" in result.checks[0].message
    with pytest.raises(VerificationError, match=r"linux-x86_64: verification failed: .*pool2d_max_2x2_s2"):
        require_ok(result)


def test_rebuild_in_another_home_is_byte_identical(
    first: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproducible: the same package compiled again (without ccache) in a different Conan home, so in other
    directories, gives the same library bytes."""
    monkeypatch.setenv("CCACHE_DISABLE", "1")
    conan = Conan(tmp_path / "other-home")
    package = _package(conan, "linux-x86_64", [MODEL], tmp_path, static=True)
    assert package.built
    first_x86 = next(a for a in first.abis if a.abi == "linux-x86_64")
    assert package.package_id == first_x86.package.package_id
    for rel in ("lib/libtailor_engine.so", "lib/unstripped/libtailor_engine.so"):
        assert (package.folder / rel).read_bytes() == (first.out / "linux-x86_64" / rel).read_bytes(), rel


def test_no_isa_fallbacks(first: BuildResult, conan_home: Path, tmp_path: Path) -> None:
    """--no-isa-fallbacks: the x86_64 library has the AVX2 kernels only, is smaller, still verifies on this
    (AVX2) machine, and on a CPU without AVX2 (simulated by TAILOR_DISABLE_SIMD=1) refuses the model saying
    why, instead of crashing."""
    lean = build(
        BuildOptions(
            models=(MODEL,), abis=("linux-x86_64",), out=tmp_path / "dist", verify=True,
            isa_fallbacks=False, conan_home=conan_home,
        )
    )  # fmt: skip
    default = next(r for r in first.abis if r.abi == "linux-x86_64")
    (result,) = lean.abis
    assert result.verification.ok
    assert any(u.endswith(".avx2") for u in result.units)
    assert set(result.units) < set(default.units)  # the reference conv2d/fallbacks are gone
    assert result.stripped_bytes < default.stripped_bytes
    package = _package(Conan(conan_home), "linux-x86_64", [MODEL], tmp_path / "reg", isa_fallbacks=False)
    assert not package.built  # the build above made it
    runner = EnginePackage(package.folder, resolve_abi("linux-x86_64")).runner
    env = {**os.environ, "TAILOR_DISABLE_SIMD": "1"}
    proc = subprocess.run([str(runner), str(MODEL)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode != 0 and proc.returncode < 128, (proc.returncode, proc.stderr)
    message = proc.stdout + proc.stderr
    assert "AVX2+FMA kernels" in message and "no reference fallback" in message, message
    # The same library runs the model when the CPU's AVX2 is visible.
    ok = subprocess.run([str(runner), str(MODEL)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
