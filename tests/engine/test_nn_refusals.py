"""The nn-family kernels refuse inputs their op cannot take with a Status naming the op and the problem
(exit 1, never a crash): each real fixture model runs with one feed replaced by an array of a shape the op
rejects.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from engine_support import ABIS, run_with_feed

# case -> (feed replaced, its new shape, words the message must contain)
BAD_FEEDS: dict[str, tuple[str, tuple[int, ...], tuple[str, ...]]] = {
    "top_k_v2": ("x", (3, 2), ("top_k_v2", "k 3 out of range")),
    "top_k": ("x", (3, 2), ("top_k", "k 3 out of range")),
    "group_norm": ("x", (2, 5, 3, 4), ("group_norm", "groups 3 must divide")),
    "sum_3": ("y", (2, 3, 5), ("sum", "differs from X[0]")),
    "grid_sampler_bilinear_zeros": ("y", (2, 3, 4, 3), ("grid_sampler", "Grid")),
    "grid_sampler_nearest_border": ("y", (1, 3, 4, 2), ("grid_sampler", "Grid")),
    "affine_channel": ("x", (1, 4, 4, 5), ("affine_channel", "Scale")),
    "affine_grid": ("x", (2, 3, 3), ("affine_grid", "Theta")),
    "lrn": ("x", (6, 3, 3), ("lrn", "4-D")),
    "max_pool2d_with_index": ("x", (2, 6, 6), ("max_pool2d_with_index", "4-D")),
    "linear_interp_v2_s2": ("x", (1, 3, 5, 2), ("linear_interp_v2", "3-D")),
    "p_norm_1_axis1_keep": ("x", (4,), ("p_norm", "axis")),
    "norm_axis1": ("x", (4,), ("norm", "axis")),
    "argsort_desc_axis1": ("x", (5,), ("argsort", "axis")),
}


@pytest.mark.parametrize("abi", ABIS)
@pytest.mark.parametrize("case", sorted(BAD_FEEDS))
def test_bad_feed_refused(abi: str, case: str, engine, tmp_path: Path) -> None:
    feed, shape, words = BAD_FEEDS[case]

    def bad(_: np.ndarray) -> np.ndarray:
        return np.random.default_rng(0).standard_normal(shape).astype(np.float32)

    proc = run_with_feed(engine(abi), case, feed, bad, tmp_path)
    assert proc.returncode == 1, f"{case}: exit {proc.returncode}: {proc.stdout[-500:]} {proc.stderr[-1000:]}"
    for w in words:
        assert w in proc.stderr, f"{case}: {w!r} not in {proc.stderr!r}"
