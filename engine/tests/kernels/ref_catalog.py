#!/usr/bin/env python3
"""Writes a catalog holding only the portable (`isa = any`) units of a merged catalog, so that a
"full" build of it runs every op on the reference kernels (the SIMD units would otherwise win).

    ref_catalog.py MERGED.toml OUT.toml
"""
import re
import sys


def main() -> int:
    src, out = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8").read()
    head, *blocks = re.split(r"(?m)^(?=\[\[unit\]\])", text)
    keep = [b for b in blocks if not re.search(r'(?m)^isa = "(neon|avx2)"', b)]
    dropped = {m.group(1) for b in blocks if b not in keep for m in [re.search(r'(?m)^name = "([^"]+)"', b)] if m}
    # Portable units that only exist to serve SIMD ones go too (they require a dropped unit).
    changed = True
    while changed:
        changed = False
        for b in list(keep):
            req = re.search(r"(?m)^requires = \[(.*)\]", b)
            names = re.findall(r'"([^"]+)"', req.group(1)) if req else []
            if any(n in dropped for n in names):
                keep.remove(b)
                dropped.add(re.search(r'(?m)^name = "([^"]+)"', b).group(1))
                changed = True
    open(out, "w", encoding="utf-8").write(head + "".join(keep))
    print(f"{out}: {len(keep)} portable unit(s), dropped {len(dropped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
