"""Fuzz the reader with mutated real models: the only acceptable outcomes are a Model or an NbFormatError.

Anything else (IndexError, struct.error, UnicodeDecodeError, RecursionError, MemoryError, a hang) is a bug.
Seeds are small real files so that 20,000 examples run in well under a minute: a spread of the repo's fixtures
(when present), the example model cut down to 3 params, and the same re-encoded as meta_version 1. Mutations
favour the header and topology, where the parser does most of its work. Runs are derandomized (reproducible).
"""

from __future__ import annotations

import signal
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testdata import as_meta_version_1, fixture_models, params_offset, small_example_model

from tailor.errors import NbFormatError
from tailor.nb import load_model, read_param_data, read_params
from tailor.paddle_lists import kernels_list, ops_list
from tailor.scan import union_kernels

EXAMPLES_PER_MUTATION = 4000  # x 5 mutation kinds = 20,000
SECONDS_PER_EXAMPLE = 5


def _seeds() -> list[bytes]:
    small = small_example_model()
    fixtures = sorted(fixture_models(), key=lambda p: (p.stat().st_size, str(p)))
    spread = fixtures[:: max(1, len(fixtures) // 8)][:8]
    return [small, as_meta_version_1(small), *(p.read_bytes() for p in spread)]


SEEDS = _seeds()
TOPOLOGY_END = [params_offset(seed) for seed in SEEDS]
INTERESTING_BYTES = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]
INTERESTING_WORDS = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFC, 26]


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"reader still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def exercise(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    with time_limit(SECONDS_PER_EXAMPLE):
        try:
            model = load_model(path)
        except NbFormatError as exc:
            assert "\n" not in str(exc)
            return
        ops_list([model]), kernels_list([model]), union_kernels([model]), model.targets()
        try:
            params = read_params(model)
            if params:
                read_param_data(model, params[-1].name)
        except NbFormatError as exc:
            assert "\n" not in str(exc)


@st.composite
def seed_and_position(draw: st.DrawFn) -> tuple[bytes, int]:
    index = draw(st.integers(0, len(SEEDS) - 1))
    seed = SEEDS[index]
    # Three mutations in four land in the header or topology.
    end = TOPOLOGY_END[index] if draw(st.integers(0, 3)) else len(seed)
    return seed, draw(st.integers(0, min(end, len(seed)) - 1))


@st.composite
def bit_flips(draw: st.DrawFn) -> bytes:
    seed, _ = draw(seed_and_position())
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        _, pos = draw(seed_and_position().filter(lambda sp: sp[0] is seed))
        data[pos] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


@st.composite
def overwrites(draw: st.DrawFn) -> bytes:
    seed, pos = draw(seed_and_position())
    data = bytearray(seed)
    if draw(st.booleans()) and pos + 4 <= len(data):
        struct.pack_into("<I", data, pos, draw(st.sampled_from(INTERESTING_WORDS)))
    else:
        data[pos] = draw(st.sampled_from(INTERESTING_BYTES) | st.integers(0, 255))
    return bytes(data)


@st.composite
def truncations(draw: st.DrawFn) -> bytes:
    seed, pos = draw(seed_and_position())
    return seed[:pos]


@st.composite
def splices(draw: st.DrawFn) -> bytes:
    head, cut = draw(seed_and_position())
    tail, start = draw(seed_and_position())
    return head[:cut] + tail[start:]


@st.composite
def insertions_and_deletions(draw: st.DrawFn) -> bytes:
    seed, pos = draw(seed_and_position())
    if draw(st.booleans()):
        return seed[:pos] + draw(st.binary(min_size=1, max_size=16)) + seed[pos:]
    return seed[:pos] + seed[pos + draw(st.integers(1, 64)) :]


MUTATIONS: dict[str, Callable[[], st.SearchStrategy[bytes]]] = {
    "bit_flips": bit_flips,
    "overwrites": overwrites,
    "truncations": truncations,
    "splices": splices,
    "insertions_and_deletions": insertions_and_deletions,
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "mutant.nb"


def test_seeds_are_valid(scratch: Path) -> None:
    for seed in SEEDS:
        scratch.write_bytes(seed)
        read_params(load_model(scratch))


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_mutants_load_or_raise_nb_format_error(kind: str, scratch: Path) -> None:
    @settings(
        max_examples=EXAMPLES_PER_MUTATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(MUTATIONS[kind]())
    def run(data: bytes) -> None:
        exercise(scratch, data)

    run()
