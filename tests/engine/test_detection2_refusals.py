"""The detection2-family kernels refuse inputs their op cannot take with a Status naming the op and the
problem (exit 1, never a crash): each real fixture model runs with one feed replaced by an array of a shape
the op rejects.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from engine_support import ABIS, run_with_feed

# case -> (feed replaced, its new shape, words the message must contain)
BAD_FEEDS: dict[str, tuple[str, tuple[int, ...], tuple[str, ...]]] = {
    "deformable_conv_3x3": ("y", (1, 17, 6, 6), ("deformable_conv", "Offset")),
    "deformable_conv_s2_dil2": ("z", (2, 9, 5, 4), ("deformable_conv", "Mask")),
    "deformable_conv_groups": ("x", (1, 3, 5, 5), ("deformable_conv", "groups=2")),
    "polygon_box_transform": ("x", (2, 8, 3), ("polygon_box_transform", "4-D")),
    "unfold_3x3": ("x", (2, 3, 5), ("unfold", "4-D")),
    "correlation_k1_md2": ("y", (2, 3, 6, 8), ("correlation", "Input2")),
    "correlation_k3_s2": ("x", (1, 2, 2, 2), ("correlation", "Input1")),
    "set_value_tensor": ("y", (2, 3, 4), ("set_value", "does not broadcast")),
    "generate_proposals_v2": ("y", (1, 11, 4, 4), ("generate_proposals_v2", "BboxDeltas")),
    "distribute_fpn_proposals": ("x", (20, 5), ("distribute_fpn_proposals", "[R, 4]")),
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
