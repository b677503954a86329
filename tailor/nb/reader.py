"""Public entry points for reading Paddle Lite `.nb` files.

`load_model` reads the 26-byte header and the topology only; parameters are decoded on demand by `read_params`
and `read_param_data`, which reopen the file. The sha256 is the one step that streams the whole file.
"""

from __future__ import annotations

import hashlib
import struct
from io import BufferedReader
from pathlib import Path

from tailor.errors import NbFormatError, TailorError
from tailor.model import Model, ParamInfo
from tailor.nb.fileio import file_size, open_model_file, read_exact
from tailor.nb.flatbuffers import FlatBuffer
from tailor.nb.params import read_params_v1, read_params_v2
from tailor.nb.program import decode_program

HEADER = struct.Struct("<H16sQ")  # meta_version, opt_version (NUL-terminated), topo_size
SUPPORTED_META_VERSIONS = (1, 2)


def load_model(path: str | Path) -> Model:
    """Read a `.nb` file's header and topology. Raises TailorError (NbFormatError for bad bytes)."""
    path = Path(path)
    name = str(path)
    with open_model_file(path) as f:
        size = file_size(f)
        if size < HEADER.size:
            got = "an empty file" if size == 0 else f"a {size}-byte file"
            raise NbFormatError(name, 0, f"a {HEADER.size}-byte .nb header", got)
        meta_version, raw_opt_version, topo_size = HEADER.unpack(
            read_exact(f, name, 0, HEADER.size, "header")
        )
        _check_meta_version(name, meta_version)
        if topo_size > size - HEADER.size:
            raise NbFormatError(name, 18, f"topo_size <= {size - HEADER.size} (the bytes after the header)",
                                f"{topo_size}: a truncated file?")  # fmt: skip
        topology = read_exact(f, name, HEADER.size, topo_size, "topology")
        program = decode_program(FlatBuffer(topology, HEADER.size, name))
        sha256 = file_sha256(f, name)  # last: a malformed file fails before the whole of it is read
    return Model(
        path=path,
        sha256=sha256,
        meta_version=meta_version,
        # opt copies 16 bytes out of a std::string: everything after the NUL is garbage.
        opt_version=raw_opt_version.split(b"\0", 1)[0].decode("utf-8", "backslashreplace"),
        paddle_version=program.paddle_version,
        file_size=size,
        vars=program.vars,
        ops=program.ops,
        inputs=program.inputs,
        outputs=program.outputs,
        params_offset=HEADER.size + topo_size,
    )


def read_params(model: Model) -> list[ParamInfo]:
    """The stored parameters in file order, dims from the parameter section (VarDesc dims can be stale)."""
    name = str(model.path)
    with _reopen(model) as f:
        read_section = read_params_v1 if model.meta_version == 1 else read_params_v2
        params, _end = read_section(f, name, model.params_offset, model.file_size)
    return params


def read_param_data(model: Model, param: str) -> bytes:
    """The raw little-endian bytes of one parameter, in row-major order of its dims."""
    info = next((p for p in read_params(model) if p.name == param), None)
    if info is None:
        raise TailorError(f"{model.path}: no parameter named {param!r}")
    with _reopen(model) as f:
        return read_exact(f, str(model.path), info.data_offset, info.nbytes, f"data of {param!r}")


def file_sha256(f: BufferedReader, name: str) -> str:
    """Hex sha256 of the whole open file, streamed (OpenSSL's SHA-NI path: ~1-2 GB/s)."""
    try:
        f.seek(0)
        return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as exc:
        raise TailorError(f"{name}: read error: {exc.strerror or exc}") from None


def _check_meta_version(name: str, meta_version: int) -> None:
    if meta_version == 0:
        advice = "0, the pre-2.7 format: re-export the model with a newer paddle_lite_opt (>= 2.7)"
        raise NbFormatError(name, 0, "meta_version 1 or 2", advice)
    if meta_version not in SUPPORTED_META_VERSIONS:
        raise NbFormatError(name, 0, "meta_version 1 or 2 (a Paddle Lite .nb file)", str(meta_version))


def _reopen(model: Model) -> BufferedReader:
    """Reopen the model's file; refuse it if its size changed since `load_model` (offsets would be wrong)."""
    f = open_model_file(model.path)
    if file_size(f) != model.file_size:
        f.close()
        raise TailorError(f"{model.path}: file changed since it was loaded ({model.file_size} bytes then)")
    return f
