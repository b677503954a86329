"""`tailor scan`: what each model needs, and the union over all of them.

The library modules are imported inside the command, so that `tailor --help` and other commands do not pay
for them, and `--json` does not pay for rich (the text report's renderer).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tailor.commands._errors import exit_on_tailor_error
from tailor.commands._options import MoreModels
from tailor.errors import TailorError


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_command)


def scan_command(
    models: Annotated[
        list[Path] | None, typer.Option("--models", "-m", help="A .nb model; more may follow as arguments.")
    ] = None,
    more_models: MoreModels = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tailor.scan/1 JSON document.")] = False,
    paddle_lists: Annotated[
        Path | None,
        typer.Option("--paddle-lists", help="Write .tailored_ops_list and .tailored_kernels_list into DIR."),
    ] = None,
) -> None:
    """Show each model's inputs, outputs, op types and kernel keys, and the kernel keys they need together."""
    with exit_on_tailor_error():
        from tailor.scan import scan

        paths = [*(models or []), *(more_models or [])]
        if not paths:
            raise TailorError("no models given: pass --models a.nb [b.nb ...]")
        result = scan(paths)
        written = []
        if paddle_lists is not None:
            from tailor.paddle_lists import write_paddle_lists

            written = write_paddle_lists(result.models, paddle_lists)
        if as_json:
            import json

            output = json.dumps(result.to_json(), indent=2) + "\n"
        else:
            import shutil

            from tailor.scan_report import render_text

            width = max(100, shutil.get_terminal_size((120, 24)).columns)
            output = render_text(result, width=width, color=sys.stdout.isatty())
            output += "".join(f"wrote {path}\n" for path in written)
    sys.stdout.write(output)
