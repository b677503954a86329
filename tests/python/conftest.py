"""Shared pytest configuration for tests/python."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Slow tests compile the engine (Conan + CMake, cross compilers, qemu): select with -m slow, skip with
    # -m "not slow".
    config.addinivalue_line("markers", "slow: compiles the engine or runs it under qemu (minutes)")
