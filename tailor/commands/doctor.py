"""`tailor doctor`: which ABIs this machine can build and run, and what to install for the others."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from tailor.commands._errors import exit_on_tailor_error
from tailor.doctor import doctor, render_text


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_command)


def doctor_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the tailor.doctor/1 JSON document.")] = False,
    ndk: Annotated[
        Path | None,
        typer.Option("--ndk", help="Android NDK (default: $ANDROID_NDK_HOME, $ANDROID_NDK_ROOT)."),
    ] = None,
) -> None:
    """For every ABI: can it be built here (compiler, NDK) and run here (native, qemu)? What to install."""
    with exit_on_tailor_error():
        report = doctor(ndk)
        output = json.dumps(report.to_json(), indent=2) + "\n" if as_json else render_text(report)
    sys.stdout.write(output)
