"""`tailor codegen`: select units (for models, or all of them with --full) and write the registry directory
(registry.cc, units.cmake, selection.digest) that engine/CMakeLists.txt takes as -DTAILOR_REGISTRY_DIR."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from tailor import paths as paths_mod
from tailor.abi import ABI_NAMES, resolve_abi
from tailor.catalog import Catalog, load_default_catalog
from tailor.codegen import write_registry
from tailor.commands._errors import exit_on_tailor_error
from tailor.commands._options import MoreModels, NoIsaFallbacks
from tailor.errors import TailorError
from tailor.explain import render_explain, render_missing
from tailor.nb.reader import load_model
from tailor.select import full_selection, select_units


def register(app: typer.Typer) -> None:
    app.command("codegen")(codegen_command)


def codegen_command(
    abi: Annotated[str, typer.Option("--abi", help=f"Target ABI: {', '.join(ABI_NAMES)} (or an alias).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Registry directory to write.")],
    full: Annotated[
        bool, typer.Option("--full", help="Select every unit the ABI can build (full engine).")
    ] = False,
    models: Annotated[
        list[Path] | None, typer.Option("--models", "-m", help="A .nb model; more may follow as arguments.")
    ] = None,
    more_models: MoreModels = None,
    catalog_path: Annotated[
        Path | None,
        typer.Option(
            "--catalog", help="Catalog file (default: engine/catalog.toml); sources are relative to engine/."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the selection as JSON.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Print why each unit is selected.")] = False,
    allow_missing: Annotated[
        bool, typer.Option("--allow-missing", help="Write the registry even if some ops cannot be served.")
    ] = False,
    no_isa_fallbacks: NoIsaFallbacks = False,
) -> None:
    """Write registry.cc + units.cmake for a selection of engine units."""
    with exit_on_tailor_error():
        paths = [*(models or []), *(more_models or [])]
        if full == bool(paths):
            raise TailorError("pass either --full or --models a.nb [b.nb ...]")
        target = resolve_abi(abi)
        if catalog_path is None:
            catalog, note = load_default_catalog()
            if note:
                print(f"warning: {note}", file=sys.stderr)
        else:
            catalog = Catalog.load(catalog_path, engine_dir=paths_mod.engine_dir())
        if full:
            selection = full_selection(catalog, target)
        else:
            selection = select_units(
                [load_model(p) for p in paths], catalog, target, isa_fallbacks=not no_isa_fallbacks
            )
        output = ""
        if as_json:
            output += json.dumps(selection.to_json(), indent=2) + "\n"
        elif explain:
            width = max(100, shutil.get_terminal_size((120, 24)).columns)
            output += render_explain(selection, width=width, color=sys.stdout.isatty())
        if selection.missing and not allow_missing:
            sys.stdout.write(output)
            if not as_json and not explain:
                sys.stderr.write(render_missing(selection))
            raise TailorError(
                f"{len(selection.missing)} item(s) the catalog cannot serve on {target.name}; "
                "nothing written (--allow-missing writes anyway)"
            )
        files = write_registry(selection, catalog, out)
        if not as_json:
            for warning in selection.warnings:
                output += f"warning: {warning}\n"
            state = f"{len(files.changed)} file(s) updated" if files.changed else "unchanged"
            output += (
                f"{target.name}: {len(selection.units)} unit(s), selection {files.digest[:16]} -> "
                f"{files.out_dir} ({state})\n"
            )
    sys.stdout.write(output)
