"""Opening and reading `.nb` files, with every OS-level failure turned into a one-line `TailorError`."""

from __future__ import annotations

import os
import stat
from io import BufferedReader
from pathlib import Path
from typing import BinaryIO

from tailor.errors import NbFormatError, TailorError


def open_model_file(path: Path) -> BufferedReader:
    """Open a regular file for reading; refuse directories, FIFOs and devices before `open` can block."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise TailorError(f"{path}: is a directory, not a .nb file")
        if not stat.S_ISREG(mode):
            raise TailorError(f"{path}: not a regular file")
        return open(path, "rb")
    except FileNotFoundError:
        raise TailorError(f"{path}: no such file") from None
    except PermissionError:
        raise TailorError(f"{path}: permission denied") from None
    except OSError as exc:
        raise TailorError(f"{path}: cannot open: {exc.strerror or exc}") from None


def file_size(f: BinaryIO) -> int:
    return os.fstat(f.fileno()).st_size


def read_exact(f: BinaryIO, path: str, offset: int, size: int, what: str) -> bytes:
    """Read `size` bytes at absolute `offset`; a short file is a format error naming `what` was cut off."""
    try:
        f.seek(offset)
        data = f.read(size)
    except OSError as exc:
        raise TailorError(f"{path}: read error at byte {offset}: {exc.strerror or exc}") from None
    if len(data) != size:
        raise NbFormatError(
            path, offset + len(data), f"{what} ({size} bytes from byte {offset})", "end of file"
        )
    return data
