"""`tailor doctor`: every ABI, whether it builds and runs here, and what to install."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tailor.abi import ABI_NAMES, resolve_abi
from tailor.cli import app
from tailor.doctor import abi_status, check_compiler, check_runner, doctor, ndk_clang


def fake_ndk(root: Path) -> Path:
    (root / "build" / "cmake").mkdir(parents=True)
    (root / "build" / "cmake" / "android.toolchain.cmake").write_text("")
    for name in ("android-arm64-v8a", "android-armeabi-v7a", "android-x86_64"):
        clang = ndk_clang(root, resolve_abi(name))
        clang.parent.mkdir(parents=True, exist_ok=True)
        clang.write_text("")
    return root


def test_json_lists_every_abi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANDROID_NDK_HOME", raising=False)
    monkeypatch.delenv("ANDROID_NDK_ROOT", raising=False)
    result = CliRunner().invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "tailor.doctor/1"
    assert [a["abi"] for a in data["abis"]] == list(ABI_NAMES)
    for entry in data["abis"]:
        assert set(entry) >= {"can_build", "can_run", "run_mode", "checks", "install"}
        if entry["abi"].startswith("android-"):
            assert not entry["can_build"] and not entry["can_run"]
            assert any("ANDROID_NDK_HOME" in fix for fix in entry["install"])
    host = next(a for a in data["abis"] if a["abi"] == "linux-x86_64")
    assert host["can_run"] and host["run_mode"] == "native"


def test_text_output() -> None:
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0
    for name in ABI_NAMES:
        assert name in result.output


@pytest.mark.skipif(not shutil.which("aarch64-linux-gnu-g++") or not shutil.which("qemu-aarch64"),
                    reason="needs the Debian aarch64 cross compiler and qemu-user")  # fmt: skip
def test_linux_aarch64_here() -> None:
    status = abi_status(resolve_abi("linux-aarch64"))
    assert status.can_build and status.can_run and status.run_mode == "qemu"


def test_missing_tools_say_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import tailor.doctor

    monkeypatch.setattr(tailor.doctor.shutil, "which", lambda name: None)
    compiler = check_compiler(resolve_abi("linux-armv7hf"))
    assert not compiler.ok
    assert (
        compiler.problem
        == "linux-armv7hf: arm-linux-gnueabihf-g++ not found — apt-get install g++-arm-linux-gnueabihf"
    )
    runner, mode = check_runner(resolve_abi("linux-aarch64"))
    assert not runner.ok and mode == "none"
    assert runner.problem == "linux-aarch64: qemu-aarch64 not found — apt-get install qemu-user"


def test_ndk_from_flag_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ndk = fake_ndk(tmp_path / "ndk")
    monkeypatch.delenv("ANDROID_NDK_HOME", raising=False)
    monkeypatch.delenv("ANDROID_NDK_ROOT", raising=False)
    abi = resolve_abi("android-arm64-v8a")
    assert not check_compiler(abi).ok
    assert check_compiler(abi, ndk).ok
    monkeypatch.setenv("ANDROID_NDK_ROOT", str(ndk))
    assert check_compiler(abi).found == str(ndk.resolve())
    report = doctor()
    android = [a for a in report.abis if a.abi.startswith("android-")]
    assert all(a.can_build and not a.can_run for a in android)
