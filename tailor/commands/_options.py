"""CLI parameters shared by several commands, declared once so their flags and help stay identical."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

MoreModels = Annotated[list[Path] | None, typer.Argument(help="More .nb models.", show_default=False)]

NoIsaFallbacks = Annotated[
    bool,
    typer.Option(
        "--no-isa-fallbacks",
        help="Leave out the reference kernel selected beside each AVX2 kernel (x86_64): smaller, "
        "but the library refuses the models on CPUs without AVX2+FMA.",
    ),
]
