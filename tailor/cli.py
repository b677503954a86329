"""The `tailor` command line: a thin typer app; each command lives in its own module under tailor/commands/.

To add a command `foo`: create tailor/commands/foo.py with `def register(app: typer.Typer) -> None` that
declares the command with `@app.command("foo")`, calls the library, and wraps its body in
`tailor.commands._errors.exit_on_tailor_error()`; then add "foo" to COMMANDS below.

Command modules are imported only when their command runs (or when `--help` lists them), so that
`tailor scan` does not pay for the imports of `tailor build` (numpy, jinja2, rich, ...): start-up time is
part of every command's run time. Keep heavy imports out of this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from tailor import __version__

# Command name -> module under tailor.commands, in the order `--help` lists them.
COMMANDS = ("scan", "codegen", "build", "doctor")


class _LazyCommands(MutableMapping[str, Any]):
    """The group's command table: names are known up front, a command's module is imported on first lookup."""

    def __init__(self, names: tuple[str, ...], eager: MutableMapping[str, Any]) -> None:
        self._names = [*names, *(n for n in eager if n not in names)]
        self._loaded: dict[str, Any] = dict(eager)

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            if name not in self._names:
                raise KeyError(name)
            self._loaded[name] = _load_command(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._names:
            self._names.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


def _load_command(name: str) -> Any:
    """Import tailor.commands.<name> and turn the command its `register` declares into a click command."""
    module = importlib.import_module(f"tailor.commands.{name}")
    holder = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False)
    module.register(holder)
    return typer.main.get_command(holder)


class _LazyGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(COMMANDS, self.commands)


app = typer.Typer(
    name="tailor",
    help="Build the smallest inference library that runs a given set of Paddle Lite .nb models.",
    cls=_LazyGroup,
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
