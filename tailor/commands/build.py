"""`tailor build`: the smallest engine library for a set of models, per ABI, verified and size-reported."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tailor.abi import ABI_NAMES
from tailor.build import BuildOptions, BuildResult, build
from tailor.build.conan import HOME_ENV
from tailor.commands._errors import exit_on_tailor_error
from tailor.commands._options import MoreModels, NoIsaFallbacks
from tailor.explain import render_explain
from tailor.report import kib, percent
from tailor.select import Selection


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)


class RichProgress:
    """Progress on stderr: a spinner per long step, then one line with its duration."""

    def __init__(self, console: Console, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet

    @contextmanager
    def step(self, text: str) -> Iterator[None]:
        started = time.monotonic()
        with self.console.status(text, spinner="dots"):
            yield
        if not self.quiet:
            self.console.print(
                f"[green]✓[/green] {text} [dim]({time.monotonic() - started:.1f} s)[/dim]", highlight=False
            )

    def info(self, text: str) -> None:
        if not self.quiet:
            self.console.print(f"  {text}", style="dim", markup=False, highlight=False, soft_wrap=True)

    def warn(self, text: str) -> None:
        self.console.print(text, style="yellow", markup=False, highlight=False, soft_wrap=True)


def render_summary(result: BuildResult) -> str:
    table = Table(title=f"tailor build -> {result.out}", title_justify="left")
    for column in ("ABI", "stripped", "full engine", "tailored/full", "units", "verified", "compiled"):
        table.add_column(column, justify="left" if column in ("ABI", "verified") else "right")
    for a in result.abis:
        v = a.verification
        verified = f"{len(v.checks)} model(s), {v.mode}" if v.mode != "skipped" else f"skipped: {v.reason}"
        table.add_row(
            a.abi,
            kib(a.stripped_bytes),
            kib(a.full_stripped_bytes),
            percent(a.ratio),
            str(len(a.units)),
            verified,
            "yes" if a.package.built else "cached",
        )
    console = Console(file=None, width=120, record=True, force_terminal=False, color_system=None)
    with console.capture() as capture:
        console.print(table)
    return (
        capture.get() + f"{len(result.abis)} ABI(s) in {result.seconds:.1f} s; see {result.out}/build.json\n"
    )


def build_command(
    models: Annotated[
        list[Path], typer.Option("--models", "-m", help="A .nb model; more may follow as arguments.")
    ],
    more_models: MoreModels = None,
    abi: Annotated[
        list[str] | None, typer.Option("--abi", help=f"Target ABI (repeatable): {', '.join(ABI_NAMES)}.")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory (one subdirectory per ABI).")
    ] = Path("dist"),
    static: Annotated[bool, typer.Option("--static", help="Also build lib/libtailor_engine.a.")] = False,
    ndk: Annotated[
        Path | None,
        typer.Option("--ndk", help="Android NDK (default: $ANDROID_NDK_HOME, $ANDROID_NDK_ROOT)."),
    ] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print why each unit is selected.")] = False,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Do not run the models with the built engine.")
    ] = False,
    no_isa_fallbacks: NoIsaFallbacks = False,
    budget: Annotated[
        float | None, typer.Option("--budget", help="Fail when a stripped library exceeds KIB kibibytes.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tailor.build/1 JSON document.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Parallel compile jobs.")] = None,
    conan_home: Annotated[
        Path | None,
        typer.Option("--conan-home", help=f"Conan home (default: ${HOME_ENV} or ~/.cache/tailor/conan)."),
    ] = None,
) -> None:
    """Build the smallest engine library that runs the models, for each ABI, into OUT/<abi>/."""
    console = Console(stderr=True)
    progress = RichProgress(console, quiet=False)

    def show(selection: Selection) -> None:
        # Printed as soon as the selection is known (before compiling); on stderr when stdout carries JSON.
        text = f"{selection.abi}:\n{render_explain(selection, width=max(100, console.width))}"
        stream = sys.stderr if as_json else sys.stdout
        stream.write(text if text.endswith("\n") else text + "\n")
        stream.flush()

    with exit_on_tailor_error():
        options = BuildOptions(
            models=tuple([*models, *(more_models or [])]),
            abis=tuple(abi or []),
            out=out,
            static=static,
            ndk=ndk,
            verify=not no_verify,
            isa_fallbacks=not no_isa_fallbacks,
            budget_kib=budget,
            jobs=jobs,
            conan_home=conan_home,
        )
        result = build(options, progress, explain=show if explain else None)
        output = json.dumps(result.to_json(), indent=2) + "\n" if as_json else render_summary(result)
    sys.stdout.write(output)
