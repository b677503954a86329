"""User-facing errors. The CLI prints ``str(error)`` as one line and exits 2, so messages must be one line."""

from __future__ import annotations


class TailorError(Exception):
    """Base class of every error caused by the user's input or environment (not by a bug in tailor)."""


class NbFormatError(TailorError):
    """A `.nb` file is not what Paddle Lite writes: names the file, the absolute byte offset and what
    was expected there."""

    def __init__(self, path: str, offset: int, expected: str, got: str) -> None:
        self.path = path
        self.offset = offset
        self.expected = expected
        self.got = got
        super().__init__(f"{path}: byte {offset}: expected {expected}, got {got}")
