"""Rendering size reports: JSON (docs/size-report-schema.md), Markdown (a PR comment) and a self-contained
HTML page (inline CSS and SVG, no external assets)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from tailor.sizes import ATTRIBUTED_SECTIONS, PSEUDO_UNITS, SizeReport

BAR_COLORS = {
    "kernel": "#3b82f6",
    "helper": "#8b5cf6",
    "epilogue": "#14b8a6",
    "dequant": "#f59e0b",
    "core": "#64748b",
    "loader": "#94a3b8",
    "runtime": "#d4d4d8",
    "unattributed": "#e5e7eb",
}


def kib(n: int | None) -> str:
    return "-" if n is None else f"{n / 1024:.1f} KiB"


def percent(ratio: float | None) -> str:
    return "-" if ratio is None else f"{100 * ratio:.1f}%"


def render_json(report: SizeReport) -> str:
    return json.dumps(report.to_json(), indent=2, sort_keys=False) + "\n"


# --- Markdown -----------------------------------------------------------------------------------------------


def render_markdown(reports: Sequence[SizeReport], title: str = "tailor size report") -> str:
    lines = [f"### {title}", ""]
    lines += [
        "| ABI | stripped | unstripped | full engine | tailored/full | units | LOAD align | page padding |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        full = r.full.stripped_bytes if r.full is not None else None
        lines.append(
            f"| `{r.abi}` | {kib(r.tailored.stripped_bytes)} | {kib(r.tailored.unstripped_bytes)} | "
            f"{kib(full)} | {percent(r.ratio)} | {len(r.units)} | {r.tailored.load_alignment} | "
            f"{r.tailored.page_padding_bytes:,} B |"
        )
    lines += [
        "",
        "*Page padding*: zeros between the library's segments for page alignment; a segment can grow into "
        "the gap after it before the file grows by a whole page.",
    ]
    for r in reports:
        lines += [
            "",
            f"<details><summary><code>{r.abi}</code>: bytes by unit "
            f"(.text / .rodata / .data.rel.ro of the unstripped library)</summary>",
            "",
        ]
        lines.append(
            "| unit | kind | "
            + " | ".join(f"`{s}`" for s in ATTRIBUTED_SECTIONS)
            + " | total | full engine |"
        )
        lines.append("|---|---|" + "---:|" * (len(ATTRIBUTED_SECTIONS) + 2))
        for a in r.tailored.attribution:
            full_total = r.full.unit_total(a.unit) if r.full is not None else None
            name = a.unit if a.unit in PSEUDO_UNITS else f"`{a.unit}`"
            cells = " | ".join(str(a.bytes_in(s)) for s in ATTRIBUTED_SECTIONS)
            lines.append(
                f"| {name} | {a.kind} | {cells} | {a.total} | {'-' if full_total is None else full_total} |"
            )
        others = [e for e in r.tailored.exported_symbols if not e.startswith("tailor_")]
        lines += [
            "",
            f"Exported symbols: {len(r.tailored.exported_symbols)}"
            + (f" ({len(others)} not `tailor_*`)" if others else ""),
            "",
            "</details>",
        ]
    return "\n".join(lines) + "\n"


# --- HTML ---------------------------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#111827;
background:#fff}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:28px 0 8px}
table{border-collapse:collapse;margin:8px 0 16px}th,td{padding:4px 10px;border-bottom:1px solid #e5e7eb;
text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f9fafb;font-weight:600}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}.muted{color:#6b7280}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;
margin-right:4px;border-radius:2px}
svg text{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;fill:#111827}
details{margin:6px 0 18px}
"""


def _bar_chart(report: SizeReport, width: int = 860) -> str:
    rows = [a for a in report.tailored.attribution if a.total > 0]
    if not rows:
        return '<p class="muted">no attributed bytes</p>'
    label_w, value_w, bar_h, gap = 300, 110, 16, 6
    scale_max = max(a.total for a in rows)
    plot_w = width - label_w - value_w
    height = len(rows) * (bar_h + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="bytes by unit for {html.escape(report.abi)}">'
    ]
    for i, a in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(1, round(plot_w * a.total / scale_max))
        color = BAR_COLORS.get(a.kind, "#3b82f6")
        label = a.unit if len(a.unit) <= 40 else a.unit[:39] + "…"
        detail = ", ".join(f"{s} {n} B" for s, n in a.sections)
        parts.append(
            f"<g><title>{html.escape(a.unit)} ({html.escape(a.kind)}): {a.total} B — {html.escape(detail)}"
            f'</title><text x="0" y="{y + bar_h - 4}">{html.escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" rx="2" fill="{color}"/>'
            f'<text x="{label_w + w + 6}" y="{y + bar_h - 4}">{a.total / 1024:.1f} KiB</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _compare_chart(reports: Sequence[SizeReport], width: int = 860) -> str:
    """Tailored vs full stripped size per ABI."""
    rows = [(r.abi, r.tailored.stripped_bytes, r.full.stripped_bytes if r.full else None) for r in reports]
    scale_max = max([t for _, t, _ in rows] + [f for _, _, f in rows if f is not None]) or 1
    label_w, value_w, bar_h = 170, 190, 14
    plot_w = width - label_w - value_w
    height = len(rows) * (2 * bar_h + 14) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'aria-label="tailored versus full engine size">'
    ]
    for i, (abi, tailored, full) in enumerate(rows):
        y = 6 + i * (2 * bar_h + 14)
        parts.append(f'<text x="0" y="{y + bar_h + 4}">{html.escape(abi)}</text>')
        for j, (value, color, what) in enumerate(
            ((tailored, "#3b82f6", "tailored"), (full, "#d4d4d8", "full"))
        ):
            if value is None:
                continue
            w = max(1, round(plot_w * value / scale_max))
            yy = y + j * bar_h
            parts.append(
                f'<rect x="{label_w}" y="{yy}" width="{w}" height="{bar_h - 2}" fill="{color}"/>'
                f'<text x="{label_w + w + 6}" y="{yy + bar_h - 4}">{what} {value / 1024:.1f} KiB</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def render_html(reports: Sequence[SizeReport], title: str = "tailor size report") -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    out.append(
        "<table><tr><th>ABI</th><th>stripped</th><th>unstripped</th><th>full engine</th>"
        "<th>tailored/full</th><th>units</th><th>LOAD align</th>"
        '<th title="zeros between segments for page alignment: growth room before the file grows by a page">'
        "page padding</th></tr>"
    )
    for r in reports:
        full = r.full.stripped_bytes if r.full is not None else None
        out.append(
            f"<tr><td><code>{html.escape(r.abi)}</code></td><td>{kib(r.tailored.stripped_bytes)}</td>"
            f"<td>{kib(r.tailored.unstripped_bytes)}</td><td>{kib(full)}</td><td>{percent(r.ratio)}</td>"
            f"<td>{len(r.units)}</td><td>{r.tailored.load_alignment}</td>"
            f"<td>{r.tailored.page_padding_bytes:,} B</td></tr>"
        )
    out.append("</table>")
    out.append(_compare_chart(reports))
    legend = "".join(
        f'<span><i style="background:{c}"></i>{html.escape(k)}</span>' for k, c in BAR_COLORS.items()
    )
    for r in reports:
        out.append(f"<h2>{html.escape(r.abi)}: bytes by unit</h2>")
        out.append(
            f'<p class="muted">.text + .rodata + .data.rel.ro of the unstripped library; selection '
            f"<code>{html.escape(r.selection[:16])}</code>; models: "
            f"{html.escape(', '.join(r.models) or '-')}</p>"
        )
        out.append(f'<div class="legend">{legend}</div>')
        out.append(_bar_chart(r))
        out.append(
            "<details><summary>sections</summary><table><tr><th>section</th><th>tailored</th>"
            "<th>full engine</th></tr>"
        )
        for s in r.tailored.sections:
            full_size = r.full.section_size(s.name) if r.full is not None else None
            out.append(
                f"<tr><td><code>{html.escape(s.name)}</code></td><td>{s.size}</td>"
                f"<td>{'-' if full_size is None else full_size}</td></tr>"
            )
        out.append("</table></details>")
        out.append("<details><summary>exported symbols</summary><ul>")
        out.extend(f"<li><code>{html.escape(e)}</code></li>" for e in r.tailored.exported_symbols)
        out.append("</ul></details>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
