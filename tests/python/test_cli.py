"""The `tailor scan` command: output forms, list writing, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from testdata import EXAMPLE_MODEL, REPO
from typer.testing import CliRunner

from tailor.cli import app
from tailor.nb import load_model
from tailor.paddle_lists import KERNELS_LIST, OPS_LIST, kernels_list, ops_list, render

runner = CliRunner()


def scan(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_output_names_everything() -> None:
    code, out, err = scan("--models", str(EXAMPLE_MODEL))
    assert code == 0 and err == ""
    model = load_model(EXAMPLE_MODEL)
    expected = [str(EXAMPLE_MODEL), model.sha256[:16], "v2.13-rc", "x [1, 3, 224, 224]", "kARM", "kHost"]
    expected += ["depthwise_conv2d", "conv2d/def/kARM/kFloat/kNCHW", "Kernel keys needed by 1 model"]
    for text in expected:
        assert text in out, text


def test_json_output_follows_schema() -> None:
    code, out, _ = scan("--models", str(EXAMPLE_MODEL), str(EXAMPLE_MODEL), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "tailor.scan/1"
    assert [m["path"] for m in doc["models"]] == [str(EXAMPLE_MODEL)] * 2
    first = doc["models"][0]
    assert first["inputs"] == [{"name": "x", "dims": [1, 3, 224, 224]}]
    assert first["op_types"]["conv2d"] == 14 and first["op_count"] == 31
    conv = next(k for k in doc["kernels"] if k["key"] == "conv2d/def/kARM/kFloat/kNCHW")
    assert conv["instances"] == 28
    assert conv["models"] == [{"model": 0, "instances": 14}, {"model": 1, "instances": 14}]
    assert doc["targets"] == ["kARM", "kHost"]


def test_positional_models_and_paddle_lists(tmp_path: Path) -> None:
    code, out, _ = scan(str(EXAMPLE_MODEL), "--paddle-lists", str(tmp_path / "lists"))
    assert code == 0
    model = load_model(EXAMPLE_MODEL)
    assert (tmp_path / "lists" / OPS_LIST).read_bytes() == render(ops_list([model]))
    assert (tmp_path / "lists" / KERNELS_LIST).read_bytes() == render(kernels_list([model]))
    assert f"wrote {tmp_path / 'lists' / OPS_LIST}" in out


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.nb"
    empty.write_bytes(b"")
    text = tmp_path / "notes.nb"
    text.write_text("hello, this is not a model\n" * 4)
    cut = tmp_path / "cut.nb"
    cut.write_bytes(EXAMPLE_MODEL.read_bytes()[:1000])
    return {
        "missing": (tmp_path / "missing.nb", "no such file"),
        "directory": (tmp_path, "is a directory"),
        "empty": (empty, "empty file"),
        "not nb": (text, "meta_version 1 or 2"),
        "truncated": (cut, "truncated"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "not nb", "truncated"])
def test_bad_file_is_one_line_exit_2(tmp_path: Path, case: str) -> None:
    path, reason = bad_inputs(tmp_path)[case]
    # A good model first: nothing about it may reach stdout when a later one fails.
    code, out, err = scan("--models", str(EXAMPLE_MODEL), str(path), "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}") and reason in err


def test_no_models_is_an_error() -> None:
    code, out, err = scan()
    assert (code, out) == (2, "") and err.startswith("error: no models given")


def test_unwritable_paddle_lists_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, out, err = scan(str(EXAMPLE_MODEL), "--paddle-lists", str(blocker / "sub"))
    assert (code, out) == (2, "") and err.startswith("error: ") and err.count("\n") == 1


def test_python_dash_m_has_no_traceback(tmp_path: Path) -> None:
    """The real process: exit status 2 and exactly one stderr line for a bad file."""
    bad = tmp_path / "bad.nb"
    bad.write_bytes(b"\x02\x00" + b"\xff" * 40)
    proc = subprocess.run([sys.executable, "-m", "tailor", "scan", "--models", str(bad)],
                          capture_output=True, text=True, cwd=REPO, check=False)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"error: {bad}: byte ") and proc.stderr.count("\n") == 1
