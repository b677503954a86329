"""`tailor build` without compiling: missing ops and tools, staging, the Conan lock, verification maths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tailor.abi import resolve_abi
from tailor.build.artifacts import STAGING_PREFIX, Staging
from tailor.build.conan import Conan
from tailor.build.pipeline import _check_budgets, select_all
from tailor.catalog import Catalog
from tailor.cli import app
from tailor.doctor import MissingToolError, require_buildable
from tailor.errors import TailorError
from tailor.scan import scan
from tailor.verify import compare

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "mobilenet_v1_x0_25_arm.nb"
FIXTURE = REPO / "tests" / "fixtures" / "ops" / "conv2d_relu6" / "model_arm.nb"

CORE_ONLY_CATALOG = textwrap.dedent("""\
    schema = 1

    [[unit]]
    name = "core"
    kind = "core"
    entry = "tailor::kernels::core::create"
    sources = ["src/core/arena.cc"]
      [[unit.serves]]
      op = "feed"
      precisions = ["kAny", "kFloat"]
      [[unit.serves]]
      op = "fetch"
      precisions = ["kAny", "kFloat"]
    """)


def core_only_catalog() -> Catalog:
    import tomllib

    return Catalog.from_data(tomllib.loads(CORE_ONLY_CATALOG), Path("catalog.toml"), REPO / "engine",
                             check_sources=False)  # fmt: skip


def test_missing_ops_are_all_listed() -> None:
    models = scan([EXAMPLE]).models
    op_types = {op.type for op in models[0].ops} - {"feed", "fetch"}
    with pytest.raises(TailorError) as info:
        select_all(models, core_only_catalog(), [resolve_abi("linux-aarch64"), resolve_abi("linux-x86_64")])
    message = str(info.value)
    assert "\n" not in message
    assert "nothing was compiled" in message
    for op_type in op_types:
        assert op_type in message, op_type
    # Every op instance is listed (one item per op), not just the op types.
    n_ops = sum(1 for op in models[0].ops if op.type not in ("feed", "fetch"))
    assert f"cannot serve {n_ops} thing(s)" in message


def test_missing_ops_stop_the_cli_before_conan(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "engine").mkdir(parents=True)
    (root / "engine" / "catalog.toml").write_text(CORE_ONLY_CATALOG)
    (root / "engine" / "src").symlink_to(REPO / "engine" / "src")
    home = tmp_path / "conan"
    env = {**os.environ, "TAILOR_ROOT": str(root)}
    args = ["build", "--models", str(EXAMPLE), "--abi", "linux-aarch64", "--out", str(tmp_path / "dist"),
            "--conan-home", str(home)]  # fmt: skip
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 2, result.output
    assert "error: the engine catalog cannot serve" in result.output
    assert "conv2d" in result.output and "pool2d" in result.output
    assert not home.exists()
    assert not (tmp_path / "dist").exists()


def test_no_ndk_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANDROID_NDK_HOME", raising=False)
    monkeypatch.delenv("ANDROID_NDK_ROOT", raising=False)
    home = tmp_path / "conan"
    args = ["build", "--models", str(FIXTURE), "--abi", "android-arm64-v8a", "--out", str(tmp_path / "dist"),
            "--conan-home", str(home)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "android-arm64-v8a: no Android NDK given" in result.output
    assert "--ndk" in result.output and "ANDROID_NDK_HOME" in result.output
    assert not home.exists()
    result = CliRunner().invoke(app, [*args, "--ndk", str(tmp_path / "not-an-ndk")])
    assert result.exit_code == 2
    assert "is not an Android NDK" in result.output


def test_missing_compiler_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import tailor.doctor

    real_which = tailor.doctor.shutil.which
    monkeypatch.setattr(tailor.doctor.shutil, "which",
                        lambda name: None if name.startswith("aarch64-") else real_which(name))  # fmt: skip
    with pytest.raises(MissingToolError) as info:
        require_buildable([resolve_abi("linux-aarch64")])
    assert str(info.value) == (
        "linux-aarch64: aarch64-linux-gnu-g++ not found — apt-get install g++-aarch64-linux-gnu"
    )


def test_staging_replaces_only_its_abis(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (out / "linux-x86_64").mkdir(parents=True)
    (out / "linux-x86_64" / "stale.txt").write_text("old")
    (out / "android-x86_64").mkdir()
    (out / "notes.txt").write_text("mine")
    staging = Staging(out)
    (staging.abi_dir("linux-x86_64") / "new.txt").write_text("new")
    (staging.root / "build.json").write_text("{}")
    staging.publish(["linux-x86_64"], ["build.json"])
    assert sorted(p.name for p in (out / "linux-x86_64").iterdir()) == ["new.txt"]
    assert (out / "android-x86_64").is_dir() and (out / "notes.txt").read_text() == "mine"
    assert (out / "build.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert not [p for p in out.iterdir() if p.name.startswith(".tailor-")]


def test_discarded_staging_leaves_nothing(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "dist")
    (staging.abi_dir("linux-x86_64") / "half.so").write_bytes(b"\0")
    staging.discard()
    assert list(tmp_path.iterdir()) == []


def test_conan_lock_is_exclusive_between_processes(tmp_path: Path) -> None:
    home = tmp_path / "conan"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from tailor.build.conan import Conan
            with Conan(Path({str(home)!r})).locked():
                print("locked", flush=True)
                time.sleep(1.5)
            """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    waited: list[bool] = []
    started = time.monotonic()
    with Conan(home).locked(on_wait=lambda: waited.append(True)):
        elapsed = time.monotonic() - started
    assert holder.wait(timeout=30) == 0
    assert waited == [True]
    assert elapsed > 0.5
    assert json.loads((home / "remotes.json").read_text()) == {"remotes": []}


def test_compare_tolerance() -> None:
    ref = [np.array([1.0, -2.0, 4.0], dtype=np.float32)]
    ok, diff, tol, _ = compare([ref[0] + np.float32(3e-4)], ref)
    assert ok and diff == pytest.approx(3e-4, rel=1e-2) and tol == pytest.approx(4e-4)
    ok, diff, tol, message = compare([ref[0] + np.float32(5e-4)], ref)
    assert not ok and "differs from the full engine's" in message
    ok, *_, message = compare([ref[0][:2]], ref)
    assert not ok and "shape" in message
    ok, *_, message = compare([], ref)
    assert not ok and "output(s)" in message


def test_budget() -> None:
    from types import SimpleNamespace

    results = [SimpleNamespace(abi="linux-aarch64", stripped_bytes=200 * 1024)]
    _check_budgets(results, None)  # type: ignore[arg-type]
    _check_budgets(results, 250)  # type: ignore[arg-type]
    with pytest.raises(TailorError, match=r"over the size budget of 150 KiB: linux-aarch64: .* 200\.0 KiB"):
        _check_budgets(results, 150)  # type: ignore[arg-type]


def test_conan_failure_names_the_cause(tmp_path: Path) -> None:
    from tailor.build.conan import _last_error

    log = tmp_path / "x.log"
    log.write_text("[1/9] Building CXX object a.o\n/x/engine/src/a.cc:3:1: error: 'foo' was not declared\n"
                   "ERROR: tailor-engine/0.1.0: Error in build() method, line 124\n"
                   "\tConanException: Error 1 while executing\n")  # fmt: skip
    assert _last_error(log) == "/x/engine/src/a.cc:3:1: error: 'foo' was not declared"
    recipe_error = "\tConanException: tailor-engine: registry directory /r holds selection a, but\n"
    log.write_text("ERROR: tailor-engine/0.1.0: Error in generate() method, line 117\n" + recipe_error)
    assert _last_error(log).startswith("tailor-engine: registry directory /r holds selection a")
    log.write_text(
        "CMake Error at CMakeLists.txt:5 (message):\n  TAILOR_REGISTRY_DIR is required\nERROR: x\n"
    )
    assert _last_error(log) == "CMake Error at CMakeLists.txt:5 (message): TAILOR_REGISTRY_DIR is required"


def test_a_users_own_conan_home_is_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "user-home"
    home.mkdir()
    remotes = '{"remotes": [{"name": "mine", "url": "https://example.invalid", "verify_ssl": true}]}'
    (home / "remotes.json").write_text(remotes)
    (home / "global.conf").write_text("core:non_interactive=False\n")
    with Conan(home).locked():
        pass
    assert (home / "remotes.json").read_text() == remotes
    assert (home / "global.conf").read_text() == "core:non_interactive=False\n"
    assert not Conan(home).managed
    # A home tailor creates is its own, and stays offline (a remote added later is removed again).
    ours = Conan(tmp_path / "ours")
    with ours.locked():
        pass
    assert ours.managed
    (ours.home / "remotes.json").write_text(remotes)
    with ours.locked():
        pass
    assert json.loads((ours.home / "remotes.json").read_text()) == {"remotes": []}
