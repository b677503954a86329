"""A small, bounds-checked FlatBuffers reader for untrusted input.

Only what Paddle Lite's schemas use: tables, scalars, strings, and vectors of scalars, strings and tables.
Every failure is an `NbFormatError` carrying the absolute file offset (`base` + position in the buffer) and
the path of the object being read (e.g. `ProgramDesc.blocks[0].ops[3].type`), so a corrupt file never surfaces
as IndexError, struct.error or UnicodeDecodeError.

Bounds: positions only grow from the root (uoffsets are unsigned), except vtables, which are checked for being
negative; every other out-of-range read makes `struct.unpack_from` raise, which is turned into NbFormatError.
Lengths are checked against the buffer before anything is sliced or allocated, so a count can never exceed
what the buffer holds.

Termination: the schemas read here are not recursive, so nesting depth is bounded by the decoding code. A file
can still alias (many offsets to one large vector or table) to multiply the work, so every table, vector and
string charges its size to a budget proportional to the buffer (`work_factor` x size); a well-formed file
reads each object once and stays far below it.

The code is written for speed (scanning ~100 models must take well under a second): error messages are built
only when an error is raised.
"""

from __future__ import annotations

import struct
from typing import Any

from tailor.errors import NbFormatError

BOOL = struct.Struct("<?")
UINT8 = struct.Struct("<B")
INT32 = struct.Struct("<i")
INT64 = struct.Struct("<q")
FLOAT32 = struct.Struct("<f")
FLOAT64 = struct.Struct("<d")

_U32 = struct.Struct("<I")
_VTABLE_HEAD = struct.Struct("<HH")  # vtable bytes, table bytes
# The widest table read here (Attr) has 16 fields; ids past the ones read are treated as absent.
_MAX_FIELDS = 16
_VTABLE_FIELDS = [struct.Struct(f"<{n}H") for n in range(_MAX_FIELDS + 1)]
_ABSENT = [(0,) * (_MAX_FIELDS - n) for n in range(_MAX_FIELDS + 1)]
# What each object costs on top of its bytes, so that empty objects aliased many times exhaust the budget too.
_OBJECT_COST = 8


class FlatBuffer:
    """A FlatBuffer held in `buf`, which starts at absolute offset `base` of the file named `path`."""

    __slots__ = ("base", "budget", "buf", "path")

    def __init__(self, buf: bytes, base: int, path: str, work_factor: int = 8) -> None:
        self.buf = buf
        self.base = base
        self.path = path
        self.budget = work_factor * len(buf) + 4096

    def error(self, pos: int, expected: str, got: str) -> NbFormatError:
        return NbFormatError(self.path, self.base + pos, expected, got)

    def charge(self, nbytes: int, pos: int, what: str) -> None:
        self.budget -= nbytes + _OBJECT_COST
        if self.budget < 0:
            raise self.error(pos, f"{what} referenced a bounded number of times", "excessive aliasing")

    def root(self, name: str) -> Table:
        try:
            return Table(self, _U32.unpack_from(self.buf, 0)[0], None, name)
        except struct.error:
            raise self.error(0, f"{name} root offset", "end of data") from None


class Table:
    """A table at buffer position `pos`. Field accessors return the schema default when a field is absent."""

    __slots__ = ("_fields", "fb", "index", "name", "parent", "pos")

    def __init__(self, fb: FlatBuffer, pos: int, parent: Table | None, name: str, index: int = -1) -> None:
        self.fb = fb
        self.pos = pos
        self.parent = parent
        self.name = name
        self.index = index
        buf = fb.buf
        try:
            vtable = pos - INT32.unpack_from(buf, pos)[0]
            if vtable < 0:
                raise fb.error(pos, f"vtable of {self.what} inside the buffer", f"offset {fb.base + vtable}")
            vtable_bytes, table_bytes = _VTABLE_HEAD.unpack_from(buf, vtable)
            count = (vtable_bytes - 4) >> 1
            if count < 0 or vtable_bytes & 1:
                raise fb.error(vtable, f"vtable size of {self.what} (even, >= 4)", str(vtable_bytes))
            # Always _MAX_FIELDS entries, absent ones 0, so that accessors index without a length check.
            if count >= _MAX_FIELDS:
                self._fields: tuple[int, ...] = _VTABLE_FIELDS[_MAX_FIELDS].unpack_from(buf, vtable + 4)
            else:
                self._fields = _VTABLE_FIELDS[count].unpack_from(buf, vtable + 4) + _ABSENT[count]
        except struct.error:
            raise fb.error(
                min(pos, len(buf)), f"table {self.what} inside the buffer", "end of data"
            ) from None
        fb.budget -= table_bytes + _OBJECT_COST
        if fb.budget < 0:
            fb.charge(0, pos, self.what)

    @property
    def what(self) -> str:
        """Where this table sits in the object tree, e.g. `ProgramDesc.blocks[0].ops[3]`, for messages."""
        parts = []
        table: Table | None = self
        while table is not None:
            parts.append(table.name if table.index < 0 else f"{table.name}[{table.index}]")
            table = table.parent
        return ".".join(reversed(parts))

    def _cut(self, pos: int, name: str, what: str = "") -> NbFormatError:
        """The error for a read of field `name` that ran past the end of the buffer."""
        expected = f"{what or 'field'} {self.what}.{name} inside the buffer"
        return self.fb.error(min(pos, len(self.fb.buf)), expected, "end of data")

    def _deref(self, field_id: int, name: str) -> int:
        """Buffer position that offset field `field_id` points to; 0 when the field is absent (position 0
        holds the root offset, so no object can sit there)."""
        offset = self._fields[field_id]
        if not offset:
            return 0
        pos = self.pos + offset
        try:
            target: int = pos + _U32.unpack_from(self.fb.buf, pos)[0]
        except struct.error:
            raise self._cut(pos, name, "offset of") from None
        return target

    # -- scalars --

    def int_field(self, field_id: int, fmt: struct.Struct, name: str, default: int = 0) -> int:
        offset = self._fields[field_id]
        if not offset:
            return default
        pos = self.pos + offset
        try:
            value: int = fmt.unpack_from(self.fb.buf, pos)[0]
        except struct.error:
            raise self._cut(pos, name) from None
        return value

    def float_field(self, field_id: int, fmt: struct.Struct, name: str) -> float:
        offset = self._fields[field_id]
        if not offset:
            return 0.0
        pos = self.pos + offset
        try:
            value: float = fmt.unpack_from(self.fb.buf, pos)[0]
        except struct.error:
            raise self._cut(pos, name) from None
        return value

    def bool_field(self, field_id: int, name: str) -> bool:
        return bool(self.int_field(field_id, BOOL, name))

    # -- offsets: strings, sub-tables, vectors --

    def _string_at(self, pos: int, name: str, index: int = -1) -> str:
        """The string at `pos`; `name` and `index` say which field it is, for error messages."""
        fb = self.fb
        buf = fb.buf
        try:
            length: int = _U32.unpack_from(buf, pos)[0]
        except struct.error:
            raise self._cut(pos, _label(name, index), "length of string") from None
        start = pos + 4
        end = start + length
        # FlatBuffers always writes a NUL after the bytes.
        if end >= len(buf):
            raise fb.error(
                start,
                f"{length}-byte string {self.what}.{_label(name, index)} inside the buffer",
                "end of data",
            )
        if buf[end]:
            raise fb.error(
                end, f"NUL after string {self.what}.{_label(name, index)}", f"byte {buf[end]:#04x}"
            )
        fb.budget -= length + _OBJECT_COST
        if fb.budget < 0:
            fb.charge(0, pos, f"{self.what}.{_label(name, index)}")
        try:
            return buf[start:end].decode()
        except UnicodeDecodeError as exc:
            bad = buf[start + exc.start]
            raise fb.error(
                start + exc.start, f"UTF-8 text in {self.what}.{_label(name, index)}", f"byte {bad:#04x}"
            ) from None

    def string_field(self, field_id: int, name: str) -> str | None:
        pos = self._deref(field_id, name)
        return self._string_at(pos, name) if pos else None

    def required_string(self, field_id: int, name: str) -> str:
        pos = self._deref(field_id, name)
        if not pos:
            raise self.fb.error(self.pos, f"field {self.what}.{name}", "none")
        return self._string_at(pos, name)

    def table_field(self, field_id: int, name: str) -> Table | None:
        pos = self._deref(field_id, name)
        return Table(self.fb, pos, self, name) if pos else None

    def _vector(self, field_id: int, elem_size: int, name: str) -> tuple[int, int]:
        """(buffer position of the first element, count) of a vector field; (0, 0) when absent."""
        vector = self._deref(field_id, name)
        if not vector:
            return 0, 0
        fb = self.fb
        try:
            count: int = _U32.unpack_from(fb.buf, vector)[0]
        except struct.error:
            raise self._cut(vector, name, "length of vector") from None
        start = vector + 4
        nbytes = count * elem_size
        if start + nbytes > len(fb.buf):
            raise fb.error(start, f"{count} elements of {self.what}.{name} inside the buffer", "end of data")
        fb.budget -= nbytes + _OBJECT_COST
        if fb.budget < 0:
            fb.charge(0, vector, f"{self.what}.{name}")
        return start, count

    def _scalars(self, field_id: int, fmt: struct.Struct, name: str) -> tuple[Any, ...]:
        start, count = self._vector(field_id, fmt.size, name)
        return struct.unpack_from(f"<{count}{fmt.format[-1]}", self.fb.buf, start) if count else ()

    def int_vector(self, field_id: int, fmt: struct.Struct, name: str) -> tuple[int, ...]:
        """A vector of integers (`fmt` an integer Struct) as a tuple; () when absent."""
        return self._scalars(field_id, fmt, name)

    def float_vector(self, field_id: int, fmt: struct.Struct, name: str) -> tuple[float, ...]:
        return self._scalars(field_id, fmt, name)

    def bool_vector(self, field_id: int, name: str) -> tuple[bool, ...]:
        return self._scalars(field_id, BOOL, name)

    def byte_vector_span(self, field_id: int, name: str) -> tuple[int, int]:
        """(buffer position, length) of a [byte] vector's data, without copying it; (0, 0) when absent."""
        return self._vector(field_id, 1, name)

    def _offsets(self, field_id: int, name: str) -> list[int]:
        """Targets of a vector of offsets (each relative to its own element)."""
        start, count = self._vector(field_id, 4, name)
        if not count:
            return []
        offsets = struct.unpack_from(f"<{count}I", self.fb.buf, start)
        return [start + 4 * i + offset for i, offset in enumerate(offsets)]

    def string_vector(self, field_id: int, name: str) -> list[str]:
        return [self._string_at(pos, name, i) for i, pos in enumerate(self._offsets(field_id, name))]

    def table_vector(self, field_id: int, name: str) -> list[Table]:
        fb = self.fb
        return [Table(fb, pos, self, name, i) for i, pos in enumerate(self._offsets(field_id, name))]


def _label(name: str, index: int) -> str:
    return name if index < 0 else f"{name}[{index}]"
