"""Where tailor finds the repository's own directories (engine, templates, recipes, toolchains).

Everything is relative to the repository root: the directory that holds `engine/` and `templates/`, found from
this file's location, or taken from the environment variable `TAILOR_ROOT` when it is set (for an installed
tailor that builds from a separate engine checkout, and for tests).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "TAILOR_ROOT"


def repo_root() -> Path:
    """The repository root: `$TAILOR_ROOT` if set, else the parent of the `tailor` package directory."""
    override = os.environ.get(ROOT_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(__file__).resolve().parent.parent


def engine_dir() -> Path:
    return repo_root() / "engine"


def catalog_path() -> Path:
    return engine_dir() / "catalog.toml"


def catalog_parts_dir() -> Path:
    return engine_dir() / "catalog.parts"


def templates_dir() -> Path:
    return repo_root() / "templates"


def recipes_dir() -> Path:
    return repo_root() / "recipes"


def toolchains_dir() -> Path:
    return repo_root() / "toolchains"
