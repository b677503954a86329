"""Paddle Lite's own tailoring lists, as `paddle_lite_opt --record_tailoring_info=true` writes them.

Each file holds one entry per line, every line ending in a newline, sorted bytewise and unique (opt writes
them from a std::set<std::string>). Only the two lists derivable from the models are written: the
*_source_list files name Paddle Lite source files, which the models do not record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from tailor.errors import TailorError
from tailor.model import Model

OPS_LIST = ".tailored_ops_list"
KERNELS_LIST = ".tailored_kernels_list"


def ops_list(models: Sequence[Model]) -> list[str]:
    return _sorted_unique(op.type for model in models for op in model.ops)


def kernels_list(models: Sequence[Model]) -> list[str]:
    return _sorted_unique(key.paddle_line() for model in models for key in model.kernel_keys())


def render(lines: Sequence[str]) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode()


def write_paddle_lists(models: Sequence[Model], directory: Path) -> list[Path]:
    """Write both lists over all `models` into `directory` (created if needed); returns the files written."""
    files = {OPS_LIST: ops_list(models), KERNELS_LIST: kernels_list(models)}
    written = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, lines in files.items():
            path = directory / name
            path.write_bytes(render(lines))
            written.append(path)
    except OSError as exc:
        raise TailorError(f"{directory}: cannot write Paddle lists: {exc.strerror or exc}") from None
    return written


def _sorted_unique(entries: Iterable[str]) -> list[str]:
    # std::set<std::string> orders by bytes; for UTF-8 that is the same as Python's code-point order.
    return sorted(set(entries))
