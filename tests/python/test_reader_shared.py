"""The reader on the real models in ../shared/models, checked against what the toolchain wrote beside them."""

from __future__ import annotations

import math
import re
import struct
from pathlib import Path

import pytest
from testdata import EXAMPLE_MODEL, SHARED_SKIP_REASON, param_or_skip, shared_models, tailoring_dir, target_of

from tailor.nb import load_model, read_param_data, read_params
from tailor.nb.params import read_params_v2

SHARED = param_or_skip(shared_models(), SHARED_SKIP_REASON)

# Output classes of the shared models (shared/README.md): MobileNetV1 x0.25 -> 1000, MobileNetV2 x0.5 -> 100.
CLASSES = {"mobilenet_v1_x0_25": 1000, "mobilenet_v2_x0_5": 100}


@pytest.mark.parametrize("path", SHARED)
def test_header_and_program_shape(path: Path) -> None:
    model = load_model(path)
    assert model.meta_version == 2
    assert model.opt_version == "v2.13-rc"
    assert model.paddle_version == 2006002
    assert model.file_size == path.stat().st_size
    assert model.ops[0].type == "feed" and model.ops[-1].type == "fetch"
    assert [op.index for op in model.ops] == list(range(len(model.ops)))
    assert all(op.type not in ("feed", "fetch") for op in model.ops[1:-1])
    assert all(op.kernel is not None and op.kernel.op == op.type for op in model.ops)
    assert "__@kernel_type_attr@__" not in model.ops[1].attrs


@pytest.mark.parametrize("path", SHARED)
def test_inputs_and_outputs(path: Path) -> None:
    model = load_model(path)
    assert [t.name for t in model.inputs] == ["x"]
    assert model.inputs[0].dims in ((1, 3, 224, 224), (-1, 3, 224, 224))
    assert len(model.outputs) == 1
    assert model.outputs[0].dims[1:] == (CLASSES[path.parent.name],)


@pytest.mark.parametrize("path", SHARED)
def test_targets_match_print_model_ops(path: Path) -> None:
    """print_model_ops lists the source program's ops in one column per target used; the optimized program's
    kernels must use exactly those targets."""
    table = (path.parent / f"print_model_ops_{target_of(path)}.txt").read_text()
    header = next(line for line in table.splitlines() if "OP_name" in line)
    assert load_model(path).targets() == set(re.findall(r"k\w+", header))


@pytest.mark.parametrize("path", SHARED)
def test_op_types_and_kernels_match_tailoring_lists(path: Path) -> None:
    model = load_model(path)
    lists = tailoring_dir(path)
    assert set(model.op_counts()) == set((lists / ".tailored_ops_list").read_text().split())
    expected = set((lists / ".tailored_kernels_list").read_text().split())
    assert {key.paddle_line() for key in model.kernel_keys()} == expected


@pytest.mark.parametrize("path", SHARED)
def test_params_fill_the_file_and_match_dims(path: Path) -> None:
    model = load_model(path)
    params = read_params(model)
    with path.open("rb") as f:
        _, end = read_params_v2(f, str(path), model.params_offset, model.file_size)
    assert end == model.file_size  # opt leaves no trailing bytes
    names = [p.name for p in params]
    assert names == sorted(names, key=str.encode)  # written from a std::set
    assert {p.name for p in params} == {
        v.name for v in model.vars.values() if v.persistable and v.dtype is not None
    }
    for p in params:
        assert p.dtype == 5 and p.nbytes == math.prod(p.dims) * 4  # all FP32 here
        assert model.params_offset < p.data_offset and p.data_offset + p.nbytes <= model.file_size


def test_mobilenet_v1_arm_facts() -> None:
    """Independent facts about MobileNetV1 x0.25 on ARM: 27 conv layers (1 full, 13 depthwise, 13 pointwise)
    with BN folded into each (weight + BN bias), then global pooling and fc (W + b): 56 params, 31 ops."""
    path = EXAMPLE_MODEL
    model = load_model(path)
    assert model.op_counts() == {
        "conv2d": 14,
        "depthwise_conv2d": 13,
        "fc": 1,
        "feed": 1,
        "fetch": 1,
        "pool2d": 1,
    }
    assert model.params_offset == 26 + 50128  # FORMAT.md worked example
    params = read_params(model)
    assert len(params) == 56
    by_name = {p.name: p for p in params}
    assert by_name["batch_norm2d_0.b_0"].dims == (8,)
    assert by_name["batch_norm2d_0.b_0"].data_offset == 50250  # FORMAT.md worked example
    fc = next(op for op in model.ops if op.type == "fc")
    (weight,) = fc.inputs["W"]
    assert by_name[weight].dims == (256, 1000)
    assert max(p.nbytes for p in params) == 1024000  # max_tensor_bytes in the file's param header
    assert len(read_param_data(model, weight)) == 256 * 1000 * 4


def test_example_model_is_the_shared_one() -> None:
    shared = [p for p in shared_models() if p.name == EXAMPLE_MODEL.name]
    if not shared:
        pytest.skip(SHARED_SKIP_REASON)
    assert load_model(EXAMPLE_MODEL).sha256 == load_model(shared[0]).sha256


def test_param_dims_come_from_the_param_section(tmp_path: Path) -> None:
    """VarDesc dims can be stale (FORMAT.md section 3); read_params must report the stored tensor's dims.
    Make a VarDesc stale on purpose: patch the first conv filter's dims [8,3,3,3] in the topology to
    [9,3,3,3]."""
    data = bytearray(EXAMPLE_MODEL.read_bytes())
    model = load_model(EXAMPLE_MODEL)
    stored = struct.pack("<I4q", 4, 8, 3, 3, 3)
    at = data.find(stored, 26, model.params_offset)
    assert at > 0 and data.find(stored, at + 1, model.params_offset) == -1
    data[at : at + len(stored)] = struct.pack("<I4q", 4, 9, 3, 3, 3)
    patched = tmp_path / "stale.nb"
    patched.write_bytes(data)

    stale = load_model(patched)
    assert stale.vars["conv2d_0.w_0"].dims == (9, 3, 3, 3)
    assert {p.name: p.dims for p in read_params(stale)}["conv2d_0.w_0"] == (8, 3, 3, 3)
