"""The ABIs tailor builds for, as data.

Canonical names are `<os>-<arch>` in the form users know from their platform: `linux-x86_64`, `linux-aarch64`,
`linux-armv7hf`, and Android's own ABI names prefixed with `android-`: `android-arm64-v8a`,
`android-armeabi-v7a`, `android-x86_64`.

Aliases (case-insensitive):
- Android's bare ABI names mean Android: `arm64-v8a` -> android-arm64-v8a,
  `armeabi-v7a` -> android-armeabi-v7a, `x86_64` -> android-x86_64 (as in an AAR's `jni/<abi>/`; say
  `linux-x86_64` for the host).
- `aarch64`, `armv8`, `arm64`, `linux-arm64`, `linux-armv8` -> linux-aarch64;
  `armv7hf`, `armhf`, `linux-armhf`, `arm-linux-gnueabihf` -> linux-armv7hf;
  `amd64`, `linux-amd64`, `x86_64-linux-gnu` -> linux-x86_64; `aarch64-linux-gnu` -> linux-aarch64;
  `android-arm64`, `android-aarch64` -> android-arm64-v8a; `android-armv7`, `android-arm` ->
  android-armeabi-v7a.

`isas` lists the catalog ISAs a build for the ABI compiles, best first: ("avx2", "any") for x86_64 (AVX2 units
are used at run time only on CPUs with AVX2 and FMA), ("neon", "any") for ARM (NEON is mandatory on armv8 and
on Android armeabi-v7a; the armv7hf toolchain builds with -mfpu=neon).
"""

from __future__ import annotations

from dataclasses import dataclass

from tailor.errors import TailorError

ANDROID_API = 21


@dataclass(frozen=True)
class Abi:
    name: str
    os: str  # Conan os: "Linux" | "Android"
    arch: str  # Conan arch: "x86_64" | "armv8" | "armv7hf" | "armv7"
    isas: tuple[str, ...]  # catalog ISAs, best first
    profile: str  # Conan profile file name in toolchains/
    triple: str  # GNU triple (Linux) / NDK target triple (Android)
    sysroot: str | None  # cross sysroot for Linux ABIs (qemu -L); None: native, or the NDK's own
    c_compiler: str
    cxx_compiler: str
    qemu: str | None  # user-mode emulator to run binaries on this host; None: native or not runnable here
    native: bool  # binaries run directly on an x86_64 Linux host
    package_hints: tuple[str, ...]  # Debian packages providing the compilers / emulator (empty: see `notes`)
    aliases: tuple[str, ...] = ()
    notes: str = ""

    @property
    def is_android(self) -> bool:
        return self.os == "Android"

    @property
    def runnable(self) -> bool:
        """Whether tailor can run this ABI's binaries on an x86_64 Linux host (natively or under qemu)."""
        return self.native or self.qemu is not None

    def run_prefix(self) -> list[str]:
        """The command prefix that runs one of this ABI's executables here: [] natively, qemu -L SYSROOT."""
        if self.native:
            return []
        if self.qemu is None:
            raise TailorError(f"binaries for {self.name} cannot be run on this host")
        return [self.qemu, "-L", self.sysroot] if self.sysroot else [self.qemu]


_NDK_NOTE = "needs an Android NDK (r23 or newer): set ANDROID_NDK_HOME"


def _isas(arch: str) -> tuple[str, ...]:
    return ("avx2", "any") if arch == "x86_64" else ("neon", "any")


def _linux_cross(name: str, arch: str, triple: str, qemu: str, aliases: tuple[str, ...]) -> Abi:
    """A Debian cross toolchain: `<triple>-gcc`, its sysroot under /usr, run under qemu-user."""
    return Abi(
        name=name,
        os="Linux",
        arch=arch,
        isas=_isas(arch),
        profile=name,
        triple=triple,
        sysroot=f"/usr/{triple}",
        c_compiler=f"{triple}-gcc",
        cxx_compiler=f"{triple}-g++",
        qemu=qemu,
        native=False,
        package_hints=(f"g++-{triple}", "qemu-user"),
        aliases=aliases,
    )


def _android(name: str, arch: str, triple: str, aliases: tuple[str, ...]) -> Abi:
    """An NDK target: the API-level clang wrappers; not runnable on the host."""
    return Abi(
        name=name,
        os="Android",
        arch=arch,
        isas=_isas(arch),
        profile=name,
        triple=triple,
        sysroot=None,
        c_compiler=f"{triple}{ANDROID_API}-clang",
        cxx_compiler=f"{triple}{ANDROID_API}-clang++",
        qemu=None,
        native=False,
        package_hints=(),
        aliases=aliases,
        notes=_NDK_NOTE,
    )


ABIS: tuple[Abi, ...] = (
    Abi(
        name="linux-x86_64",
        os="Linux",
        arch="x86_64",
        isas=_isas("x86_64"),
        profile="linux-x86_64",
        triple="x86_64-linux-gnu",
        sysroot=None,
        c_compiler="gcc",
        cxx_compiler="g++",
        qemu=None,
        native=True,
        package_hints=("g++",),
        aliases=("amd64", "linux-amd64", "x86_64-linux-gnu"),
    ),
    _linux_cross(
        "linux-aarch64",
        arch="armv8",
        triple="aarch64-linux-gnu",
        qemu="qemu-aarch64",
        aliases=("aarch64", "armv8", "arm64", "linux-arm64", "linux-armv8", "aarch64-linux-gnu"),
    ),
    _linux_cross(
        "linux-armv7hf",
        arch="armv7hf",
        triple="arm-linux-gnueabihf",
        qemu="qemu-arm",
        aliases=("armv7hf", "armhf", "linux-armhf", "arm-linux-gnueabihf"),
    ),
    _android(
        "android-arm64-v8a",
        arch="armv8",
        triple="aarch64-linux-android",
        aliases=("arm64-v8a", "android-arm64", "android-aarch64"),
    ),
    _android(
        "android-armeabi-v7a",
        arch="armv7",
        triple="armv7a-linux-androideabi",
        aliases=("armeabi-v7a", "android-armv7", "android-arm"),
    ),
    _android("android-x86_64", arch="x86_64", triple="x86_64-linux-android", aliases=("x86_64",)),
)

ABI_NAMES: tuple[str, ...] = tuple(abi.name for abi in ABIS)
ALL_ISAS: tuple[str, ...] = ("any", "neon", "avx2")

_BY_NAME: dict[str, Abi] = {}
for _abi in ABIS:
    for _key in (_abi.name, *_abi.aliases):
        assert _key.lower() not in _BY_NAME, _key
        _BY_NAME[_key.lower()] = _abi


def resolve_abi(name: str) -> Abi:
    """The ABI called `name` (canonical or alias, case-insensitive); TailorError listing the valid names."""
    abi = _BY_NAME.get(name.strip().lower())
    if abi is None:
        aliases = ", ".join(f"{a} -> {abi.name}" for abi in ABIS for a in abi.aliases)
        raise TailorError(
            f"unknown ABI {name!r}: valid names are {', '.join(ABI_NAMES)} (aliases: {aliases})"
        )
    return abi


def isa_rank(isa: str) -> int:
    """CATALOG.md: 1 for neon/avx2, 0 for any."""
    return 0 if isa == "any" else 1
