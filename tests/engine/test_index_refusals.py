"""Index inputs are range-checked: a fixture model of an indexing op (gather_nd, index_select, lookup_table,
scatter) fed an index outside its dim makes tailor-run exit 1 with a message naming the op and the bad value,
never read out of bounds (the sanitizer builds of the fuzz suite would catch such a read; here the plain
build must give a clean error)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from engine_support import ABIS, ROOT

OPS = ROOT / "tests" / "fixtures" / "ops"
TIMEOUT = 120

# (case, index input name, out-of-range value, op type named in the error)
CASES = [
    ("gather_nd", "y", 9, "gather_nd"),  # X is [4, 5, 3]
    ("gather_nd_full", "y", -1, "gather_nd"),
    ("index_select", "y", 4, "index_select"),
    ("index_select_dim1", "y", -3, "index_select"),
    ("lookup_table_v2", "x", 7, "lookup_table_v2"),  # W has 7 rows
    ("lookup_table_padding", "x", -2, "lookup_table"),
    ("scatter_add", "z", 5, "scatter"),  # X has 5 rows
]


@pytest.mark.parametrize("abi", ABIS)
@pytest.mark.parametrize(("case", "name", "bad", "op"), CASES, ids=[c[0] for c in CASES])
def test_out_of_range_index_refused(
    abi: str, case: str, name: str, bad: int, op: str, engine, tmp_path: Path
) -> None:
    build = engine(abi)
    d = OPS / case
    args: list[str | Path] = [d / "model_arm.nb"]
    for f in sorted(d.glob("input_*.npy")):
        n = f.stem.removeprefix("input_")
        a = np.load(f)
        if n == name:
            a = a.copy()
            a.flat[a.size // 2] = bad
            np.save(tmp_path / f.name, a)
            f = tmp_path / f.name
        args += ["--input", f"{n}={f}"]
    proc = subprocess.run(
        build.command(*args),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        errors="replace",
    )
    assert 0 <= proc.returncode < 128, f"{abi} {case}: killed by a signal: {proc.stderr[-2000:]}"
    assert proc.returncode == 1, (
        f"{abi} {case}: exit {proc.returncode}: {proc.stdout[-500:]} {proc.stderr[-1000:]}"
    )
    msg = proc.stderr.strip() or proc.stdout.strip()
    assert op in msg and str(bad) in msg and "out of range" in msg, msg
