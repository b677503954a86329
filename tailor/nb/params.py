"""Decode the parameter section (FORMAT.md section 4) into `ParamInfo`s, without copying tensor data.

meta_version 2 stores a small header and then one ParamDesc FlatBuffer per parameter; meta_version 1 stores
the whole section as a single FlatBuffer with root CombinedParamsDesc. Each FlatBuffer is read into memory on
its own, so memory stays bounded by the largest parameter (v2) or the section (v1), never by a length field.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from tailor.errors import NbFormatError
from tailor.model import ParamInfo
from tailor.nb.fileio import read_exact
from tailor.nb.flatbuffers import INT32, INT64, UINT8, FlatBuffer, Table
from tailor.paddle_enums import DTYPE_SIZES, dtype_name

_SECTION_HEAD = struct.Struct("<HH")  # params_version, meta_size
_PARAMS_HEADER = struct.Struct("<HHI")  # header_size, num_params, max_tensor_bytes
_PARAM_HEAD = struct.Struct("<II")  # total_size, offset
_UNION_LOD_TENSOR_DESC = 1


def read_params_v2(f: BinaryIO, path: str, start: int, end: int) -> tuple[list[ParamInfo], int]:
    """The parameters and the offset just past the last one (the file's end, in files written by opt)."""
    params_version, meta_size = _SECTION_HEAD.unpack(
        read_exact(f, path, start, 4, "parameter section header")
    )
    if params_version != 0:
        raise NbFormatError(path, start, "params_version 0", str(params_version))
    pos = start + 4 + meta_size  # the meta bytes are unused by Lite
    header = read_exact(f, path, pos, _PARAMS_HEADER.size, "parameter header")
    header_size, num_params, _max_tensor_bytes = _PARAMS_HEADER.unpack(header)
    if header_size != 6:
        raise NbFormatError(path, pos, "parameter header_size 6", str(header_size))
    pos += _PARAMS_HEADER.size
    params = []
    for index in range(num_params):
        what = f"parameter {index} of {num_params}"
        total_size, offset = _PARAM_HEAD.unpack(read_exact(f, path, pos, _PARAM_HEAD.size, f"{what} header"))
        if not 4 <= offset <= total_size:
            raise NbFormatError(path, pos, f"{what}: 4 <= offset <= total_size", f"{offset}, {total_size}")
        fb_start = pos + 4 + offset
        fb_size = total_size - offset
        if fb_start + fb_size > end:
            raise NbFormatError(path, pos, f"{what}: {fb_size} bytes before the end of file", "a short file")
        buffer = FlatBuffer(read_exact(f, path, fb_start, fb_size, what), fb_start, path)
        params.append(_decode_param_desc(buffer.root("ParamDesc")))
        pos = fb_start + fb_size
    return params, pos


def read_params_v1(f: BinaryIO, path: str, start: int, end: int) -> tuple[list[ParamInfo], int]:
    """The parameters and the section's end: the one FlatBuffer runs to the end of the file by definition."""
    buffer = FlatBuffer(read_exact(f, path, start, end - start, "parameter section"), start, path)
    root = buffer.root("CombinedParamsDesc")
    return [_decode_param_desc(table) for table in root.table_vector(0, "params")], end


def _decode_param_desc(desc: Table) -> ParamInfo:
    fb = desc.fb
    name = desc.required_string(1, "name")
    variable_type = desc.int_field(2, UINT8, "variable_type")
    tensor = desc.table_field(3, "variable")
    if variable_type != _UNION_LOD_TENSOR_DESC or tensor is None:
        raise fb.error(
            desc.pos, f"parameter {name!r} stored as a LoDTensorDesc", f"union type {variable_type}"
        )
    dims = tensor.int_vector(2, INT64, "dim")
    if any(d < 0 for d in dims):
        raise fb.error(tensor.pos, f"parameter {name!r} with non-negative dims", str(list(dims)))
    dtype = tensor.int_field(3, INT32, "data_type")
    data_pos, nbytes = tensor.byte_vector_span(4, "data")
    elem_size = DTYPE_SIZES.get(dtype)
    if elem_size is not None and _numel_capped(dims, nbytes) * elem_size != nbytes:
        expected = f"numel x {elem_size} data bytes for {name!r} {list(dims)} {dtype_name(dtype)}"
        raise fb.error(data_pos, expected, f"{nbytes}")
    return ParamInfo(name, dims, dtype, nbytes, fb.base + data_pos)


def _numel_capped(dims: tuple[int, ...], cap: int) -> int:
    """The element count, or cap + 1 once it exceeds `cap`: a crafted file may hold enormous dims lists."""
    if 0 in dims:
        return 0
    numel = 1
    for d in dims:
        numel *= d
        if numel > cap:
            return cap + 1
    return numel
