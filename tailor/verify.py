"""Verification: the freshly built tailored engine runs every input model, and agrees with the full engine.

For each model, the tailored `tailor-run` (natively for linux-x86_64, under `qemu-<arch> -L /usr/<triple>` for
the Linux ARM ABIs) and the full engine built for the host (linux-x86_64, every unit) run the model on the
runner's
deterministic input; every output must match within max|tailored - full| <= 1e-4 * max|full|. A load failure
(e.g. a kernel the tailored build lacks) or a mismatch fails the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tailor.abi import Abi
from tailor.errors import TailorError

RELATIVE_TOLERANCE = 1e-4
RUN_TIMEOUT_S = 600
RUNNER = "tailor-run"


class VerificationError(TailorError):
    """The tailored engine failed a model, or disagrees with the full engine."""


@dataclass(frozen=True)
class EnginePackage:
    """An engine build that can run: its `bin/tailor-run` and `lib/` (as packaged by the recipe)."""

    root: Path
    abi: Abi

    @property
    def runner(self) -> Path:
        return self.root / "bin" / RUNNER

    @property
    def lib_dir(self) -> Path:
        return self.root / "lib"


@dataclass(frozen=True)
class ModelCheck:
    model: str
    ok: bool
    outputs: int
    max_abs_diff: float | None
    tolerance: float | None
    message: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "ok": self.ok,
            "outputs": self.outputs,
            "max_abs_diff": self.max_abs_diff,
            "tolerance": self.tolerance,
            "message": self.message,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Verification:
    abi: str
    mode: str  # "native" | "qemu" | "skipped"
    reason: str  # why skipped ("" otherwise)
    checks: tuple[ModelCheck, ...] = ()

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "abi": self.abi,
            "mode": self.mode,
            "reason": self.reason,
            "ok": self.ok,
            "models": [c.to_json() for c in self.checks],
        }


class RunError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def runner_command(package: EnginePackage, args: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The command (and environment) running the package's runner here: natively or under qemu, with the
    package's lib/ on the library path of the runner only."""
    env = dict(os.environ)
    lib = str(package.lib_dir)
    prefix = package.abi.run_prefix()
    if prefix:  # qemu: the guest's environment, not qemu's own
        return [*prefix, "-E", f"LD_LIBRARY_PATH={lib}", str(package.runner), *args], env
    env["LD_LIBRARY_PATH"] = os.pathsep.join(p for p in (lib, env.get("LD_LIBRARY_PATH", "")) if p)
    return [str(package.runner), *args], env


def run_model(package: EnginePackage, model: Path, out_dir: Path) -> list[np.ndarray]:
    """Run `model` on the runner's deterministic input; the outputs, in order. RunError on failure."""
    outputs = out_dir / "outputs"
    outputs.mkdir(parents=True, exist_ok=True)
    cmd, env = runner_command(package, [str(model), "--outputs-dir", str(outputs)])
    try:
        proc = subprocess.run(
            cmd,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RunError(f"timed out after {RUN_TIMEOUT_S} s") from None
    except OSError as exc:
        raise RunError(f"cannot start {cmd[0]}: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        text = (proc.stderr or proc.stdout).strip().splitlines()
        detail = text[-1] if text else f"exit status {proc.returncode}"
        raise RunError(detail.removeprefix("error: ").removeprefix("tailor-run: "))
    return read_outputs(outputs)


def read_outputs(directory: Path) -> list[np.ndarray]:
    """The runner's `--outputs-dir` files, `<index>_<name>.npy`, in index order."""
    files = []
    for path in directory.glob("*.npy"):
        index, _, _ = path.stem.partition("_")
        if index.isdigit():
            files.append((int(index), path))
    if not files:
        raise RunError(f"the runner wrote no output into {directory}")
    return [np.load(path, allow_pickle=False) for _, path in sorted(files)]


def compare(
    tailored: Sequence[np.ndarray], reference: Sequence[np.ndarray]
) -> tuple[bool, float, float, str]:
    """(ok, max abs diff, tolerance, message) over all outputs."""
    if len(tailored) != len(reference):
        return False, float("nan"), 0.0, f"{len(tailored)} output(s), the full engine gives {len(reference)}"
    worst, worst_tol, message = 0.0, 0.0, ""
    for i, (t, r) in enumerate(zip(tailored, reference, strict=True)):
        if t.shape != r.shape:
            return (
                False,
                float("nan"),
                0.0,
                f"output {i} has shape {t.shape}, the full engine gives {r.shape}",
            )
        t64, r64 = t.astype(np.float64), r.astype(np.float64)
        if not np.all(np.isfinite(t64) == np.isfinite(r64)):
            return False, float("nan"), 0.0, f"output {i}: non-finite values differ from the full engine's"
        finite = np.isfinite(r64)
        diff = float(np.max(np.abs(t64[finite] - r64[finite]), initial=0.0))
        tol = RELATIVE_TOLERANCE * float(np.max(np.abs(r64[finite]), initial=0.0))
        if diff > tol:
            return (
                False,
                diff,
                tol,
                (
                    f"output {i} differs from the full engine's by {diff:.3g} "
                    f"(tolerance {tol:.3g} = 1e-4 x max|ref|)"
                ),
            )
        if diff >= worst:
            worst, worst_tol = diff, tol
    message = f"{len(tailored)} output(s) within {worst_tol:.3g} (max abs diff {worst:.3g})"
    return True, worst, worst_tol, message


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _package_digest(package: EnginePackage) -> str:
    """Identity of what runs: the runner and every library file of the package."""
    files = [package.runner, *sorted(p for p in package.lib_dir.rglob("*") if p.is_file())]
    return hashlib.sha256("".join(f"{p.name}:{_file_digest(p)};" for p in files).encode()).hexdigest()


class ResultCache:
    """Verification results keyed by (tailored binaries, reference binaries, model bytes, tolerance): the same
    binaries on the same model and deterministic input give the same outputs, so a passing check need not run
    again. Only passing checks are stored."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def key(self, tailored: str, reference: str, model: Path, abi: Abi) -> str:
        text = json.dumps([1, abi.name, tailored, reference, _file_digest(model), RELATIVE_TOLERANCE])
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> ModelCheck | None:
        if self.directory is None:
            return None
        try:
            data = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            return ModelCheck(
                str(data["model"]),
                True,
                int(data["outputs"]),
                data["max_abs_diff"],
                data["tolerance"],
                str(data["message"]) + " (cached)",
                0.0,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, check: ModelCheck) -> None:
        if self.directory is None or not check.ok:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self.directory / f".{key}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(check.to_json()), encoding="utf-8")
            os.replace(tmp, self.directory / f"{key}.json")
        except OSError:
            pass


def verify(
    abi: Abi,
    mode: str,
    tailored: EnginePackage,
    reference: EnginePackage,
    models: Sequence[Path],
    work: Path,
    reference_cache: dict[str, list[np.ndarray]] | None = None,
    results: ResultCache | None = None,
) -> Verification:
    """Run every model with both engines and compare. Never raises for a failing model: see `require_ok`.
    `results` skips checks that passed before with exactly these binaries and model."""
    checks = []
    cache = reference_cache if reference_cache is not None else {}
    results = results or ResultCache(None)
    tailored_id = _package_digest(tailored) if results.directory else ""
    reference_id = _package_digest(reference) if results.directory else ""
    for i, model in enumerate(models):
        started = time.monotonic()
        name = str(model)
        key = results.key(tailored_id, reference_id, model, abi) if results.directory else ""
        hit = results.get(key) if key else None
        if hit is not None:
            checks.append(
                ModelCheck(name, True, hit.outputs, hit.max_abs_diff, hit.tolerance, hit.message, 0.0)
            )
            continue
        try:
            if name not in cache:
                try:
                    cache[name] = run_model(reference, model, work / "reference" / str(i))
                except RunError as exc:
                    raise RunError(f"the full host engine cannot run it: {exc.message}") from None
            try:
                outputs = run_model(tailored, model, work / abi.name / str(i))
            except RunError as exc:
                raise RunError(f"the tailored engine cannot run it: {exc.message}") from None
            ok, diff, tol, message = compare(outputs, cache[name])
            check = ModelCheck(name, ok, len(outputs), diff, tol, message, time.monotonic() - started)
            checks.append(check)
            if key:
                results.put(key, check)
        except RunError as exc:
            checks.append(ModelCheck(name, False, 0, None, None, exc.message, time.monotonic() - started))
    return Verification(abi.name, mode, "", tuple(checks))


def require_ok(verification: Verification) -> None:
    failed = [c for c in verification.checks if not c.ok]
    if failed:
        details = "; ".join(f"{c.model}: {c.message}" for c in failed)
        raise VerificationError(f"{verification.abi}: verification failed: {details}")
