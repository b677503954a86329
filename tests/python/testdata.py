"""Where the test models are: ../shared/models beside the checkout, tests/fixtures, examples/."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_MODELS = REPO.parent / "shared" / "models"
FIXTURES = REPO / "tests" / "fixtures"
EXAMPLE_MODEL = REPO / "examples" / "mobilenet_v1_x0_25_arm.nb"

SHARED_SKIP_REASON = f"{SHARED_MODELS} is absent (shared/ sits beside the checkout on dev machines and in CI)"


def shared_models() -> list[Path]:
    """Every real model under ../shared/models (<name>/<name>_<target>.nb), or [] when shared/ is absent."""
    return sorted(SHARED_MODELS.glob("*/*_*.nb")) if SHARED_MODELS.is_dir() else []


def fixture_models() -> list[Path]:
    """Every .nb under tests/fixtures/{ops,models}/<case>/, whatever exists yet: `model_<target>.nb`, and
    variants such as `model_v1_arm.nb` or `model_int8_x86.nb`."""
    return sorted(FIXTURES.glob("*/*/*.nb"))


def target_of(model: Path) -> str:
    """`arm` or `x86`, from `<name>_<target>.nb` or `model_[<variant>_]<target>.nb`."""
    return model.stem.rsplit("_", 1)[1]


def variant_of(model: Path) -> str:
    """The fixture's key in case.json and suffix of its tailoring dir: `arm`, `v1_arm`, `int8_x86`, ...; for
    the shared models (`<name>_<target>.nb`), just the target."""
    return model.stem.removeprefix("model_") if model.stem.startswith("model_") else target_of(model)


def tailoring_dir(model: Path) -> Path:
    return model.parent / f"tailoring_{variant_of(model)}"


def ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in paths]


def param_or_skip(paths: list[Path], reason: str) -> list[object]:
    """pytest params for `paths`, or one skipped param saying why there are none."""
    if paths:
        return [pytest.param(p, id=i) for p, i in zip(paths, ids(paths), strict=True)]
    return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="none")]


def small_example_model() -> bytes:
    """The example model with only its first `keep` params: a valid ~60 KB file (header, 50 KB topology, and a
    parameter section whose num_params is patched), for tests that need a real topology but not 2 MB."""
    keep = 3
    data = EXAMPLE_MODEL.read_bytes()
    params = params_offset(data)
    # params_version, meta_size=0, header_size, num_params, max_tensor_bytes; then (total_size, offset, fb)...
    pos = params + 4 + 8
    for _ in range(keep):
        pos += 4 + struct.unpack_from("<I", data, pos)[0]
    head = bytearray(data[: params + 12])
    struct.pack_into("<H", head, params + 6, keep)
    return bytes(head) + data[params + 12 : pos]


def params_offset(data: bytes) -> int:
    return 26 + struct.unpack_from("<Q", data, 18)[0]


def as_meta_version_1(data: bytes) -> bytes:
    """Re-encode a meta_version 2 file as meta_version 1: same topology, and the parameter section as one
    FlatBuffer `CombinedParamsDesc{params:[ParamDesc]}` that embeds each v2 ParamDesc buffer unchanged (their
    internal offsets are all relative, so they stay valid wherever they sit)."""
    params = params_offset(data)
    count = struct.unpack_from("<H", data, params + 6)[0]
    blobs = []
    pos = params + 12
    for _ in range(count):
        total, offset = struct.unpack_from("<II", data, pos)
        blobs.append(data[pos + 4 + offset : pos + 4 + total])
        pos += 4 + total
    # Layout: root uoffset | vtable (3 x u16 + pad) | table (soffset, uoffset to vector) | vector | blobs.
    vtable_at, table_at, vector_at = 4, 12, 20
    blobs_at = vector_at + 4 + 4 * count
    out = bytearray(struct.pack("<I", table_at))
    out += struct.pack("<HHHH", 6, 8, 4, 0)
    out += struct.pack("<iI", table_at - vtable_at, vector_at - (table_at + 4))
    out += struct.pack("<I", count)
    at = blobs_at
    for i, blob in enumerate(blobs):
        root = at + struct.unpack_from("<I", blob, 0)[0]
        out += struct.pack("<I", root - (vector_at + 4 + 4 * i))
        at += len(blob)
    for blob in blobs:
        out += blob
    head = bytearray(data[:params])
    struct.pack_into("<H", head, 0, 1)
    return bytes(head) + bytes(out)
