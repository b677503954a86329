"""How every command reports a user-facing error: one line on stderr, exit status 2, no traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from tailor.errors import TailorError

EXIT_USER_ERROR = 2


@contextmanager
def exit_on_tailor_error() -> Iterator[None]:
    """Wrap a command's body: a TailorError becomes `error: <message>` on stderr and exit status 2.

    Commands must build their whole output before printing it, inside this block, so that a failure leaves
    nothing partial on stdout.
    """
    try:
        yield
    except TailorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_USER_ERROR) from None
