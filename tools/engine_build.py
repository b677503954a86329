#!/usr/bin/env python3
"""Build the FULL tailor engine (every unit an ABI can build) plus `tailor-run`, cached and incremental.

    python tools/engine_build.py --abi linux-x86_64 [--abi linux-aarch64 ...] [--jobs 2] [--json]

What it does for one ABI:
1. computes a key: sha256 over the engine sources (engine/CMakeLists.txt, cmake/, include/, src/, tools/,
   catalog.toml, catalog.parts/), the code generator (tailor/*.py, templates/), the ABI and the build options;
2. if `<cache>/<abi>/stamp.json` holds that key and the artifacts exist: done, nothing runs;
3. otherwise writes the full registry (`tailor codegen --full`, in process: the catalog is
   engine/catalog.toml,
   or the merged engine/catalog.parts/*.toml when catalog.toml is missing or stale -- exactly what
   `tailor.catalog.load_default_catalog()` gives every other tool), configures CMake once (Ninja when
   present, Release, the ABI's toolchain file from engine/cmake/toolchains/ for cross ABIs) and runs
   `cmake --build` on the same build directory, so only what changed recompiles (ccache, when installed,
   is used by engine/CMakeLists.txt itself).

The cache directory is `$TAILOR_ENGINE_BUILD_CACHE`, else `<repo>/.tailor-cache/engine-builds` (git-ignored).
The build directory per ABI is reused across keys on purpose: the key only decides whether to run the
build at all. A per-ABI file lock makes concurrent callers (two pytest sessions) wait for each other.

Library use (tests/engine/conftest.py):

    from tools.engine_build import build_engine, unavailable_reason
    reason = unavailable_reason("linux-aarch64")     # None when compilers (and qemu) are present
    b = build_engine("linux-aarch64")        # EngineBuild(runner=..., run_prefix=(qemu-aarch64, -L, ...))
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "engine"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ABIS = ("linux-x86_64", "linux-aarch64", "linux-armv7hf")
STAMP_VERSION = 1

# What feeds the build (relative to the repository root). Directories are walked recursively.
_KEY_INPUTS = (
    "engine/CMakeLists.txt",
    "engine/cmake",
    "engine/include",
    "engine/src",
    "engine/tools",
    "engine/catalog.toml",
    "engine/catalog.parts",
    "templates",
    "tailor",
)
_KEY_SUFFIXES = {".cc", ".h", ".hpp", ".inl", ".inc", ".c", ".txt", ".cmake", ".map", ".toml", ".py", ".j2"}


class EngineBuildError(RuntimeError):
    """The engine could not be generated, configured or built; the message ends with the log's tail."""


@dataclass(frozen=True)
class EngineBuild:
    abi: str
    key: str
    build_dir: Path  # the CMake build directory
    registry_dir: Path  # registry.cc, units.cmake, selection.digest
    runner: Path  # tailor-run
    library: Path  # libtailor_engine.so
    run_prefix: tuple[str, ...]  # () natively, (qemu-aarch64, -L, sysroot) for ARM
    units: tuple[str, ...]  # the units of the full selection, catalog order
    rebuilt: bool  # False: the stamp matched and nothing ran
    seconds: float
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    def command(self, *args: str | os.PathLike[str]) -> list[str]:
        """The argv that runs tailor-run with `args` on this host (under qemu for ARM ABIs)."""
        return [*self.run_prefix, str(self.runner), *(str(a) for a in args)]

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        for k, v in data.items():
            if isinstance(v, Path):
                data[k] = str(v)
        return data


def cache_root() -> Path:
    env = os.environ.get("TAILOR_ENGINE_BUILD_CACHE")
    return Path(env).expanduser().resolve() if env else ROOT / ".tailor-cache" / "engine-builds"


def _abi(name: str):  # -> tailor.abi.Abi (imported lazily: keeps `--help` fast)
    from tailor.abi import resolve_abi

    abi = resolve_abi(name)
    if abi.name not in ABIS:
        raise EngineBuildError(f"{abi.name}: engine_build handles {', '.join(ABIS)} only")
    return abi


def toolchain_file(abi_name: str) -> Path | None:
    """engine/cmake/toolchains/<abi-without-linux->.cmake (or <abi>.cmake) for cross ABIs; None natively."""
    abi = _abi(abi_name)
    if abi.native:
        return None
    short = abi.name.removeprefix("linux-")
    for candidate in (
        ENGINE / "cmake" / "toolchains" / f"{abi.name}.cmake",
        ENGINE / "cmake" / "toolchains" / f"{short}.cmake",
    ):
        if candidate.is_file():
            return candidate
    return None


def unavailable_reason(abi_name: str) -> str | None:
    """Why this host cannot build *and run* the ABI's engine (missing compiler, emulator, sysroot or
    toolchain file), or None."""
    abi = _abi(abi_name)
    missing = [tool for tool in ("cmake", abi.cxx_compiler) if shutil.which(tool) is None]
    if not abi.native:
        if abi.qemu is None or shutil.which(abi.qemu) is None:
            missing.append(abi.qemu or "qemu")
        if abi.sysroot and not Path(abi.sysroot).is_dir():
            missing.append(f"sysroot {abi.sysroot}")
        if toolchain_file(abi.name) is None:
            missing.append(f"toolchain file engine/cmake/toolchains/{abi.name.removeprefix('linux-')}.cmake")
    if not missing:
        return None
    hint = f" (Debian packages: {' '.join(abi.package_hints)}; scripts/setup.sh installs them)"
    return f"{abi.name}: missing {', '.join(missing)}{hint if abi.package_hints else ''}"


def _iter_key_files() -> Iterator[Path]:
    for rel in _KEY_INPUTS:
        path = ROOT / rel
        if path.is_file():
            yield path
        elif path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and p.suffix in _KEY_SUFFIXES and "__pycache__" not in p.parts:
                    yield p


def _configure_args(abi_name: str, registry: Path, build_type: str) -> list[str]:
    args = [
        f"-DCMAKE_BUILD_TYPE={build_type}",
        f"-DTAILOR_REGISTRY_DIR={registry}",
        "-DTAILOR_BUILD_RUNNER=ON",
        "-DTAILOR_SHARED=ON",
        "-DTAILOR_STATIC=OFF",
        # Declares the core test target (built only on demand by build_target, sharing the objects).
        "-DTAILOR_BUILD_TESTS=ON",
    ]
    # The two ways a unity build can hide a bug, each checked on one side: natively every file compiles
    # alone (a missing #include shows), cross builds compile all files as one (any two files defining
    # the same name collide). Tailored builds use batches of 16, whose grouping depends on the selection.
    if abi_name == "linux-x86_64":
        args.append("-DTAILOR_UNITY_BUILD=OFF")
    else:
        args += ["-DTAILOR_UNITY_BUILD=ON", "-DTAILOR_UNITY_BATCH_SIZE=0"]
    tc = toolchain_file(abi_name)
    if tc is not None:
        args.append(f"-DCMAKE_TOOLCHAIN_FILE={tc}")
    if shutil.which("ninja"):
        args[:0] = ["-G", "Ninja"]
    return args


def source_key(abi_name: str, build_type: str = "Release") -> str:
    """The cache key: engine sources + generator + catalog + ABI + build options."""
    h = hashlib.sha256()
    h.update(json.dumps({"v": STAMP_VERSION, "abi": abi_name, "build_type": build_type}).encode())
    for path in _iter_key_files():
        h.update(str(path.relative_to(ROOT)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run_logged(cmd: Sequence[str], log: Path, env: dict[str, str], what: str) -> None:
    with open(log, "ab") as fh:
        fh.write(f"\n$ {' '.join(cmd)}\n".encode())
        fh.flush()
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-60:]
        raise EngineBuildError(f"{what} failed (exit {proc.returncode}); {log}:\n" + "\n".join(tail))


def _write_registry(abi_name: str, out: Path) -> tuple[str, ...]:
    from tailor.catalog import load_default_catalog
    from tailor.codegen import write_registry
    from tailor.select import full_selection

    catalog, _note = load_default_catalog()
    selection = full_selection(catalog, _abi(abi_name))
    write_registry(selection, catalog, out)
    return selection.unit_names


def build_engine(
    abi_name: str,
    *,
    cache_dir: Path | None = None,
    jobs: int = 2,
    build_type: str = "Release",
    force: bool = False,
    verbose: bool = False,
) -> EngineBuild:
    """Build (or reuse) the full engine and tailor-run for `abi_name`; raises EngineBuildError."""
    abi = _abi(abi_name)
    reason = unavailable_reason(abi.name)
    if reason is not None:
        raise EngineBuildError(f"cannot build: {reason}")
    root = (cache_dir or cache_root()) / abi.name
    build_dir = root / "build"
    registry = root / "registry"
    stamp = root / "stamp.json"
    log = root / "build.log"
    runner = build_dir / "tailor-run"
    library = build_dir / "libtailor_engine.so"
    run_prefix = tuple(abi.run_prefix())
    t0 = time.monotonic()
    with _locked(root.parent / f"{abi.name}.lock"):
        key = source_key(abi.name, build_type)
        if not force and stamp.is_file() and runner.is_file() and library.is_file():
            try:
                data = json.loads(stamp.read_text())
            except ValueError:
                data = {}
            if data.get("key") == key:
                return EngineBuild(
                    abi.name,
                    key,
                    build_dir,
                    registry,
                    runner,
                    library,
                    run_prefix,
                    tuple(data.get("units", ())),
                    False,
                    time.monotonic() - t0,
                    log,
                )
        root.mkdir(parents=True, exist_ok=True)
        log.write_text(f"engine_build {abi.name} key {key}\n")
        stamp.unlink(missing_ok=True)
        try:
            units = _write_registry(abi.name, registry)
        except Exception as exc:  # TailorError, CatalogError, jinja errors: all are build failures here
            raise EngineBuildError(f"{abi.name}: codegen --full failed: {exc}") from exc
        env = dict(os.environ)
        env.setdefault("CCACHE_BASEDIR", str(ROOT))
        env.setdefault("CCACHE_NOHASHDIR", "1")
        configure = [
            "cmake",
            "-S",
            str(ENGINE),
            "-B",
            str(build_dir),
            *_configure_args(abi.name, registry, build_type),
        ]
        configured = root / "configure.json"
        want = json.dumps(configure)
        if (
            force
            or not (build_dir / "CMakeCache.txt").is_file()
            or (not configured.is_file() or configured.read_text() != want)
        ):
            configured.unlink(missing_ok=True)
            try:
                # re-configuring in place keeps the objects; new -D values simply replace the cached ones
                _run_logged(configure, log, env, f"{abi.name}: cmake configure")
            except EngineBuildError:
                if not (build_dir / "CMakeCache.txt").is_file():
                    raise
                # e.g. the generator or toolchain changed: start clean (ccache keeps the recompile cheap)
                shutil.rmtree(build_dir)
                _run_logged(configure, log, env, f"{abi.name}: cmake configure (clean)")
            configured.write_text(want)
        build = [
            "cmake",
            "--build",
            str(build_dir),
            "-j",
            str(jobs),
            "--target",
            "tailor-run",
            "tailor_engine",
        ]
        if verbose:
            build.append("-v")
        _run_logged(build, log, env, f"{abi.name}: cmake --build")
        for artifact in (runner, library):
            if not artifact.is_file():
                raise EngineBuildError(f"{abi.name}: the build did not produce {artifact}")
        stamp.write_text(json.dumps({"key": key, "units": list(units), "abi": abi.name}, indent=1) + "\n")
        return EngineBuild(
            abi.name,
            key,
            build_dir,
            registry,
            runner,
            library,
            run_prefix,
            units,
            True,
            time.monotonic() - t0,
            log,
        )


def build_target(build: EngineBuild, target: str, *, jobs: int = 2) -> Path:
    """Build one more target of `build`'s CMake tree (e.g. `tailor_core_tests`, which reuses the engine's
    objects) and return its path; raises EngineBuildError."""
    log = build.build_dir.parent / f"build-{target}.log"
    log.write_text(f"engine_build {build.abi} target {target}\n")
    with _locked(build.build_dir.parent.parent / f"{build.abi}.lock"):
        _run_logged(
            ["cmake", "--build", str(build.build_dir), "-j", str(jobs), "--target", target],
            log,
            dict(os.environ, CCACHE_BASEDIR=os.environ.get("CCACHE_BASEDIR", str(ROOT))),
            f"{build.abi}: cmake --build --target {target}",
        )
    path = build.build_dir / target
    if not path.is_file():
        raise EngineBuildError(f"{build.abi}: the build did not produce {path}")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--abi", action="append", help=f"ABI to build (repeatable; default all: {', '.join(ABIS)})"
    )
    parser.add_argument("--jobs", "-j", type=int, default=int(os.environ.get("JOBS", "2")))
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="cache root (default: $TAILOR_ENGINE_BUILD_CACHE or .tailor-cache/engine-builds)",
    )
    parser.add_argument("--build-type", default="Release")
    parser.add_argument("--force", action="store_true", help="rebuild even if the stamp matches")
    parser.add_argument(
        "--skip-unavailable",
        action="store_true",
        help="skip ABIs whose compilers/qemu are missing instead of failing",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per ABI")
    args = parser.parse_args(argv)
    status = 0
    for name in args.abi or ABIS:
        if args.skip_unavailable and (reason := unavailable_reason(name)):
            print(f"skip {reason}", file=sys.stderr)
            continue
        try:
            b = build_engine(
                name, cache_dir=args.cache_dir, jobs=args.jobs, build_type=args.build_type, force=args.force
            )
        except EngineBuildError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        if args.json:
            print(json.dumps(b.to_json()))
        else:
            state = "built" if b.rebuilt else "up to date"
            print(f"{b.abi}: {state} in {b.seconds:.1f}s, {len(b.units)} units -> {b.runner}")
    return status


if __name__ == "__main__":
    sys.exit(main())
