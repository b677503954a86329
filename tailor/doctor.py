"""What this machine can build and run: per ABI, the compiler (or Android NDK), the emulator, what to install.

`tailor build` uses the same checks before it compiles anything, so that a missing tool is one line naming it
and how to get it (`linux-aarch64: aarch64-linux-gnu-g++ not found — apt-get install g++-aarch64-linux-gnu`),
never a
CMake log.
"""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tailor.abi import ABIS, Abi
from tailor.errors import TailorError

SCHEMA = "tailor.doctor/1"
NDK_ENV = ("ANDROID_NDK_HOME", "ANDROID_NDK_ROOT")
NDK_DOWNLOAD = "https://developer.android.com/ndk/downloads"
NDK_HOST_TAG = "linux-x86_64"


class MissingToolError(TailorError):
    """A compiler, emulator or NDK that a build needs is not installed."""


@dataclass(frozen=True)
class Check:
    """One requirement: `ok`, what was found (a path) or the one-line problem with how to fix it."""

    what: str  # e.g. "compiler", "emulator", "ndk"
    ok: bool
    found: str | None
    problem: str | None = None
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "ok": self.ok,
            "found": self.found,
            "problem": self.problem,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class AbiStatus:
    abi: str
    can_build: bool
    can_run: bool
    run_mode: str  # "native" | "qemu" | "none"
    checks: tuple[Check, ...]

    @property
    def install(self) -> list[str]:
        return [c.fix for c in self.checks if not c.ok and c.fix]

    def to_json(self) -> dict[str, Any]:
        return {
            "abi": self.abi,
            "can_build": self.can_build,
            "can_run": self.can_run,
            "run_mode": self.run_mode,
            "checks": [c.to_json() for c in self.checks],
            "install": self.install,
        }


@dataclass(frozen=True)
class DoctorReport:
    host: str
    tools: tuple[Check, ...]  # cmake, strip, ... needed by every build
    abis: tuple[AbiStatus, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "host": self.host,
            "tools": [t.to_json() for t in self.tools],
            "abis": [a.to_json() for a in self.abis],
        }


# --- Android NDK --------------------------------------------------------------------------------------------


def find_ndk(explicit: str | Path | None = None) -> tuple[Path | None, str]:
    """The NDK to use: `explicit` (--ndk), else $ANDROID_NDK_HOME, else $ANDROID_NDK_ROOT. Returns the path
    (or None) and where it came from."""
    if explicit:
        return Path(explicit).expanduser().resolve(), "--ndk"
    for var in NDK_ENV:
        value = os.environ.get(var)
        if value:
            return Path(value).expanduser().resolve(), f"${var}"
    return None, ""


def ndk_clang(ndk: Path, abi: Abi) -> Path:
    return ndk / "toolchains" / "llvm" / "prebuilt" / NDK_HOST_TAG / "bin" / abi.cxx_compiler


def check_ndk(abi: Abi, explicit: str | Path | None = None) -> Check:
    ndk, source = find_ndk(explicit)
    fix = f"pass --ndk PATH or set ANDROID_NDK_HOME to an Android NDK (r23 or newer, {NDK_DOWNLOAD})"
    if ndk is None:
        return Check("ndk", False, None, f"{abi.name}: no Android NDK given — {fix}", fix)
    if not (ndk / "build" / "cmake" / "android.toolchain.cmake").is_file():
        problem = f"{abi.name}: {ndk} (from {source}) is not an Android NDK "
        problem += " (no build/cmake/android.toolchain.cmake)"
        return Check("ndk", False, None, f"{problem} — {fix}", fix)
    clang = ndk_clang(ndk, abi)
    if not clang.exists():
        return Check(
            "ndk", False, None, f"{abi.name}: {clang.name} not found in the NDK at {ndk} — {fix}", fix
        )
    return Check("ndk", True, str(ndk))


# --- per-ABI checks -----------------------------------------------------------------------------------------


def _apt(packages: Sequence[str]) -> str | None:
    return f"apt-get install {' '.join(packages)}" if packages else None


def check_compiler(abi: Abi, ndk: str | Path | None = None) -> Check:
    if abi.is_android:
        return check_ndk(abi, ndk)
    path = shutil.which(abi.cxx_compiler)
    if path:
        return Check("compiler", True, path)
    packages = [p for p in abi.package_hints if not p.startswith("qemu")]
    fix = _apt(packages) or f"install {abi.cxx_compiler}"
    return Check("compiler", False, None, f"{abi.name}: {abi.cxx_compiler} not found — {fix}", fix)


def host_arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def check_runner(abi: Abi) -> tuple[Check, str]:
    """Whether binaries for `abi` run here, and how ("native" | "qemu" | "none")."""
    if abi.is_android:
        return Check(
            "emulator", False, None, f"{abi.name}: Android binaries cannot run on this host", None
        ), "none"
    if abi.native:
        if platform.system() == "Linux" and host_arch() == "x86_64":
            return Check("emulator", True, "native"), "native"
        return Check("emulator", False, None, f"{abi.name}: this host is not x86_64 Linux", None), "none"
    if abi.qemu is None:
        return Check("emulator", False, None, f"{abi.name}: no emulator known", None), "none"
    path = shutil.which(abi.qemu)
    packages = [p for p in abi.package_hints if p.startswith("qemu")] or ["qemu-user"]
    fix = _apt(packages)
    if path is None:
        return Check("emulator", False, None, f"{abi.name}: {abi.qemu} not found — {fix}", fix), "none"
    if abi.sysroot and not Path(abi.sysroot, "lib").is_dir():
        libc = [p for p in abi.package_hints if not p.startswith("qemu")]
        fix = _apt(libc)
        return Check(
            "emulator", False, None, f"{abi.name}: no target libraries in {abi.sysroot} — {fix}", fix
        ), "none"
    return Check("emulator", True, path), "qemu"


def abi_status(abi: Abi, ndk: str | Path | None = None) -> AbiStatus:
    compiler = check_compiler(abi, ndk)
    runner, mode = check_runner(abi)
    return AbiStatus(abi.name, compiler.ok, runner.ok, mode if runner.ok else "none", (compiler, runner))


def tool_checks() -> tuple[Check, ...]:
    """Tools every build needs: CMake (system or pip); ninja (optional); Conan."""
    from tailor.build.conan import conan_command  # local: doctor must not need the build package at import

    checks = []
    cmake = shutil.which("cmake") or _beside_python("cmake")
    checks.append(
        Check(
            "cmake",
            cmake is not None,
            cmake,
            None if cmake else "cmake not found — apt-get install cmake (or pip install cmake)",
            None if cmake else "apt-get install cmake",
        )
    )
    ninja = shutil.which("ninja") or _beside_python("ninja")
    checks.append(
        Check(
            "ninja",
            True,
            ninja,
            None if ninja else "optional: ninja not found (make is used)",
            None if ninja else "apt-get install ninja-build",
        )
    )
    checks.append(Check("conan", True, " ".join(conan_command())))
    return tuple(checks)


def _beside_python(name: str) -> str | None:
    import sys

    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else None


def doctor(ndk: str | Path | None = None) -> DoctorReport:
    host = f"{platform.system()}-{host_arch()}"
    return DoctorReport(host, tool_checks(), tuple(abi_status(abi, ndk) for abi in ABIS))


def require_buildable(abis: Sequence[Abi], ndk: str | Path | None = None) -> None:
    """Raise MissingToolError (one line, every problem) when a compiler or NDK for one of `abis` is missing
    (or CMake)."""
    problems = [c.problem for abi in abis if not (c := check_compiler(abi, ndk)).ok and c.problem]
    if problems:
        raise MissingToolError("; ".join(problems))
    cmake = shutil.which("cmake") or _beside_python("cmake")
    if cmake is None:
        raise MissingToolError("cmake not found — apt-get install cmake (or pip install cmake)")


def render_text(report: DoctorReport) -> str:
    lines = [f"host: {report.host}"]
    for tool in report.tools:
        state = tool.found if tool.ok and tool.found else (tool.problem or "missing")
        lines.append(f"  {tool.what:<8} {'ok ' if tool.ok and tool.found else '-- '} {state}")
    lines.append("")
    width = max(len(a.abi) for a in report.abis)
    lines.append(f"{'ABI':<{width}}  build  run     notes")
    for status in report.abis:
        build = "yes" if status.can_build else "no"
        run = status.run_mode if status.can_run else "no"
        notes = "; ".join(c.problem for c in status.checks if not c.ok and c.problem and c.fix) or ""
        lines.append(f"{status.abi:<{width}}  {build:<5}  {run:<6}  {notes}".rstrip())
    fixes = sorted({fix for status in report.abis for fix in status.install})
    if fixes:
        lines.append("")
        lines.append("to build and run more here:")
        lines.extend(f"  {fix}" for fix in fixes)
    return "\n".join(lines) + "\n"
