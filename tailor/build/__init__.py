"""`tailor build`: orchestration (pipeline), Conan with its own home and lock (conan), atomic artifacts."""

from tailor.build.pipeline import (
    AbiResult,
    BuildOptions,
    BuildResult,
    Progress,
    SilentProgress,
    build,
)

__all__ = ["AbiResult", "BuildOptions", "BuildResult", "Progress", "SilentProgress", "build"]
