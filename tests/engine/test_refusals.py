"""Models the engine must refuse cleanly: tailor-run exits 1 with a message (never a crash or a signal).

- A kernel key naming a non-CPU target (made from a real fixture: the target digit inside the op's
  `__@kernel_type_attr@__` string patched in a temp copy, same length, e.g. conv2d/def/4/1/1 ->
  conv2d/def/5/1/1 = kOpenCL) is refused at load with a message naming the op and its key; the Python
  selector reports the same op as missing.
- Truncated models (at many lengths) and files that are not .nb models give an error, not a crash.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from engine_cases import SHARED_MODELS_DIR
from engine_support import ABIS, ROOT

from tailor.abi import resolve_abi
from tailor.catalog import load_default_catalog
from tailor.model import KernelKey
from tailor.nb.reader import load_model
from tailor.paddle_enums import TARGET_NAMES
from tailor.select import select_units

OPS = ROOT / "tests" / "fixtures" / "ops"
MODELS = ROOT / "tests" / "fixtures" / "models"
TIMEOUT = 120


def _run(build, *args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        build.command(*args), capture_output=True, text=True, timeout=TIMEOUT, errors="replace"
    )


def _assert_clean_error(proc: subprocess.CompletedProcess[str], what: str) -> str:
    assert proc.returncode >= 0 and proc.returncode < 128, (
        f"{what}: killed by signal {-proc.returncode if proc.returncode < 0 else proc.returncode - 128}: "
        f"{proc.stderr[-2000:]}"
    )
    assert proc.returncode == 1, (
        f"{what}: exit {proc.returncode} (want 1): {proc.stdout[-500:]} {proc.stderr[-1000:]}"
    )
    assert "AddressSanitizer" not in proc.stderr and "runtime error" not in proc.stderr, proc.stderr[-2000:]
    message = proc.stderr.strip() or proc.stdout.strip()
    assert message, f"{what}: exit 1 without any message"
    return message


def patch_target(model: Path, out: Path, nth: int, target: int) -> tuple[int, str, str]:
    """Copy `model` to `out` with the target of the nth non-feed/fetch op's kernel key set to `target`
    (a one-digit change inside the key string). Returns (op index, op type, new key in Paddle's names)."""
    m = load_model(model)
    ops = [op for op in m.ops if op.type not in ("feed", "fetch") and op.kernel is not None]
    op = ops[nth % len(ops)]
    key = op.kernel
    assert key is not None and key.target < 10 and target < 10
    raw = f"{key.op}/{key.alias}/{key.target}/{key.precision}/{key.layout}".encode()
    new = f"{key.op}/{key.alias}/{target}/{key.precision}/{key.layout}".encode()
    data = model.read_bytes()
    assert data.count(raw) >= 1, (model, raw)
    # patch the occurrence of the key string that belongs to this op (ops sharing a key share the string
    # pattern, and the byte order need not be the op order): try each, keep the one that changes this op only
    want = KernelKey(key.op, key.alias, target, key.precision, key.layout)
    pos = data.find(raw)
    while pos >= 0:
        out.write_bytes(data[:pos] + new + data[pos + len(raw) :])
        patched = load_model(out)
        changed = [i for i, (a, b) in enumerate(zip(m.ops, patched.ops, strict=True)) if a.kernel != b.kernel]
        if changed == [op.index] and patched.ops[op.index].kernel == want:
            break
        pos = data.find(raw, pos + 1)
    else:
        raise AssertionError(f"{model}: found no byte position of {raw!r} that is op #{op.index}'s key")
    name = f"{key.op}/{key.alias}/{TARGET_NAMES[target]}/{key.precision_name}/{key.layout_name}"
    return op.index, op.type, name


TARGET_CASES = [
    (OPS / "conv2d_1x1" / "model_arm.nb", 0, 5),  # kARM -> kOpenCL
    (OPS / "conv2d_1x1" / "model_x86.nb", 0, 5),  # kX86 -> kOpenCL
    (OPS / "conv2d_1x1" / "model_arm.nb", 0, 3),  # -> kCUDA
    (OPS / "conv2d_1x1" / "model_arm.nb", 0, 8),  # -> kNPU
    (OPS / "conv2d_1x1" / "model_arm.nb", 0, 9),  # -> kXPU
    (OPS / "reshape2_after_conv" / "model_arm.nb", 1, 7),  # a later op -> kFPGA
    (MODELS / "multi_io" / "model_x86.nb", 2, 5),
]
if (SHARED_MODELS_DIR / "mobilenet_v1_x0_25" / "mobilenet_v1_x0_25_arm.nb").is_file():
    TARGET_CASES.append((SHARED_MODELS_DIR / "mobilenet_v1_x0_25" / "mobilenet_v1_x0_25_arm.nb", 7, 5))


@pytest.mark.parametrize("abi", ABIS)
@pytest.mark.parametrize(
    ("model", "nth", "target"),
    [
        pytest.param(m, n, t, id=f"{m.parent.name}-{m.stem}-op{n}-{TARGET_NAMES[t]}")
        for m, n, t in TARGET_CASES
    ],
)
def test_non_cpu_target_refused(abi: str, model: Path, nth: int, target: int, engine, tmp_path: Path) -> None:
    if not model.is_file():
        pytest.skip(f"{model} is absent")
    build = engine(abi)
    patched = tmp_path / "patched.nb"
    index, op_type, key_name = patch_target(model, patched, nth, target)
    proc = _run(build, patched, "--json")
    _assert_clean_error(proc, f"{abi} {patched} ({key_name})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    err = result["error"]
    assert result["ok"] is False
    assert "loading" in err, f"not refused at load: {err}"
    assert op_type in err and key_name in err, f"message does not name op {op_type} and key {key_name}: {err}"
    assert TARGET_NAMES[target] in err
    # the selector sees the same problem
    sel = select_units([load_model(patched)], load_default_catalog()[0], resolve_abi(abi))
    missing = [m for m in sel.missing if m.op_index == index]
    assert missing and "not a CPU target" in missing[0].reason, sel.missing


TRUNCATE_MODELS = [
    OPS / "conv2d_3x3_s2_bias" / "model_arm.nb",
    MODELS / "quant_cnn" / "model_int8_x86.nb",
    MODELS / "meta_v1" / "model_v1_arm.nb",
]


def _truncations(size: int) -> list[int]:
    cuts = {
        0,
        1,
        2,
        4,
        7,
        8,
        12,
        16,
        17,
        24,
        32,
        64,
        100,
        256,
        1000,
        size // 4,
        size // 2,
        (3 * size) // 4,
        size - 64,
        size - 8,
        size - 4,
        size - 1,
    }
    return sorted(c for c in cuts if 0 <= c < size)


@pytest.mark.parametrize("abi", ABIS)
@pytest.mark.parametrize("model", TRUNCATE_MODELS, ids=lambda m: f"{m.parent.name}-{m.stem}")
def test_truncated_model_clean_error(abi: str, model: Path, engine, tmp_path: Path) -> None:
    build = engine(abi)
    data = model.read_bytes()
    for cut in _truncations(len(data)):
        f = tmp_path / f"cut_{cut}.nb"
        f.write_bytes(data[:cut])
        proc = _run(build, f)
        _assert_clean_error(proc, f"{abi} {model.name} truncated to {cut} of {len(data)} bytes")


def _not_models(tmp: Path) -> dict[str, Path]:
    files = {
        "text": ROOT / "README.md",
        "npy": OPS / "conv2d_1x1" / "input_x.npy",
        "json": OPS / "conv2d_1x1" / "case.json",
        "empty": tmp / "empty.nb",
        "zeros": tmp / "zeros.nb",
        "ones": tmp / "ones.nb",
        "directory": tmp / "a_directory.nb",
        "missing": tmp / "does_not_exist.nb",
    }
    files["empty"].write_bytes(b"")
    files["zeros"].write_bytes(bytes(4096))
    files["ones"].write_bytes(b"\xff" * 4096)
    files["directory"].mkdir()
    return files


@pytest.mark.parametrize("abi", ABIS)
def test_not_a_model_clean_error(abi: str, engine, tmp_path: Path) -> None:
    build = engine(abi)
    for label, path in _not_models(tmp_path).items():
        proc = _run(build, path)
        message = _assert_clean_error(proc, f"{abi} {label} file {path}")
        assert "loading" in message or "cannot" in message, f"{label}: {message}"
