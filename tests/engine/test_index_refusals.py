"""Index inputs are range-checked: a fixture model of an indexing op (gather_nd, index_select, lookup_table,
scatter) fed an index outside its dim makes tailor-run exit 1 with a message naming the op and the bad value,
never read out of bounds (the sanitizer builds of the fuzz suite would catch such a read; here the plain
build must give a clean error)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from engine_support import ABIS, run_with_feed

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
    def with_bad_index(recorded: np.ndarray) -> np.ndarray:
        a = recorded.copy()
        a.flat[a.size // 2] = bad
        return a

    proc = run_with_feed(engine(abi), case, name, with_bad_index, tmp_path)
    assert 0 <= proc.returncode < 128, f"{abi} {case}: killed by a signal: {proc.stderr[-2000:]}"
    assert proc.returncode == 1, (
        f"{abi} {case}: exit {proc.returncode}: {proc.stdout[-500:]} {proc.stderr[-1000:]}"
    )
    msg = proc.stderr.strip() or proc.stdout.strip()
    assert op in msg and str(bad) in msg and "out of range" in msg, msg
