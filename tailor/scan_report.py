"""Human-readable rendering of a ScanResult with rich tables, returned as one string (printed all at once)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from tailor.model import Model, TensorInfo
from tailor.scan import ScanResult


def render_text(result: ScanResult, width: int = 120, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False)
    for model in result.models:
        _render_model(console, model)
    console.print(_union_table(result))
    # rich pads every line to the console width; trailing blanks only get in the way of diffs and pipes.
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _dims(tensor: TensorInfo) -> str:
    return f"{tensor.name} [{', '.join(str(d) for d in tensor.dims)}]"


def _render_model(console: Console, model: Model) -> None:
    console.print(f"[bold]{model.path}[/bold]")
    paddle = "" if model.paddle_version is None else f"   paddle {model.paddle_version}"
    console.print(
        f"  sha256 {model.sha256[:16]}   opt {model.opt_version}   meta_version {model.meta_version}{paddle}"
        f"   {model.file_size:,} bytes",
        markup=False,
    )
    console.print("  inputs:  " + ", ".join(_dims(t) for t in model.inputs), markup=False)
    console.print("  outputs: " + ", ".join(_dims(t) for t in model.outputs), markup=False)
    console.print(f"  targets: {', '.join(sorted(model.targets()))}   ops: {len(model.ops)}", markup=False)

    table = Table(box=None, padding=(0, 2), pad_edge=False)
    table.add_column("  op type")
    table.add_column("count", justify="right")
    table.add_column("kernel keys (op/alias/target/precision/layout)")
    for op_type, count in model.op_counts().items():
        keys = sorted({op.kernel for op in model.ops if op.type == op_type and op.kernel is not None})
        table.add_row(f"  {op_type}", str(count), ", ".join(str(k) for k in keys) or "-")
    console.print(table)
    console.print()


def _union_table(result: ScanResult) -> Table:
    table = Table(title=f"Kernel keys needed by {len(result.models)} model(s)", title_justify="left")
    table.add_column("kernel key")
    table.add_column("models")
    table.add_column("instances", justify="right")
    for use in result.kernels:
        models = ", ".join(result.models[i].path.name for i in use.models)
        table.add_row(str(use.key), models, str(use.instances))
    return table
