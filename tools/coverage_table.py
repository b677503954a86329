#!/usr/bin/env python3
"""Print the engine's op coverage from the catalog as a Markdown table: one row per op type, with the units
that serve it per ISA (reference = `isa = "any"`, NEON, AVX2+FMA), best first within a cell (the order the
engine tries them: priority, then catalog order); --conditions adds each unit's `when` terms in parentheses.

    python tools/coverage_table.py [--catalog FILE] [--conditions] [--fixtures]

--fixtures adds a column counting the fixture cases (tests/fixtures/ops/manifest.json) whose .nb files
contain the op. The catalog is what `tailor.catalog.load_default_catalog()` returns: engine/catalog.toml,
or the merged engine/catalog.parts/*.toml when catalog.toml is missing or out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tailor.catalog import Catalog, Unit, load_default_catalog  # noqa: E402

ISA_COLUMNS = (("any", "reference"), ("neon", "NEON"), ("avx2", "AVX2"))


def _cell(units: list[Unit], conditions: bool) -> str:
    if not units:
        return "—"
    parts = []
    for u in units:
        text = f"`{u.name}`"
        if conditions and u.when:
            text += " (" + ", ".join(c.text for c in u.when).replace("|", "\\|") + ")"
        parts.append(text)
    return "<br>".join(parts)


def coverage_rows(catalog: Catalog) -> dict[str, dict[str, list[Unit]]]:
    """op -> isa -> serving kernel units, best first."""
    rows: dict[str, dict[str, list[Unit]]] = {}
    for unit in catalog.units:
        for serve in unit.serves:
            rows.setdefault(serve.op, {isa: [] for isa, _ in ISA_COLUMNS}).setdefault(unit.isa, []).append(
                unit
            )
    for per_isa in rows.values():
        for units in per_isa.values():
            units.sort(key=lambda u: (-u.priority, catalog.order(u.name)))
    return rows


def precisions(catalog: Catalog, op: str) -> list[str]:
    seen: dict[str, None] = {}
    for unit in catalog.units:
        for serve in unit.serves:
            if serve.op == op:
                seen.update(dict.fromkeys(serve.precisions))
    return list(seen)


def fixture_counts() -> dict[str, int]:
    manifest = ROOT / "tests" / "fixtures" / "ops" / "manifest.json"
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return {}
    return {op: len(cases) for op, cases in data.get("ops_in_nb_files", {}).items()}


def render(catalog: Catalog, conditions: bool = False, fixtures: bool = False) -> str:
    rows = coverage_rows(catalog)
    counts = fixture_counts() if fixtures else {}
    header = ["op", "precisions", *(title for _, title in ISA_COLUMNS)]
    if fixtures:
        header.append("fixture cases")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for op in sorted(rows):
        precs = precisions(catalog, op)
        cells = [f"`{op}`", ", ".join(precs) if len(precs) <= 4 else "all"]
        cells += [_cell(rows[op].get(isa, []), conditions) for isa, _ in ISA_COLUMNS]
        if fixtures:
            cells.append(str(counts.get(op, 0)))
        lines.append("| " + " | ".join(cells) + " |")
    n_simd = sum(1 for op in rows if rows[op].get("neon") or rows[op].get("avx2"))
    kinds: dict[str, int] = {}
    for unit in catalog.units:
        kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    lines.append("")
    lines.append(
        f"{len(rows)} op types served ({n_simd} with a NEON or AVX2 variant); "
        f"{len(catalog.units)} units: {summary}."
    )
    if fixtures:
        uncovered = sorted(op for op, n in counts.items() if op not in rows)
        if uncovered:
            lines.append(f"Ops in fixture models that no unit serves: {', '.join(uncovered)}.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--catalog", type=Path, help="catalog file (default: the repository's)")
    parser.add_argument("--conditions", action="store_true", help="add each unit's `when` conditions")
    parser.add_argument("--fixtures", action="store_true", help="add the number of fixture cases per op")
    args = parser.parse_args(argv)
    if args.catalog:
        catalog = Catalog.load(args.catalog, ROOT / "engine")
    else:
        catalog, note = load_default_catalog()
        if note:
            print(f"note: {note}", file=sys.stderr)
    sys.stdout.write(render(catalog, conditions=args.conditions, fixtures=args.fixtures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
