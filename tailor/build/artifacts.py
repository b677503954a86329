"""Artifacts: everything a build writes is staged in a temporary directory beside `--out` and moved into place
with `os.replace` only once the whole build succeeded, under an exclusive lock on `--out`'s parent directory.

A failed or interrupted build therefore leaves `--out` as it was (no half-written library or report), and two
builds writing the same `--out` at once each publish a complete set of files (the last one wins per ABI).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tailor.errors import TailorError

STAGING_PREFIX = ".tailor-staging-"
OLD_PREFIX = ".tailor-old-"


@contextmanager
def _dir_lock(directory: Path) -> Iterator[None]:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class Staging:
    """A staging directory for one build's output; `publish()` moves it into `out`, `discard()` removes it."""

    def __init__(self, out: Path) -> None:
        self.out = out.expanduser().absolute()
        parent = self.out.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + self.out.name + "-", dir=parent))
        except OSError as exc:
            raise TailorError(
                f"{parent}: cannot create the output directory: {exc.strerror or exc}"
            ) from None
        self.published = False

    def abi_dir(self, abi: str) -> Path:
        path = self.root / abi
        path.mkdir(parents=True, exist_ok=True)
        return path

    def publish(self, abis: Sequence[str], files: Sequence[str]) -> None:
        """Move `root/<abi>/` for each ABI and the top-level `files` into `out`, replacing what is there."""
        with _dir_lock(self.out.parent):
            self.out.mkdir(exist_ok=True)
            for abi in abis:
                source, target = self.root / abi, self.out / abi
                old = None
                if target.exists() or target.is_symlink():
                    old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=self.out))
                    os.replace(target, old / abi)
                os.replace(source, target)
                if old is not None:
                    shutil.rmtree(old, ignore_errors=True)
            for name in files:
                os.replace(self.root / name, self.out / name)
        self.published = True
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
