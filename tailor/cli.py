"""The `tailor` command line: a thin typer app; each command lives in its own module under tailor/commands/.

To add a command `foo`: create tailor/commands/foo.py with `def register(app: typer.Typer) -> None` that
declares the command with `@app.command("foo")`, calls the library, and wraps its body in
`tailor.commands._errors.exit_on_tailor_error()`; then add the module to COMMANDS below.
"""

from __future__ import annotations

import typer

from tailor import __version__
from tailor.commands import build, codegen, doctor, scan

COMMANDS = (scan, codegen, build, doctor)

app = typer.Typer(
    name="tailor",
    help="Build the smallest inference library that runs a given set of Paddle Lite .nb models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _print_version(value: bool) -> None:
    if value:
        print(f"tailor {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Build the smallest inference library that runs a given set of Paddle Lite .nb models."""


for command in COMMANDS:
    command.register(app)
