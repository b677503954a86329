"""Human-readable rendering of a Selection: the why-table (unit -> reasons) and what is missing, with rich."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tailor.select import MissingItem, Reason, SelectedUnit, Selection


def _value_text(values: tuple[tuple[str, object], ...]) -> str:
    def js(v: object) -> str:
        return json.dumps(list(v) if isinstance(v, tuple) else v)

    return ", ".join(f"{k}={js(v)}" for k, v in values)


def _ops(indices: list[int]) -> str:
    shown = ", ".join(f"#{i}" for i in indices[:12])
    return shown + (f", ... ({len(indices)} ops)" if len(indices) > 12 else "")


def reason_lines(unit: SelectedUnit) -> list[str]:
    """The unit's reasons, op reasons grouped: one line per (kind, model, op type, key, values, unit)."""
    groups: dict[tuple[object, ...], list[int]] = {}
    others: list[str] = []
    for r in unit.reasons:
        if r.op_index is None:
            others.append(_short(r))
            continue
        group_key = (r.kind, r.model, r.op_type, r.key, r.values, r.unit)
        groups.setdefault(group_key, []).append(r.op_index)
    lines = []
    for (kind, model, op_type, key, values, via), indices in groups.items():
        prefix = {"fallback": f"fallback for {via}: ", "activation": f"activation of {via}: "}.get(
            str(kind), ""
        )
        vals = f" [{_value_text(values)}]" if values else ""  # type: ignore[arg-type]
        lines.append(f"{prefix}{Path(str(model)).name} {op_type} {_ops(indices)} ({key}){vals}")
    return lines + others


def _short(r: Reason) -> str:
    if r.kind == "dequant" and r.model is not None:
        return f"{Path(r.model).name}: weight-quantized parameters [{_value_text(r.values)}]"
    return r.describe()


def _missing_line(m: MissingItem) -> str:
    where = (
        Path(m.model).name
        if m.op_index is None
        else f"{Path(m.model).name} op #{m.op_index} {m.op_type} ({m.key})"
    )
    attrs = f" [{_value_text(m.attrs)}]" if m.attrs else ""
    return f"{where}: {m.reason}{attrs}"


def render_explain(selection: Selection, width: int = 120, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False)
    title = "full engine" if selection.full else ", ".join(Path(m).name for m in selection.models)
    console.print(
        Text(
            f"Selection for {selection.abi} ({title}): {len(selection.units)} unit(s), "
            f"digest {selection.digest()[:16]}"
        ),
        style="bold",
    )
    table = Table(box=None, padding=(0, 2), pad_edge=False)
    table.add_column("unit")
    table.add_column("kind")
    table.add_column("isa")
    table.add_column("why")
    for unit in selection.units:
        table.add_row(Text(unit.name), unit.kind, unit.isa, Text("\n".join(reason_lines(unit))))
    console.print(table)
    if selection.warnings:
        console.print()
        for warning in selection.warnings:
            console.print(Text(f"warning: {warning}"))
    if selection.missing:
        console.print()
        console.print(
            Text(f"Missing ({len(selection.missing)}): the catalog cannot serve these on {selection.abi}"),
            style="bold red",
        )
        for m in selection.missing:
            console.print(Text("  " + _missing_line(m)))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def render_missing(selection: Selection) -> str:
    """Plain lines, one per missing item, for error output."""
    return "".join(f"missing: {_missing_line(m)}\n" for m in selection.missing)
