"""The conformance cases: every fixture model file, its inputs, and the reference each output is compared
with.

A *run* is one `.nb` file run once with its inputs: tests/fixtures/ops/<case>/model_{arm,x86}.nb, every model
variant under tests/fixtures/models/<case>/ (arm, x86, meta_version 1, int8 / int16 weight-quantized), and the
classifiers in the shared models directory (../shared/models/<name>/<name>_{arm,x86}.nb) when present.

Reference policy (docs/engine-conformance.md explains every decision):
- the reference is the output case.json names as `expected` (Paddle's own output, or numpy where Paddle is
  wrong or has no kernel), except where REFERENCE_DECISIONS says otherwise;
- weight-quantized models are compared with the float model's Paddle output, within a tolerance scaled to
  the quantization error (QUANT_REL_TOL);
- tolerance: max|out - ref| <= rel_tol * max|ref| (ABS_FLOOR when the reference is all zeros);
- classifiers (the shared mobilenets; softmax outputs of the whole-model fixtures) must also agree on the
  argmax, wherever the reference's top-2 margin is wider than twice the tolerance.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPS_DIR = ROOT / "tests" / "fixtures" / "ops"
MODELS_DIR = ROOT / "tests" / "fixtures" / "models"
SHARED_MODELS_DIR = Path(os.environ.get("TAILOR_SHARED_MODELS", ROOT.parent / "shared" / "models"))

FLOAT_REL_TOL = 1e-4
# Weight-only quantization: per-channel absmax/127 (INT8) or /32767 (INT16). Measured on quant_cnn: the
# engine's output for the quantized file is bit-identical to its float path on numpy-dequantized weights
# (test_dequantization), and differs from Paddle's float output by 1.13e-2 (INT8) / 2.5e-5 (INT16) x max|ref|
# on every ABI: that is the quantization error itself. Tolerances leave ~2x / ~4x headroom.
QUANT_REL_TOL = {"int8": 2e-2, "int16": 1e-4}
# Fully int8 models (fixture group "int8", tools/fixtures/cases/int8.py): the reference is paddle running the
# PTQ program, which simulates the quantization in float (fake quant: clip, round, rescale) with the same
# scales Lite's kernels use. Measured on linux-x86_64: the engine (Lite ARM's integer arithmetic) equals it
# within 1.7e-7 x max|ref| on all six cases, i.e. no activation lands on a different int8 code. One code
# of difference in an activation is 1/127 of its range, >= ~1e-2 x max|ref| at the output of these small
# layers, so 1e-3 still fails a wrong scale, a wrong rounding mode (truncation) or a missed requantization,
# while leaving room for the float-rounding differences between ABIs.
INT8_ACT_REL_TOL = 1e-3
ABS_FLOOR = 1e-6

# case -> (reference key in case.json outputs, why). Only cases where a choice had to be made.
REFERENCE_DECISIONS: dict[str, tuple[str, str]] = {
    "gelu_approximate": (
        "paddle",
        "Paddle Lite's ARM kernel (act_gelu in lite/backends/arm/math/activation.cc) honours "
        "approximate=True "
        "and computes the tanh form, like Paddle; only Lite's x86 kernel ignores the attribute (erf form). "
        "The engine computes what Lite ARM computes for both key targets.",
    ),
    "pow_factor_3": (
        "paddle",
        "Lite ARM's pow (pow_ps in lite/backends/arm/math/funcs.h) takes |x| and restores the sign for odd "
        "integer exponents, so it computes x**3 like Paddle; only Lite x86 returns ~2.4e38 for negative x.",
    ),
    "pad3d_constant": (
        "paddle",
        "Lite's only pad3d kernel (host, used for ARM and x86 models) fills the border with "
        "memset(ptr, value, n), i.e. the byte (int)value, so 0.5 pads 0.0 (1.0 would pad 2.4e-38); "
        "a defect. Paddle and numpy pad with `value`.",
    ),
    "split_last_axis": (
        "numpy",
        "Paddle 2.6's split with sections [2, -1] on axis -1 is wrong (diff 1.05 vs numpy); Lite x86 "
        "agrees with numpy.",
    ),
    "pad2d_constant": ("numpy", "Paddle 2.6 has no pad2d kernel; numpy.pad, which Lite x86 matches exactly."),
    # Lite kernels with a defect where the engine follows Paddle / the op's definition (the case notes and
    # docs/engine-conformance.md give Lite's behaviour). Lite's host kernels serve ARM and x86 programs alike.
    **{
        case: ("paddle", "Lite floordiv rounds the quotient toward zero; Paddle floors it, like Python's //.")
        for case in (
            "elementwise_floordiv_int32",
            "elementwise_floordiv_int64",
            "elementwise_floordiv_int32_axis1",
        )
    },
    "mish_threshold_2": (
        "paddle",
        "Lite's mish also replaces softplus(x) by exp(x) for x < -threshold; Paddle's definition does not.",
    ),
    **{
        case: ("paddle", "Lite's host reduce_all/any do not normalise a negative dim (every output true).")
        for case in ("reduce_all_rows", "reduce_any_rows")
    },
    "top_k_v2_smallest_axis0": ("paddle", "Lite's host top_k_v2 ignores largest=False."),
    **{
        case: ("paddle", "Lite's host p_norm sums x**p rather than |x|**p and truncates porder to an int.")
        for case in ("p_norm_1_axis1_keep", "p_norm_3", "p_norm_inf", "p_norm_neginf")
    },
    "yolo_box_nonsquare": ("paddle", "Lite's host yolo_box scales x by the grid height, not its width."),
    **{
        case: (
            "numpy",
            "Paddle 2.6 has no CPU correlation kernel; numpy of Lite's host kernel, Lite x86 agrees.",
        )
        for case in ("correlation_k1_md2", "correlation_k3_s2")
    },
    **{
        case: ("numpy", "Paddle returns these outputs with LoD, not as numpy; a numpy port of Paddle's NMS.")
        for case in ("multiclass_nms", "multiclass_nms2", "multiclass_nms_empty")
    },
    "prior_box_frac_sizes": (
        "numpy",
        "Lite truncates min/max sizes to integers (Paddle does not); numpy doing the same, Lite x86 agrees.",
    ),
    **{
        case: (
            "paddle",
            "Lite ARM's rnn returns the backward direction's first-step state as its final State.",
        )
        for case in ("rnn_lstm_2l_bidi", "rnn_gru_bidi")
    },
    "roll_flat": ("paddle", "Lite's host roll without an axis rolls a 1-D view of length rank."),
    "strided_slice_negative": ("paddle", "Lite x86 returns uninitialised values for negative strides."),
    "crop_tensor_minus1": (
        "paddle",
        "Lite's host crop_tensor reads a -1 in shape as the whole dim (not dim - offset) and reads past X.",
    ),
    "pad2d_reflect": ("numpy", "Paddle 2.6 has no pad2d kernel; numpy.pad, which Lite x86 matches exactly."),
    "pad2d_edge": ("numpy", "Paddle 2.6 has no pad2d kernel; numpy.pad, which Lite x86 matches exactly."),
}


@dataclass(frozen=True)
class OutputRef:
    index: int
    ref: Path
    rel_tol: float
    source: str  # what the reference is, for messages: "paddle", "numpy", "paddle float model (int8)"
    argmax: bool  # the argmax must match too (classifiers)


@dataclass(frozen=True)
class ModelRun:
    id: str  # "ops/conv2d_1x1/arm", "models/quant_cnn/int8_x86", "shared/mobilenet_v1_x0_25/arm"
    group: str  # "ops" | "models" | "shared"
    case: str
    variant: str  # the case.json `nb` key: arm, x86, v1_arm, int8_x86, ...
    model: Path
    inputs: tuple[tuple[str | None, Path], ...]  # (name or None for positional, .npy)
    outputs: tuple[OutputRef, ...]
    target_op: str | None = None

    @property
    def safe_id(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]", "_", self.id)


def _quant_kind(variant: str) -> str | None:
    m = re.match(r"(int8|int16)_", variant)
    return m.group(1) if m else None


def _case_runs(case_dir: Path, group: str) -> list[ModelRun]:
    data = json.loads((case_dir / "case.json").read_text())
    case = data["case"]
    inputs = tuple((i["name"], case_dir / i["file"]) for i in data["inputs"])
    decision = REFERENCE_DECISIONS.get(case)
    runs = []
    for variant, nb in sorted(data["nb"].items()):
        if "file" not in nb:  # opt refused this target (case.json records its error): nothing to run
            continue
        quant = _quant_kind(variant)
        outs = []
        for o in data["outputs"]:
            if quant:
                key = "paddle"
                source = f"paddle float model ({quant} weights)"
                tol = QUANT_REL_TOL[quant]
            elif data.get("group") == "int8":
                key, source, tol = "expected", "paddle (simulated int8)", INT8_ACT_REL_TOL
            else:
                key = decision[0] if decision else "expected"
                if key == "expected":
                    expected = o["expected"]
                    source = next(
                        (k for k in ("paddle", "numpy") if o.get(k) == expected),
                        expected.removesuffix(".npy"),
                    )
                else:
                    source = key
                tol = FLOAT_REL_TOL
            ref = o.get(key)
            if ref is None:
                raise ValueError(f"{case_dir}/case.json: output {o['index']} has no {key!r} reference")
            # classifiers: a softmax output of a whole-model case must keep its argmax (when the
            # reference's top-2 margin exceeds the tolerance; see test_fixtures._compare)
            classifier = group == "models" and str(o.get("var", "")).startswith("softmax")
            outs.append(OutputRef(o["index"], case_dir / ref, tol, source, argmax=classifier))
        runs.append(
            ModelRun(
                f"{group}/{case}/{variant}",
                group,
                case,
                variant,
                case_dir / nb["file"],
                inputs,
                tuple(outs),
                data.get("target_op"),
            )
        )
    return runs


def _shared_runs() -> list[ModelRun]:
    runs = []
    if not SHARED_MODELS_DIR.is_dir():
        return runs
    for d in sorted(p for p in SHARED_MODELS_DIR.iterdir() if p.is_dir()):
        inp, ref = d / "input.npy", d / "output_paddle.npy"
        if not (inp.is_file() and ref.is_file()):
            continue
        for variant in ("arm", "x86"):
            model = d / f"{d.name}_{variant}.nb"
            if model.is_file():
                out = OutputRef(0, ref, FLOAT_REL_TOL, "paddle", argmax=True)
                runs.append(
                    ModelRun(
                        f"shared/{d.name}/{variant}", "shared", d.name, variant, model, ((None, inp),), (out,)
                    )
                )
    return runs


def all_runs() -> list[ModelRun]:
    runs: list[ModelRun] = []
    for base, group in ((OPS_DIR, "ops"), (MODELS_DIR, "models")):
        for case_json in sorted(base.glob("*/case.json")):
            runs.extend(_case_runs(case_json.parent, group))
    runs.extend(_shared_runs())
    return runs


ALL_RUNS: list[ModelRun] = all_runs()
RUNS_BY_ID: dict[str, ModelRun] = {r.id: r for r in ALL_RUNS}


# ---- weight-quantized models: an independent dequantization ---------------------------------------------


def dequantized_float_model(quant_model: Path, float_model: Path, out: Path) -> dict[str, float]:
    """Write `out`: a copy of `float_model` whose parameters are replaced by the weights of `quant_model`
    dequantized here with numpy (q * scale, scale from the op's `<param>_quant_scale` attribute; conv weights
    and 1-D tensors per dims[0], fc/mul/matmul weights [K, N] per N -- TOOLCHAIN.md). Running `out` through
    the engine's float path must give what the engine gives for `quant_model`: that isolates the engine's
    dequantizer. Returns, per parameter, max|dequantized - float weight| / max scale (<= 0.5 when the scale
    convention is the one assumed)."""
    import numpy as np

    from tailor.nb.reader import load_model, read_params

    qm, fm = load_model(quant_model), load_model(float_model)
    qparams = {p.name: p for p in read_params(qm)}
    fparams = {p.name: p for p in read_params(fm)}
    scales: dict[str, tuple[str, list[float]]] = {}
    for op in qm.ops:
        for attr, value in op.attrs.items():
            if attr.endswith("_quant_scale"):
                scales[attr.removesuffix("_quant_scale")] = (op.type, [float(v) for v in value])
    data = bytearray(float_model.read_bytes())
    qbytes = quant_model.read_bytes()
    ratios: dict[str, float] = {}
    for name, qp in qparams.items():
        if qp.dtype not in (21, 1) or name not in scales:
            continue
        op_type, sc = scales[name]
        fp = fparams[name]
        raw = qbytes[qp.data_offset : qp.data_offset + qp.nbytes]
        q = np.frombuffer(raw, dtype=np.int8 if qp.dtype == 21 else "<i2").astype(np.float32).reshape(qp.dims)
        s = np.asarray(sc, dtype=np.float32)
        if q.ndim == 1 or op_type in ("conv2d", "depthwise_conv2d", "conv2d_transpose"):
            axis = 0
        else:
            axis = q.ndim - 1
        if q.shape[axis] != s.size:
            raise ValueError(f"{quant_model}: {name} dims {qp.dims}: {s.size} scales do not fit axis {axis}")
        shape = [1] * q.ndim
        shape[axis] = s.size
        w = (q * s.reshape(shape)).astype("<f4")
        assert fp.nbytes == w.nbytes and fp.dtype == 5, (name, fp)
        fw = np.frombuffer(data[fp.data_offset : fp.data_offset + fp.nbytes], dtype="<f4").reshape(fp.dims)
        ratios[name] = float(np.max(np.abs(w - fw)) / np.max(s))
        data[fp.data_offset : fp.data_offset + fp.nbytes] = w.tobytes()
    out.write_bytes(bytes(data))
    return ratios
