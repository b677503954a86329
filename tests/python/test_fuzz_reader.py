"""Fuzz the reader with mutated real models: the only acceptable outcomes are a Model or an NbFormatError.

Anything else (IndexError, struct.error, UnicodeDecodeError, RecursionError, MemoryError, a hang) is a bug.
Seeds are small real files so that 20,000 examples run in well under a minute: the example model cut down to 3
params, the same re-encoded as meta_version 1, and when present a spread of the single-op fixtures and a few
whole-model ones (real meta_version 1, multi-IO, INT8). Mutations favour the header and topology, where the
parser does most of its work.

Hypothesis draws one integer per example, which seeds the mutation: a structured draw per mutation step cost
~0.3 ms each, more than reading the mutant. Runs are derandomized, so CI is reproducible, and a failure
reports the seed, from which `MUTATIONS[kind](random.Random(seed))` rebuilds the mutant.
"""

from __future__ import annotations

import os
import random
import signal
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testdata import FIXTURES, as_meta_version_1, params_offset, small_example_model

from tailor.errors import NbFormatError
from tailor.nb import load_model, read_param_data, read_params
from tailor.nb.flatbuffers import FlatBuffer
from tailor.nb.program import _FastDecoder, decode_program_reference
from tailor.paddle_lists import kernels_list, ops_list
from tailor.scan import union_kernels

EXAMPLES_PER_MUTATION = 4000  # x 5 mutation kinds = 20,000
DIFFERENTIAL_EXAMPLES_PER_MUTATION = 2000
SECONDS_PER_EXAMPLE = 5


# Whole-model fixtures worth mutating when present: real meta_version 1, several inputs/outputs, INT8 params.
SPECIAL_FIXTURES = [
    "models/meta_v1/model_v1_arm.nb",
    "models/multi_io/model_arm.nb",
    "models/quant_cnn/model_int8_arm.nb",
]


def _seeds() -> list[bytes]:
    small = small_example_model()
    single_op = sorted(FIXTURES.glob("ops/*/*.nb"), key=lambda p: (p.stat().st_size, str(p)))
    spread = single_op[:: max(1, len(single_op) // 6)][:6]
    special = [FIXTURES / name for name in SPECIAL_FIXTURES if (FIXTURES / name).is_file()]
    return [small, as_meta_version_1(small), *(p.read_bytes() for p in [*spread, *special])]


SEEDS = _seeds()
TOPOLOGY_END = [params_offset(seed) for seed in SEEDS]
# The two example-derived seeds parse a 50 KB topology (~5x slower than a fixture): draw fixtures 4x as often.
SEED_CHOICES = [0, 1, *(i for i in range(2, len(SEEDS)) for _ in range(4))]
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


class Scratch:
    """One file rewritten in place for every mutant. Not truncated to zero and rewritten: on ext4 that forces
    a flush on close (auto_da_alloc) and costs milliseconds per example."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def write(self, data: bytes) -> Path:
        os.pwrite(self.fd, data, 0)
        os.ftruncate(self.fd, len(data))
        return self.path


def exercise(scratch: Scratch, data: bytes) -> None:
    path = scratch.write(data)
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


def position(rng: random.Random, index: int) -> int:
    """A byte position in seed `index`: three in four land in the header or topology."""
    seed = SEEDS[index]
    end = TOPOLOGY_END[index] if rng.randrange(4) else len(seed)
    return rng.randrange(min(end, len(seed)))


def seed_and_position(rng: random.Random) -> tuple[bytes, int]:
    index = rng.choice(SEED_CHOICES)
    return SEEDS[index], position(rng, index)


def bit_flips(rng: random.Random) -> bytes:
    index = rng.choice(SEED_CHOICES)
    data = bytearray(SEEDS[index])
    for _ in range(rng.randint(1, 8)):
        data[position(rng, index)] ^= 1 << rng.randrange(8)
    return bytes(data)


def overwrites(rng: random.Random) -> bytes:
    seed, pos = seed_and_position(rng)
    data = bytearray(seed)
    if rng.randrange(2) and pos + 4 <= len(data):
        struct.pack_into("<I", data, pos, rng.choice(INTERESTING_WORDS))
    else:
        data[pos] = rng.choice(INTERESTING_BYTES) if rng.randrange(2) else rng.randrange(256)
    return bytes(data)


def with_topo_size(rng: random.Random, data: bytes, topo_size: int) -> bytes:
    """Half the time, make the header's topo_size agree with a topology that grew or shrank, so that the
    mutant gets past the header check and into the FlatBuffer parser."""
    if len(data) < 26 or rng.randrange(2):
        return data
    return data[:18] + struct.pack("<Q", max(0, min(topo_size, len(data) - 26))) + data[26:]


def truncations(rng: random.Random) -> bytes:
    seed, pos = seed_and_position(rng)
    return with_topo_size(rng, seed[:pos], pos - 26)


def splices(rng: random.Random) -> bytes:
    head, cut = seed_and_position(rng)
    tail, start = seed_and_position(rng)
    return with_topo_size(rng, head[:cut] + tail[start:], params_offset(tail) - 26 + cut - start)


def insertions_and_deletions(rng: random.Random) -> bytes:
    seed, pos = seed_and_position(rng)
    topo_size = params_offset(seed) - 26
    if rng.randrange(2):
        inserted = rng.randbytes(rng.randint(1, 16))
        return with_topo_size(rng, seed[:pos] + inserted + seed[pos:], topo_size + len(inserted))
    deleted = rng.randint(1, 64)
    return with_topo_size(rng, seed[:pos] + seed[pos + deleted :], topo_size - deleted)


MUTATIONS: dict[str, Callable[[random.Random], bytes]] = {
    "bit_flips": bit_flips,
    "overwrites": overwrites,
    "truncations": truncations,
    "splices": splices,
    "insertions_and_deletions": insertions_and_deletions,
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    file = Scratch(tmp_path_factory.mktemp("fuzz") / "mutant.nb")
    yield file
    os.close(file.fd)


def test_seeds_are_valid(scratch: Scratch) -> None:
    for seed in SEEDS:
        read_params(load_model(scratch.write(seed)))


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_mutants_load_or_raise_nb_format_error(kind: str, scratch: Scratch) -> None:
    @settings(
        max_examples=EXAMPLES_PER_MUTATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.integers(0, 2**64 - 1))
    def run(seed: int) -> None:
        exercise(scratch, MUTATIONS[kind](random.Random(seed)))

    run()


def decoders_agree(data: bytes) -> None:
    """The fast topology decoder may only succeed where the reference one does, with the same result."""
    if len(data) < 26:
        return
    topo_size = min(struct.unpack_from("<Q", data, 18)[0], len(data) - 26)
    topology = data[26 : 26 + topo_size]
    with time_limit(SECONDS_PER_EXAMPLE):
        try:
            fast = _FastDecoder(FlatBuffer(topology, 26, "mutant.nb")).program()
        except Exception:  # any failure hands over to the reference decoder
            fast = None
        try:
            reference = decode_program_reference(FlatBuffer(topology, 26, "mutant.nb"))
        except NbFormatError:
            assert fast is None, "the fast decoder accepted a topology the reference decoder rejects"
            return
    if fast is not None:
        assert repr(fast) == repr(reference)


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_fast_decoder_agrees_with_reference(kind: str) -> None:
    @settings(
        max_examples=DIFFERENTIAL_EXAMPLES_PER_MUTATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.integers(0, 2**64 - 1))
    def run(seed: int) -> None:
        decoders_agree(MUTATIONS[kind](random.Random(seed)))

    run()


def test_fast_decoder_handles_valid_models() -> None:
    """Valid files must not fall back to the reference decoder (that would be correct, but slow)."""
    for seed in SEEDS:
        topology = seed[26 : params_offset(seed)]
        fast = _FastDecoder(FlatBuffer(topology, 26, "seed.nb")).program()
        assert repr(fast) == repr(decode_program_reference(FlatBuffer(topology, 26, "seed.nb")))
