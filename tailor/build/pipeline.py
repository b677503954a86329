"""`tailor build`: scan -> select per ABI -> codegen -> conan -> verify -> size report -> publish.

Every step is a plain function over typed data; `build()` wires them and reports progress through a `Progress`
(the CLI shows it with rich; tests pass a silent one). Nothing is written into `--out` until every ABI built,
verified and met its budget (see tailor/build/artifacts.py).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tailor import __version__
from tailor.abi import Abi, resolve_abi
from tailor.build.artifacts import Staging
from tailor.build.conan import Conan, ConanError, Package, PackageSpec, host_profile, log_tail
from tailor.catalog import Catalog, load_default_catalog
from tailor.codegen import write_registry
from tailor.doctor import check_runner, find_ndk, require_buildable
from tailor.errors import TailorError
from tailor.model import Model
from tailor.report import render_html, render_json, render_markdown
from tailor.scan import scan
from tailor.select import Selection, full_selection, select_units
from tailor.sizes import LibrarySizes, SizeReport, library_sizes, size_report, unit_infos
from tailor.verify import EnginePackage, ResultCache, Verification, require_ok, verify

SCHEMA = "tailor.build/1"
HOST_ABI = "linux-x86_64"
LIB = "libtailor_engine"
VERIFY_CACHE = ".tailor/verify"  # inside the Conan home: passing verification results


class Progress(Protocol):
    def step(self, text: str) -> AbstractContextManager[None]: ...
    def info(self, text: str) -> None: ...
    def warn(self, text: str) -> None: ...


class SilentProgress:
    def step(self, text: str) -> AbstractContextManager[None]:
        return nullcontext()

    def info(self, text: str) -> None:
        pass

    def warn(self, text: str) -> None:
        pass


@dataclass(frozen=True)
class BuildOptions:
    models: tuple[Path, ...]
    abis: tuple[str, ...]
    out: Path = Path("dist")
    static: bool = False
    ndk: Path | None = None
    verify: bool = True
    isa_fallbacks: bool = True  # False: no reference unit beside each AVX2 unit (tailor.select.select_units)
    budget_kib: float | None = None
    jobs: int | None = None
    conan_home: Path | None = None


@dataclass(frozen=True)
class PackageRef:
    """Where a Conan package came from: its id and whether this build compiled it."""

    ref: str
    package_id: str
    built: bool
    seconds: float

    @classmethod
    def of(cls, package: Package) -> PackageRef:
        return cls(package.full_ref, package.package_id, package.built, round(package.seconds, 3))

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "package_id": self.package_id, "built": self.built, "seconds": self.seconds}


@dataclass(frozen=True)
class AbiResult:
    abi: str
    selection: str
    units: tuple[str, ...]
    package: PackageRef
    full_package: PackageRef
    files: dict[str, str]  # role -> path relative to --out
    stripped_bytes: int
    unstripped_bytes: int
    full_stripped_bytes: int | None
    verification: Verification
    size_report: SizeReport = field(repr=False)

    @property
    def ratio(self) -> float | None:
        return self.size_report.ratio

    def to_json(self) -> dict[str, Any]:
        return {
            "abi": self.abi,
            "selection": self.selection,
            "units": list(self.units),
            "package": self.package.to_json(),
            "full_package": self.full_package.to_json(),
            "files": self.files,
            "stripped_bytes": self.stripped_bytes,
            "unstripped_bytes": self.unstripped_bytes,
            "full_stripped_bytes": self.full_stripped_bytes,
            "ratio": round(self.ratio, 6) if self.ratio is not None else None,
            "verification": self.verification.to_json(),
        }


@dataclass(frozen=True)
class ModelRef:
    path: str
    sha256: str


@dataclass(frozen=True)
class BuildResult:
    out: Path
    models: tuple[ModelRef, ...]
    abis: tuple[AbiResult, ...]
    reference: PackageRef | None  # the full host engine used for verification
    conan_home: Path
    seconds: float
    static: bool

    @property
    def cached(self) -> bool:
        """True when no compiler ran: every package was found in the Conan cache."""
        refs = [a.package for a in self.abis] + [a.full_package for a in self.abis]
        refs += [self.reference] if self.reference is not None else []
        return not any(r.built for r in refs)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "tailor_version": __version__,
            "out": str(self.out),
            "static": self.static,
            "models": [{"path": m.path, "sha256": m.sha256} for m in self.models],
            "abis": [a.to_json() for a in self.abis],
            "reference": self.reference.to_json() if self.reference is not None else None,
            "conan_home": str(self.conan_home),
            "cached": self.cached,
            "seconds": round(self.seconds, 3),
        }


# --- steps --------------------------------------------------------------------------------------------------


def resolve_abis(names: Sequence[str]) -> list[Abi]:
    if not names:
        raise TailorError(
            "no ABI given: pass --abi NAME (e.g. --abi linux-aarch64); `tailor doctor` lists them"
        )
    abis: list[Abi] = []
    for name in names:
        abi = resolve_abi(name)
        if abi not in abis:
            abis.append(abi)
    return abis


def select_all(
    models: Sequence[Model],
    catalog: Catalog,
    abis: Sequence[Abi],
    explain: Callable[[Selection], None] | None = None,
    isa_fallbacks: bool = True,
) -> dict[str, Selection]:
    """Select per ABI; TailorError listing every missing op/key (over all ABIs) if anything cannot be served.
    `explain` sees each selection first (for --explain)."""
    selections = {abi.name: select_units(models, catalog, abi, isa_fallbacks=isa_fallbacks) for abi in abis}
    if explain is not None:
        for selection in selections.values():
            explain(selection)
    missing: dict[str, list[str]] = {}
    for abi_name, selection in selections.items():
        for item in selection.missing:
            missing.setdefault(item.describe(), []).append(abi_name)
    if missing:
        all_abis = [a.name for a in abis]
        parts = [
            text if abis_of == all_abis else f"{text} (on {', '.join(abis_of)})"
            for text, abis_of in missing.items()
        ]
        raise TailorError(
            f"the engine catalog cannot serve {len(parts)} thing(s) the models need, nothing was "
            f"compiled: {'; '.join(parts)}"
        )
    return selections


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _copy_package(package: Path, dest: Path, *, runner: bool) -> None:
    """Copy what tailor needs out of a Conan package (so the cache lock can be released)."""
    for sub in ("lib", "include") + (("bin",) if runner else ()):
        if (package / sub).is_dir():
            shutil.copytree(package / sub, dest / sub, symlinks=True, dirs_exist_ok=True)


def _host_conf(abi: Abi, ndk: Path | None) -> dict[str, str]:
    if abi.is_android:
        path, _ = find_ndk(ndk)
        assert path is not None  # require_buildable checked it
        return {"tools.android:ndk_path": str(path)}
    return {}


@contextmanager
def _workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="tailor-build-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _create(conan: Conan, spec: PackageSpec, what: str, log_name: str, progress: Progress) -> Package:
    try:
        with progress.step(what):
            package = conan.create(spec, log_name=log_name)
    except ConanError as exc:
        if exc.log is not None:
            progress.warn(log_tail(exc.log))
        raise
    progress.info(
        f"{'compiled' if package.built else 'found in the Conan cache'}: package {package.package_id}"
    )
    return package


# --- the build ----------------------------------------------------------------------------------------------


def build(
    options: BuildOptions,
    progress: Progress | None = None,
    explain: Callable[[Selection], None] | None = None,
) -> BuildResult:
    """Build, verify and report every ABI of `options`; publish into `options.out` only when all succeeded."""
    progress = progress or SilentProgress()
    started = time.monotonic()
    abis = resolve_abis(options.abis)
    if not options.models:
        raise TailorError("no model given: pass --models a.nb [b.nb ...]")
    with progress.step("scanning models"):
        scanned = scan(list(options.models))
        catalog, warning = load_default_catalog()
    if warning:
        progress.warn(warning)
    with progress.step("selecting units"):
        selections = select_all(scanned.models, catalog, abis, explain, options.isa_fallbacks)
    require_buildable(abis, options.ndk)
    host = resolve_abi(HOST_ABI)
    verify_here = {abi.name: check_runner(abi) for abi in abis} if options.verify else {}
    need_reference = any(check.ok for check, _ in verify_here.values())
    if need_reference:
        require_buildable([host], None)
    model_paths = [Path(m.path) for m in scanned.models]
    units = unit_infos(catalog)

    conan = Conan(options.conan_home, jobs=options.jobs)
    staging = Staging(options.out)
    try:
        with _workdir() as work:
            # Registries (cheap, no lock needed: private to this build).
            registries: dict[str, tuple[Selection, Path]] = {}
            for abi in abis:
                selection = selections[abi.name]
                registries[abi.name] = (
                    selection,
                    write_registry(selection, catalog, work / abi.name / "registry").out_dir,
                )
                full = full_selection(catalog, abi)
                registries[abi.name + "/full"] = (
                    full,
                    write_registry(full, catalog, work / abi.name / "full-registry").out_dir,
                )
            if need_reference and host.name + "/full" not in registries:
                full = full_selection(catalog, host)
                registries[host.name + "/full"] = (
                    full,
                    write_registry(full, catalog, work / "host-full-registry").out_dir,
                )

            packages: dict[str, Package] = {}

            def waiting() -> None:
                progress.info(f"waiting for another tailor build to release the Conan cache {conan.home}")

            with conan.locked(on_wait=waiting):
                for abi in abis:
                    # The full engine first: it compiles every source the tailored one has (same flags), so
                    # with ccache the tailored build then recompiles little more than its registry.
                    profile = host_profile(abi.profile)
                    conf = _host_conf(abi, options.ndk)
                    full, reg = registries[abi.name + "/full"]
                    # Its runner is needed only when it is also the verification reference (the host ABI).
                    packages[abi.name + "/full"] = _create(
                        conan,
                        PackageSpec(profile, full.digest(), reg, runner=abi.name == host.name, conf=conf),
                        f"{abi.name}: full engine (size reference)",
                        f"{abi.name}-full",
                        progress,
                    )
                    _copy_package(
                        packages[abi.name + "/full"].folder, work / abi.name / "full-pkg", runner=True
                    )
                    sel, reg = registries[abi.name]
                    packages[abi.name] = _create(
                        conan,
                        PackageSpec(profile, sel.digest(), reg, static_lib=options.static, conf=conf),
                        f"{abi.name}: tailored engine ({len(sel.units)} units)",
                        f"{abi.name}-tailored",
                        progress,
                    )
                    _copy_package(packages[abi.name].folder, work / abi.name / "pkg", runner=True)
                if need_reference:
                    key = host.name + "/full"
                    if key not in packages:
                        full, reg = registries[key]
                        packages[key] = _create(
                            conan,
                            PackageSpec(host_profile(host.profile), full.digest(), reg),
                            "linux-x86_64: full engine (verification reference)",
                            "host-full",
                            progress,
                        )
                        _copy_package(packages[key].folder, work / host.name / "full-pkg", runner=True)

            reference = EnginePackage(work / host.name / "full-pkg", host) if need_reference else None
            reference_outputs: dict[str, Any] = {}
            results: list[AbiResult] = []
            for abi in abis:
                sel = selections[abi.name]
                pkg = work / abi.name / "pkg"
                if not options.verify:
                    verification = Verification(abi.name, "skipped", "--no-verify")
                else:
                    check, mode = verify_here[abi.name]
                    if not check.ok or reference is None:
                        verification = Verification(abi.name, "skipped", check.problem or "cannot run here")
                        progress.info(f"{abi.name}: not verified ({verification.reason})")
                    else:
                        with progress.step(f"{abi.name}: verifying {len(model_paths)} model(s) ({mode})"):
                            verification = verify(
                                abi,
                                mode,
                                EnginePackage(pkg, abi),
                                reference,
                                model_paths,
                                work / "verify",
                                reference_outputs,
                                ResultCache(conan.home / VERIFY_CACHE),
                            )
                        require_ok(verification)
                with progress.step(f"{abi.name}: size report"):
                    result = _assemble_abi(
                        abi,
                        sel,
                        packages,
                        registries,
                        work,
                        staging,
                        units,
                        model_paths,
                        verification,
                        options,
                    )
                results.append(result)
            _check_budgets(results, options.budget_kib)
            ref_pkg = packages.get(host.name + "/full") if need_reference else None
            build_result = BuildResult(
                out=staging.out,
                models=tuple(ModelRef(str(p), _sha256(p)) for p in model_paths),
                abis=tuple(results),
                reference=PackageRef.of(ref_pkg) if ref_pkg else None,
                conan_home=conan.home,
                seconds=time.monotonic() - started,
                static=options.static,
            )
            (staging.root / "build.json").write_text(json.dumps(build_result.to_json(), indent=2) + "\n")
            # Every ABI of this build on one page / in one PR comment.
            reports = [r.size_report for r in results]
            (staging.root / "size-report.md").write_text(render_markdown(reports))
            (staging.root / "size-report.html").write_text(render_html(reports))
            with progress.step(f"writing {staging.out}"):
                staging.publish(
                    [a.abi for a in results], ["build.json", "size-report.md", "size-report.html"]
                )
            return build_result
    finally:
        if not staging.published:
            staging.discard()


def _assemble_abi(
    abi: Abi,
    sel: Selection,
    packages: dict[str, Package],
    registries: dict[str, tuple[Selection, Path]],
    work: Path,
    staging: Staging,
    units: Any,
    models: Sequence[Path],
    verification: Verification,
    options: BuildOptions,
) -> AbiResult:
    pkg = work / abi.name / "pkg"
    full_pkg = work / abi.name / "full-pkg"
    dest = staging.abi_dir(abi.name)
    files: dict[str, str] = {}
    lib_dest = dest / "lib"
    (lib_dest / "unstripped").mkdir(parents=True, exist_ok=True)
    so = f"{LIB}.so"
    shutil.copy2(pkg / "lib" / so, lib_dest / so)
    shutil.copy2(pkg / "lib" / "unstripped" / so, lib_dest / "unstripped" / so)
    files["library"] = f"{abi.name}/lib/{so}"
    files["unstripped_library"] = f"{abi.name}/lib/unstripped/{so}"
    if options.static:
        shutil.copy2(pkg / "lib" / f"{LIB}.a", lib_dest / f"{LIB}.a")
        files["static_library"] = f"{abi.name}/lib/{LIB}.a"
    shutil.copytree(pkg / "include", dest / "include", dirs_exist_ok=True)
    files["include"] = f"{abi.name}/include"

    tailored: LibrarySizes = library_sizes(
        lib_dest / "unstripped" / so, lib_dest / so, units, display_path=files["library"]
    )
    full_sizes = library_sizes(
        full_pkg / "lib" / "unstripped" / so,
        full_pkg / "lib" / so,
        units,
        display_path=f"(full engine) {abi.name}/lib/{so}",
    )
    full_sel = registries[abi.name + "/full"][0]
    report = size_report(
        abi.name,
        sel.digest(),
        sel.unit_names,
        [str(m) for m in models],
        tailored,
        full_sizes,
        full_sel.digest(),
    )
    (dest / "size-report.json").write_text(render_json(report))
    (dest / "size-report.md").write_text(render_markdown([report], f"tailor size report: {abi.name}"))
    (dest / "size-report.html").write_text(render_html([report], f"tailor size report: {abi.name}"))
    for ext in ("json", "md", "html"):
        files[f"size_report_{ext}"] = f"{abi.name}/size-report.{ext}"
    return AbiResult(
        abi=abi.name,
        selection=sel.digest(),
        units=sel.unit_names,
        package=PackageRef.of(packages[abi.name]),
        full_package=PackageRef.of(packages[abi.name + "/full"]),
        files=files,
        stripped_bytes=tailored.stripped_bytes,
        unstripped_bytes=tailored.unstripped_bytes,
        full_stripped_bytes=full_sizes.stripped_bytes,
        verification=verification,
        size_report=report,
    )


def _check_budgets(results: Sequence[AbiResult], budget_kib: float | None) -> None:
    if budget_kib is None:
        return
    limit = budget_kib * 1024
    over = [
        f"{r.abi}: {LIB}.so is {r.stripped_bytes / 1024:.1f} KiB stripped"
        for r in results
        if r.stripped_bytes > limit
    ]
    if over:
        raise TailorError(
            f"over the size budget of {budget_kib:g} KiB: {'; '.join(over)} (nothing was written)"
        )
