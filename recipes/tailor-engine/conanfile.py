"""Conan 2 recipe of the tailor engine: builds `engine/` with one generated registry.

The registry (registry.cc + units.cmake + selection.digest, written by `tailor` from a selection) is the only
input that differs between tailored builds. Its digest is the option `selection`, so it is part of the package
id: a different selection never reuses another selection's binary, while an identical one is a cache hit. The
directory itself comes in through the conf `user.tailor:registry_dir`, which is not part of the id; the recipe
checks that the directory's `selection.digest` equals the option before building.

By hand (see docs/build.md):

    conan create recipes/tailor-engine -pr:h toolchains/linux-aarch64 -pr:b toolchains/build \
        -o "tailor-engine/*:selection=<digest>" -c user.tailor:registry_dir=<dir> --build=missing
"""

import os
import re
import shutil
import subprocess

from conan import ConanFile
from conan.errors import ConanException, ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy

REGISTRY_FILES = ("registry.cc", "units.cmake", "selection.digest")
LIBRARY = "tailor_engine"
RUNNER = "tailor-run"
# Never exported: build trees, editor and Python droppings, and what the library build does not read (the
# engine's own tests and fuzzer; the catalog, which reaches the build only through the generated registry,
# whose digest is the `selection` option). Everything exported is hashed into the recipe revision: an edit
# rebuilds.
EXPORT_EXCLUDES = (
    "build", "build/*", "build-*", "build-*/*", "*/__pycache__/*", "*.pyc", ".*", "*/.*",
    "tests/*", "fuzz/*", "catalog.parts/*", "catalog.toml", "*.md",
)  # fmt: skip


class TailorEngineConan(ConanFile):
    name = "tailor-engine"
    version = "0.1.0"
    description = (
        "The tailor inference engine for Paddle Lite .nb models, built with a generated kernel registry"
    )
    license = "Apache-2.0"
    settings = "os", "arch", "compiler", "build_type"
    options = {  # noqa: RUF012 - Conan's class attributes
        "selection": [None, "ANY"],  # digest of the selection (the registry directory's selection.digest)
        "shared": [True, False],  # build lib/libtailor_engine.so (stripped) + lib/unstripped/
        "static_lib": [True, False],  # also build lib/libtailor_engine.a
        "runner": [True, False],  # also build bin/tailor-run
    }
    default_options = {"selection": None, "shared": True, "static_lib": False, "runner": True}  # noqa: RUF012

    def export_sources(self):
        engine = os.path.normpath(os.path.join(self.recipe_folder, "..", "..", "engine"))
        if not os.path.isfile(os.path.join(engine, "CMakeLists.txt")):
            raise ConanException(
                f"tailor-engine: no engine sources at {engine} (expected engine/CMakeLists.txt)"
            )
        copy(self, "*", engine, os.path.join(self.export_sources_folder, "engine"), excludes=EXPORT_EXCLUDES)

    def layout(self):
        cmake_layout(self, src_folder="engine")

    def validate(self):
        if not self.options.selection:
            raise ConanInvalidConfiguration(
                "tailor-engine needs the selection digest: -o 'tailor-engine/*:selection=<digest>' "
                "(the selection.digest file that `tailor` writes beside registry.cc)"
            )
        if not re.fullmatch(r"[0-9A-Za-z_.+-]{1,128}", str(self.options.selection)):
            raise ConanInvalidConfiguration(
                f"tailor-engine: malformed selection digest {self.options.selection!r}"
            )
        if not self.options.shared and not self.options.static_lib:
            raise ConanInvalidConfiguration(
                "tailor-engine: shared=False needs static_lib=True (nothing to build)"
            )
        if self.settings.get_safe("compiler.cppstd"):
            check_min_cppstd(self, 17)

    def validate_build(self):
        if self.settings.os == "Android" and not self.conf.get("tools.android:ndk_path"):
            raise ConanInvalidConfiguration(
                "tailor-engine for Android needs the NDK: -c tools.android:ndk_path=<ndk> "
                "(tailor fills it from --ndk, ANDROID_NDK_HOME or ANDROID_NDK_ROOT)"
            )

    def _registry_dir(self):
        registry = self.conf.get("user.tailor:registry_dir", check_type=str)
        if not registry:
            raise ConanException(
                "tailor-engine: no registry directory: -c user.tailor:registry_dir=<dir> "
                "(the directory `tailor` wrote registry.cc, units.cmake and selection.digest into)"
            )
        registry = os.path.abspath(os.path.expanduser(registry))
        missing = [name for name in REGISTRY_FILES if not os.path.isfile(os.path.join(registry, name))]
        if missing:
            raise ConanException(f"tailor-engine: registry directory {registry} lacks {', '.join(missing)}")
        with open(os.path.join(registry, "selection.digest"), encoding="utf-8") as f:
            digest = f.read().strip()
        if digest != str(self.options.selection):
            raise ConanException(
                f"tailor-engine: registry directory {registry} holds selection {digest}, but the option "
                f"selection is {self.options.selection}; regenerate the registry or pass its digest"
            )
        return registry

    def generate(self):
        # The registry is copied into the build folder, so that the build does not depend on where tailor
        # wrote it (and the paths in the binary are the same for every build of this package id).
        registry = os.path.join(self.build_folder, "registry")
        if os.path.isdir(registry):
            shutil.rmtree(registry)
        os.makedirs(registry)
        source = self._registry_dir()
        for name in REGISTRY_FILES:
            shutil.copy2(os.path.join(source, name), os.path.join(registry, name))

        tc = CMakeToolchain(self)
        tc.cache_variables["TAILOR_REGISTRY_DIR"] = registry.replace("\\", "/")
        tc.cache_variables["TAILOR_SHARED"] = bool(self.options.shared)
        tc.cache_variables["TAILOR_STATIC"] = bool(self.options.static_lib)
        tc.cache_variables["TAILOR_BUILD_RUNNER"] = bool(self.options.runner)
        # The package ships lib/libtailor_engine.so itself (no .so.0 chain): its SONAME must be that name, as
        # Android requires and as a dist/ directory copied anywhere needs.
        tc.variables["CMAKE_PLATFORM_NO_VERSIONED_SONAME"] = True
        # Reproducible: no build-machine paths in the binaries (__FILE__, debug info).
        base = os.path.dirname(self.source_folder)
        prefix_maps = [f"-ffile-prefix-map={self.source_folder}=engine", f"-ffile-prefix-map={base}=."]
        tc.extra_cflags += prefix_maps
        tc.extra_cxxflags += prefix_maps
        tc.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def _find_built(self, name):
        found = []
        for root, dirs, files in os.walk(self.build_folder):
            dirs[:] = [d for d in dirs if d not in ("CMakeFiles", "registry")]
            if name in files:
                path = os.path.join(root, name)
                if os.path.isfile(path):
                    found.append(path)
        if not found:
            return None
        return sorted(found, key=len)[0]

    def _strip_tool(self):
        cache = os.path.join(self.build_folder, "CMakeCache.txt")
        if os.path.isfile(cache):
            with open(cache, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith("CMAKE_STRIP:"):
                        tool = line.split("=", 1)[1].strip()
                        if tool and os.path.isfile(tool):
                            return tool
        return shutil.which("strip")

    def package(self):
        copy(
            self,
            "*.h",
            os.path.join(self.source_folder, "include"),
            os.path.join(self.package_folder, "include"),
        )
        lib_dir = os.path.join(self.package_folder, "lib")
        os.makedirs(lib_dir, exist_ok=True)
        strip = self._strip_tool()
        if self.options.shared:
            built = self._find_built(f"lib{LIBRARY}.so")
            if built is None:
                raise ConanException(f"tailor-engine: the build produced no lib{LIBRARY}.so")
            unstripped = os.path.join(lib_dir, "unstripped", f"lib{LIBRARY}.so")
            os.makedirs(os.path.dirname(unstripped), exist_ok=True)
            shutil.copyfile(os.path.realpath(built), unstripped)
            stripped = os.path.join(lib_dir, f"lib{LIBRARY}.so")
            shutil.copyfile(unstripped, stripped)
            if strip is None:
                raise ConanException("tailor-engine: no strip tool found (CMAKE_STRIP nor strip on PATH)")
            subprocess.run([strip, "--strip-all", "--remove-section=.comment", stripped], check=True)
            os.chmod(stripped, 0o755)
        if self.options.static_lib:
            built = self._find_built(f"lib{LIBRARY}.a")
            if built is None:
                raise ConanException(f"tailor-engine: the build produced no lib{LIBRARY}.a")
            shutil.copyfile(built, os.path.join(lib_dir, f"lib{LIBRARY}.a"))
        if self.options.runner:
            built = self._find_built(RUNNER) or self._find_built(RUNNER + ".exe")
            if built is None:
                raise ConanException(f"tailor-engine: the build produced no {RUNNER}")
            bin_dir = os.path.join(self.package_folder, "bin")
            os.makedirs(bin_dir, exist_ok=True)
            shutil.copy2(built, os.path.join(bin_dir, os.path.basename(built)))
        copy(self, "selection.digest", os.path.join(self.build_folder, "registry"), self.package_folder)
        copy(self, "units.cmake", os.path.join(self.build_folder, "registry"), self.package_folder)

    def package_info(self):
        self.cpp_info.libs = [LIBRARY]
        self.cpp_info.includedirs = ["include"]
        self.cpp_info.bindirs = ["bin"] if self.options.runner else []
