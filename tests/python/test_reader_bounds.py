"""load_model reads the header and topology only; malformed headers are refused with one-line errors."""

from __future__ import annotations

import io
import os
import struct
import time
import tracemalloc
from pathlib import Path

import pytest
from testdata import EXAMPLE_MODEL

import tailor.nb.reader as reader
from tailor.errors import NbFormatError, TailorError
from tailor.nb import load_model, read_params


class CountingFile(io.FileIO):
    """A file that counts the bytes handed out by read()."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "r")
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data or b"")
        return data or b""


def test_load_model_reads_only_header_and_topology(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything the parser reads goes through one file object; hashing (which must read the whole file) is
    stubbed out so that the count is the parser's alone."""
    opened: list[CountingFile] = []

    def counting_open(path: Path) -> CountingFile:
        opened.append(CountingFile(path))
        return opened[-1]

    monkeypatch.setattr(reader, "open_model_file", counting_open)
    monkeypatch.setattr(reader, "file_sha256", lambda f, name: "0" * 64)
    model = load_model(EXAMPLE_MODEL)
    assert len(opened) == 1
    assert opened[0].bytes_read == model.params_offset == 26 + 50128
    assert model.file_size - model.params_offset > 1_800_000


def sparse_model(tmp_path: Path, param_bytes: int) -> Path:
    """Header and topology of the example model, untouched, then `param_bytes` of sparse zeros."""
    model = load_model(EXAMPLE_MODEL)
    path = tmp_path / "huge.nb"
    with EXAMPLE_MODEL.open("rb") as src, path.open("wb") as dst:
        dst.write(src.read(model.params_offset))
        dst.truncate(model.params_offset + param_bytes)
    return path


def test_huge_parameter_section_is_not_loaded(tmp_path: Path) -> None:
    path = sparse_model(tmp_path, 500 * 1024 * 1024)
    tracemalloc.start()
    try:
        start = time.perf_counter()
        model = load_model(path)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert model.file_size > 500 * 1024 * 1024
    assert [op.kernel for op in model.ops] == [op.kernel for op in load_model(EXAMPLE_MODEL).ops]
    assert peak < 32 * 1024 * 1024, f"load_model allocated {peak} bytes"
    assert elapsed < 10, "hashing 500 MB should take well under a second or two"
    # The zeros are not a parameter section: asked for, the params are refused at once.
    with pytest.raises(NbFormatError, match=r"header_size 6, got 0"):
        read_params(model)


def write(tmp_path: Path, data: bytes, name: str = "m.nb") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def header(meta_version: int, topo_size: int, opt: bytes = b"v2.13-rc\0") -> bytes:
    return struct.pack("<H16sQ", meta_version, opt, topo_size)


def test_meta_version_0_is_refused_with_advice(tmp_path: Path) -> None:
    data = bytearray(EXAMPLE_MODEL.read_bytes())
    data[0:2] = b"\0\0"
    with pytest.raises(NbFormatError) as info:
        load_model(write(tmp_path, bytes(data)))
    message = str(info.value)
    assert "\n" not in message
    assert "re-export" in message and "paddle_lite_opt" in message and "2.7" in message
    assert info.value.offset == 0


@pytest.mark.parametrize("meta_version", [3, 0x7FFF, 0xFFFF])
def test_unknown_meta_versions_are_refused(tmp_path: Path, meta_version: int) -> None:
    with pytest.raises(NbFormatError, match="meta_version 1 or 2"):
        load_model(write(tmp_path, header(meta_version, 0)))


def test_empty_and_short_files(tmp_path: Path) -> None:
    with pytest.raises(NbFormatError, match="empty file"):
        load_model(write(tmp_path, b""))
    with pytest.raises(NbFormatError, match=r"26-byte \.nb header, got a 10-byte file"):
        load_model(write(tmp_path, b"\x02" * 10))


def test_topo_size_past_the_end(tmp_path: Path) -> None:
    with pytest.raises(NbFormatError) as info:
        load_model(write(tmp_path, header(2, 1 << 40) + b"\0" * 100))
    assert info.value.offset == 18
    assert "topo_size <= 100" in str(info.value)


def test_opt_version_stops_at_nul() -> None:
    data = bytearray(EXAMPLE_MODEL.read_bytes())
    assert data[2:11] == b"v2.13-rc\0" and data[11:18] != b"\0" * 7  # garbage after the NUL, as opt writes
    assert load_model(EXAMPLE_MODEL).opt_version == "v2.13-rc"


def test_paths_that_are_not_files(tmp_path: Path) -> None:
    with pytest.raises(TailorError, match="no such file"):
        load_model(tmp_path / "missing.nb")
    with pytest.raises(TailorError, match="is a directory"):
        load_model(tmp_path)
    fifo = tmp_path / "fifo.nb"
    os.mkfifo(fifo)
    with pytest.raises(TailorError, match="not a regular file"):
        load_model(fifo)


def test_file_changed_after_load(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE_MODEL.read_bytes())
    model = load_model(path)
    with path.open("ab") as f:
        f.write(b"\0")
    with pytest.raises(TailorError, match="changed since"):
        read_params(model)


def test_error_names_the_file_and_offset(tmp_path: Path) -> None:
    data = bytearray(EXAMPLE_MODEL.read_bytes())
    data[26:30] = struct.pack("<I", 0xFFFFFF)  # root offset far past the topology
    with pytest.raises(NbFormatError) as info:
        load_model(write(tmp_path, bytes(data), "bad.nb"))
    assert str(info.value).startswith(f"{tmp_path / 'bad.nb'}: byte ")
    assert 26 <= info.value.offset <= 26 + 50128
