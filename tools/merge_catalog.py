#!/usr/bin/env python3
"""Merge engine/catalog.parts/*.toml into engine/catalog.toml.

Order (deterministic): the part named `core.toml` first, then the other parts in file-name order; units keep
their order within a part. Each part holds `[[unit]]` tables (and optionally `schema = 1`). The merged file
starts with `schema = 1` and is validated with tailor's catalog loader before it is written (unknown keys,
duplicate names, dangling requires, cycles, conditions, missing sources); it is only rewritten when its bytes
change.

    python3 tools/merge_catalog.py                     # write engine/catalog.toml
    python3 tools/merge_catalog.py --check             # exit 1 if engine/catalog.toml is not up to date
    python3 tools/merge_catalog.py --no-source-check   # accept parts whose sources do not exist yet
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tailor.catalog import Catalog, merge_parts  # noqa: E402
from tailor.codegen import write_if_changed  # noqa: E402
from tailor.errors import TailorError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--engine", type=Path, default=ROOT / "engine", help="engine directory (default: %(default)s)"
    )
    parser.add_argument("--out", type=Path, help="output file (default: ENGINE/catalog.toml)")
    parser.add_argument("--check", action="store_true", help="only check that the output is up to date")
    parser.add_argument("--no-source-check", action="store_true", help="do not require the sources to exist")
    args = parser.parse_args(argv)
    engine: Path = args.engine
    out: Path = args.out or engine / "catalog.toml"
    try:
        text = merge_parts(engine / "catalog.parts")
        catalog = Catalog.from_data(tomllib.loads(text), out, engine, check_sources=not args.no_source_check)
    except TailorError as exc:
        print(f"merge_catalog: error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else None
        if current != text:
            print(f"merge_catalog: {out} is out of date: run tools/merge_catalog.py", file=sys.stderr)
            return 1
        print(f"merge_catalog: {out} is up to date ({len(catalog)} unit(s))")
        return 0
    try:
        changed = write_if_changed(out, text.encode("utf-8"))
    except TailorError as exc:
        print(f"merge_catalog: error: {exc}", file=sys.stderr)
        return 1
    print(
        f"merge_catalog: {out}: {len(catalog)} unit(s) from {engine / 'catalog.parts'} "
        f"({'written' if changed else 'unchanged'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
