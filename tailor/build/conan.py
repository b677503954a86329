"""Running Conan for tailor: its own home, no remotes, one exclusive lock around every cache mutation.

tailor never lets Conan reach the network: the home it uses has no remotes configured (the default one is
removed when the home is created), every `conan create` runs with `--no-remote` and `--build=missing`, and the
recipe has no requirements. Conan's cache is not safe for concurrent writers, so every command that can touch
it runs while this process holds an exclusive `fcntl` lock on `<home>/.tailor.lock`; a second `tailor build`
waits.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tailor import paths
from tailor.errors import TailorError

HOME_ENV = "TAILOR_CONAN_HOME"
RECIPE_NAME = "tailor-engine"
LOCK_NAME = ".tailor.lock"
MARKER = ".tailor-home"
LOG_DAYS = 7
# Written into a home tailor creates (or adopts): quiet, never prompt, never upload or download.
GLOBAL_CONF = """\
# Written by tailor: this Conan home is used offline (no remotes) and never prompts.
core:non_interactive=True
core.download:parallel=1
"""


class ConanError(TailorError):
    """A Conan command failed; `log` is the file holding its full output."""

    def __init__(self, message: str, log: Path | None = None) -> None:
        self.log = log
        super().__init__(message)


def default_conan_home() -> Path:
    """`$TAILOR_CONAN_HOME`, else `$XDG_CACHE_HOME/tailor/conan` (default `~/.cache/tailor/conan`)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return (Path(cache).expanduser() / "tailor" / "conan").resolve()


def conan_command() -> list[str]:
    """How to start the Conan CLI of this Python environment (the `conan` package is a tailor dependency)."""
    return [sys.executable, "-m", "conans.conan"]


@dataclass(frozen=True)
class PackageSpec:
    """One `conan create` of the engine recipe: a profile, the options and the registry directory."""

    profile: Path
    selection: str
    registry_dir: Path
    shared: bool = True
    static_lib: bool = False
    runner: bool = True
    conf: Mapping[str, str] = field(default_factory=dict)  # extra host confs (e.g. tools.android:ndk_path)

    def options(self) -> dict[str, str]:
        return {
            "selection": self.selection,
            "shared": str(self.shared),
            "static_lib": str(self.static_lib),
            "runner": str(self.runner),
        }


@dataclass(frozen=True)
class Package:
    """A package in the Conan cache, as `conan create --format=json` reports it."""

    ref: str  # name/version#recipe-revision
    package_id: str
    revision: str | None
    folder: Path
    built: bool  # False: found in the cache (no compiler ran)
    seconds: float

    @property
    def full_ref(self) -> str:
        rev = f"#{self.revision}" if self.revision else ""
        return f"{self.ref}:{self.package_id}{rev}"


class Conan:
    """Conan with tailor's home. Create it, then call `create()` inside `with conan.locked():`."""

    def __init__(
        self, home: Path | None = None, *, jobs: int | None = None, log_dir: Path | None = None
    ) -> None:
        self.home = (home or default_conan_home()).expanduser().resolve()
        self.jobs = jobs
        self.log_dir = log_dir or self.home.parent / "logs"
        self._lock_depth = 0
        self._lock_file: IO[bytes] | None = None

    # --- environment -------------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["CONAN_HOME"] = str(self.home)
        env.pop("CONAN_DEFAULT_PROFILE", None)
        # ccache (engine/CMakeLists.txt uses it when present): paths under the home are rewritten relative, so
        # objects are shared between package build folders (tailored and full engines share most files).
        env.setdefault("CCACHE_BASEDIR", str(self.home))
        env["NO_COLOR"] = "1"
        env["CLICOLOR_FORCE"] = "0"
        # cmake (and ninja) installed by pip beside this Python are a fallback for system ones.
        scripts = str(Path(sys.executable).parent)
        env["PATH"] = os.pathsep.join(p for p in (env.get("PATH", ""), scripts) if p)
        return env

    @property
    def managed(self) -> bool:
        """Whether tailor owns this home (it created it): only then does it touch the home's configuration."""
        return (self.home / MARKER).exists()

    def ensure_home(self) -> None:
        """Create the home if needed. A home tailor creates is offline by configuration: no remotes (Conan's
        default ConanCenter entry is never written), non-interactive; it is marked as tailor's, and kept so on
        every use. A Conan home tailor did not create (`--conan-home ~/.conan2`) is left as it is:
        `--no-remote` on every command keeps Conan off the network there. Idempotent."""
        fresh = not self.home.exists() or not any(p for p in self.home.iterdir() if p.name != LOCK_NAME)
        self.home.mkdir(parents=True, exist_ok=True)
        if fresh:
            (self.home / MARKER).write_text("This Conan home is managed by tailor (tailor build).\n")
            _atomic_write(self.home / "global.conf", GLOBAL_CONF)
        if not self.managed:
            return
        remotes = self.home / "remotes.json"
        want: dict[str, list[Any]] = {"remotes": []}
        try:
            have = json.loads(remotes.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            have = None
        if have != want:
            _atomic_write(remotes, json.dumps(want, indent=2) + "\n")

    @contextmanager
    def locked(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the exclusive cache lock (re-entrant within this object). `on_wait` is called once if another
        process holds it."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        self.home.mkdir(parents=True, exist_ok=True)
        lock = open(self.home / LOCK_NAME, "ab")  # noqa: SIM115 - held for the duration of the block
        try:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            self._lock_file = lock
            self._lock_depth = 1
            self.ensure_home()
            yield
        finally:
            self._lock_depth = 0
            self._lock_file = None
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
            lock.close()

    def _require_lock(self) -> None:
        if not self._lock_depth:
            raise RuntimeError("Conan cache mutation outside Conan.locked()")

    # --- commands ----------------------------------------------------------------------------------------

    def _prune_logs(self) -> None:
        cutoff = time.time() - LOG_DAYS * 86400
        for old in self.log_dir.glob("*.log"):
            try:
                if old.stat().st_mtime < cutoff:
                    old.unlink()
            except OSError:
                pass

    def run(self, args: Sequence[str], *, log_name: str, cwd: Path | None = None) -> tuple[str, Path]:
        """Run `conan ARGS` with this home; stdout is returned, stderr goes to a log file (kept LOG_DAYS)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._prune_logs()
        log = self.log_dir / f"{log_name}.{os.getpid()}.log"
        cmd = [*conan_command(), *args]
        with open(log, "w", encoding="utf-8") as err:
            err.write("$ " + " ".join(_quote(a) for a in cmd) + "\n")
            err.flush()
            proc = subprocess.run(
                cmd,
                stdout=subprocess.PIPE,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=self.env(),
                cwd=cwd,
                text=True,
                check=False,
            )
        if proc.returncode != 0:
            raise ConanError(
                f"conan {args[0]} failed (exit {proc.returncode}): {_last_error(log)}; full log: {log}", log
            )
        return proc.stdout, log

    def profile_show(self, profile: Path, conf: Mapping[str, str] | None = None) -> dict[str, Any]:
        """`conan profile show --format=json` for host profile `profile`: {"host": {...}, "build": {...}}."""
        args = ["profile", "show", "-pr:h", str(profile), "-pr:b", str(build_profile()), "--format=json"]
        for key, value in (conf or {}).items():
            args += ["-c:h", f"{key}={value}"]
        out, log = self.run(args, log_name="profile-show")
        try:
            shown = json.loads(out)
        except ValueError:
            raise ConanError(f"conan profile show printed no JSON; full log: {log}", log) from None
        if not isinstance(shown, dict):
            raise ConanError(f"conan profile show printed unexpected JSON; full log: {log}", log)
        return shown

    def create(self, spec: PackageSpec, *, log_name: str) -> Package:
        """`conan create` the engine recipe for `spec` (builds only if its package id is not cached)."""
        self._require_lock()
        recipe = paths.recipes_dir() / RECIPE_NAME
        args = [
            "create",
            str(recipe),
            "-pr:h",
            str(spec.profile),
            "-pr:b",
            str(build_profile()),
            "--build=missing",
            "--no-remote",
            "--format=json",
            "-c:h",
            f"user.tailor:registry_dir={spec.registry_dir}",
        ]
        for key, value in spec.options().items():
            args += ["-o:h", f"{RECIPE_NAME}/*:{key}={value}"]
        for key, value in spec.conf.items():
            args += ["-c:h", f"{key}={value}"]
        if self.jobs:
            args += ["-c:h", f"tools.build:jobs={self.jobs}"]
        if shutil.which("ninja"):
            args += ["-c:h", "tools.cmake.cmaketoolchain:generator=Ninja"]
        started = time.monotonic()
        out, log = self.run(args, log_name=log_name)
        seconds = time.monotonic() - started
        try:
            graph = json.loads(out)
        except ValueError:
            raise ConanError(f"conan create printed no JSON graph; full log: {log}", log) from None
        return _package_from_graph(graph, seconds, log)


def build_profile() -> Path:
    return paths.toolchains_dir() / "build"


def host_profile(profile_name: str) -> Path:
    path = paths.toolchains_dir() / profile_name
    if not path.is_file():
        raise TailorError(f"no Conan profile {path}")
    return path


def _package_from_graph(graph: Mapping[str, Any], seconds: float, log: Path) -> Package:
    nodes = graph.get("graph", {}).get("nodes", {})
    for node in nodes.values():
        ref = str(node.get("ref") or "")
        if ref.split("/", 1)[0] != RECIPE_NAME:
            continue
        folder = node.get("package_folder")
        if not folder:
            raise ConanError(f"conan reported no package folder for {ref}; full log: {log}", log)
        binary = str(node.get("binary") or "")
        return Package(
            ref=ref,
            package_id=str(node.get("package_id")),
            revision=node.get("prev"),
            folder=Path(folder),
            built=binary == "Build",
            seconds=seconds,
        )
    raise ConanError(f"conan's graph has no {RECIPE_NAME} node; full log: {log}", log)


def _last_error(log: Path) -> str:
    """The most telling line of a failed Conan log: the first compiler error, else the first CMake error, else
    the recipe's exception, else Conan's last ERROR line, else the last line."""
    try:
        lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError:
        return "no log"
    lines = [line for line in lines if line]
    compiler = [line for line in lines if ": error:" in line or ": fatal error:" in line]
    if compiler:
        return compiler[0][:300]
    cmake = [i for i, line in enumerate(lines) if line.startswith("CMake Error")]
    if cmake:
        i = cmake[0]
        return " ".join(lines[i : i + 2])[:300]
    recipe = [line for line in lines if line.startswith(("ConanException:", "ConanInvalidConfiguration:"))]
    if recipe and "Error 1 while executing" not in recipe[-1]:
        return recipe[-1].split(":", 1)[1].strip()[:300]
    errors = [line for line in lines if line.startswith("ERROR:") and len(line) > len("ERROR:")]
    if errors:
        return errors[-1].removeprefix("ERROR:").strip()[:300]
    return lines[-1][:300] if lines else "no output"


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


def _quote(arg: str) -> str:
    return arg if arg and all(c.isalnum() or c in "-_./:=*,+@" for c in arg) else repr(arg)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
