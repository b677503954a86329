from __future__ import annotations

from pathlib import Path

import pytest

from tailor.model import KernelKey, Model, Op


def test_kernel_key_parse_and_names() -> None:
    key = KernelKey.parse("conv2d/def/4/1/1")
    assert key == KernelKey("conv2d", "def", 4, 1, 1)
    assert (key.target_name, key.precision_name, key.layout_name) == ("kARM", "kFloat", "kNCHW")
    assert str(key) == "conv2d/def/kARM/kFloat/kNCHW"
    assert key.paddle_line() == "conv2d,kARM,kFloat,kNCHW,def"


def test_kernel_key_host_any() -> None:
    key = KernelKey.parse("feed/def/1/4/2")
    assert key.paddle_line() == "feed,kHost,kAny,kAny,def"


def test_kernel_key_last_enum_members() -> None:
    key = KernelKey("x", "def", 18, 10, 8)
    assert (key.target_name, key.precision_name, key.layout_name) == (
        "kNNAdapter",
        "kFP64",
        "kMetalTexture2D",
    )


def test_kernel_key_unknown_enum_values_stay_numeric() -> None:
    key = KernelKey("x", "def", 99, 11, 9)
    assert str(key) == "x/def/99/11/9"


def test_kernel_key_alias_may_contain_slash() -> None:
    assert KernelKey.parse("conv2d/a/b/4/1/1").alias == "a/b"


@pytest.mark.parametrize(
    "raw", ["", "conv2d", "conv2d/def/4/1", "conv2d/def/4/1/x", "/def/4/1/1", "a/def/-1/1/1"]
)
def test_kernel_key_parse_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        KernelKey.parse(raw)


def test_kernel_keys_order_by_fields() -> None:
    keys = [KernelKey("b", "def", 1, 1, 1), KernelKey("a", "def", 4, 1, 1), KernelKey("a", "def", 2, 1, 1)]
    assert sorted(keys) == [keys[2], keys[1], keys[0]]


def test_model_summaries() -> None:
    conv = KernelKey("conv2d", "def", 4, 1, 1)
    feed = KernelKey("feed", "def", 1, 4, 2)
    ops = [
        Op(0, "feed", {}, {}, {}, feed),
        Op(1, "conv2d", {}, {}, {}, conv),
        Op(2, "conv2d", {}, {}, {}, conv),
        Op(3, "custom", {}, {}, {}, None),
    ]
    model = Model(Path("m.nb"), "0" * 64, 2, "v2.13-rc", None, 0, {}, ops, [], [], 26)
    assert model.kernel_keys() == {conv, feed}
    assert model.op_counts() == {"conv2d": 2, "custom": 1, "feed": 1}
    assert model.kernel_counts() == {conv: 2, feed: 1}
    assert model.targets() == {"kARM", "kHost"}
