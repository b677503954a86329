"""The bounds-checked FlatBuffer reader on hand-made buffers: the guarantees the fuzz test relies on."""

from __future__ import annotations

import struct

import pytest

from tailor.errors import NbFormatError
from tailor.nb.flatbuffers import INT64, FlatBuffer


def one_field_table(field: bytes) -> bytes:
    """root uoffset -> table whose only field (id 0) is `field` (4 bytes), vtable before the table."""
    vtable = struct.pack("<HHH", 6, 8, 4) + b"\0\0"  # padded to 8
    table_at = 4 + len(vtable)
    return struct.pack("<I", table_at) + vtable + struct.pack("<i", table_at - 4) + field


def vector_of_aliases(count: int, string: bytes) -> bytes:
    """A table whose field 0 is a vector of `count` offsets that all point at one string."""
    head = one_field_table(struct.pack("<I", 4))  # the vector follows the field directly
    vector_at = len(head)
    string_at = vector_at + 4 + 4 * count
    offsets = [string_at - (vector_at + 4 + 4 * i) for i in range(count)]
    body = struct.pack(f"<I{count}I", count, *offsets)
    return head + body + struct.pack("<I", len(string)) + string + b"\0"


def test_aliasing_is_bounded() -> None:
    buf = vector_of_aliases(1000, b"x" * 1000)
    table = FlatBuffer(buf, 26, "m.nb").root("Root")
    with pytest.raises(NbFormatError, match="excessive aliasing"):
        table.string_vector(0, "names")


def test_modest_sharing_is_fine() -> None:
    buf = vector_of_aliases(10, b"name")
    assert FlatBuffer(buf, 26, "m.nb").root("Root").string_vector(0, "names") == ["name"] * 10


def test_invalid_utf8_is_a_format_error_at_its_offset() -> None:
    buf = vector_of_aliases(1, b"ok\xffno")
    with pytest.raises(NbFormatError) as info:
        FlatBuffer(buf, 26, "m.nb").root("Root").string_vector(0, "names")
    assert info.value.offset == 26 + buf.index(b"\xff")
    assert "UTF-8 text in Root.names[0]" in str(info.value)


def test_missing_nul_terminator() -> None:
    buf = bytearray(vector_of_aliases(1, b"abc"))
    buf[-1] = 0x41
    with pytest.raises(NbFormatError, match="NUL after string"):
        FlatBuffer(bytes(buf), 0, "m.nb").root("Root").string_vector(0, "names")


def test_vector_count_cannot_exceed_the_buffer() -> None:
    buf = one_field_table(struct.pack("<I", 4)) + struct.pack("<I", 0xFFFFFFFF)
    with pytest.raises(NbFormatError, match=r"4294967295 elements of Root\.dims inside the buffer"):
        FlatBuffer(buf, 0, "m.nb").root("Root").int_vector(0, INT64, "dims")


def test_vtable_before_the_buffer() -> None:
    buf = struct.pack("<Ii", 4, 1000)
    with pytest.raises(NbFormatError, match="vtable of Root inside the buffer"):
        FlatBuffer(buf, 0, "m.nb").root("Root")


def test_absent_fields_take_defaults() -> None:
    table = FlatBuffer(one_field_table(b"\0\0\0\0"), 0, "m.nb").root("Root")
    assert table.string_field(5, "name") is None
    assert table.int_field(7, INT64, "n", default=-1) == -1
    assert table.int_vector(9, INT64, "dims") == ()
    with pytest.raises(NbFormatError, match=r"field Root\.name, got none"):
        table.required_string(5, "name")
