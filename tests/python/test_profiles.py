"""The Conan profiles in toolchains/: each parses with tailor's Conan home; Android ones carry their flags."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tailor.abi import ABIS
from tailor.build.conan import Conan, build_profile, host_profile

REPO = Path(__file__).resolve().parents[2]
TOOLCHAINS = REPO / "toolchains"
PAGE_FLAG = "-Wl,-z,max-page-size=16384"


@pytest.fixture(scope="module")
def conan(tmp_path_factory: pytest.TempPathFactory) -> Conan:
    conan = Conan(tmp_path_factory.mktemp("conan-home"))
    with conan.locked():
        pass  # creates the offline home
    return conan


def host_section(shown: dict[str, Any]) -> dict[str, Any]:
    """Settings and confs of the host profile, as one key -> value mapping."""
    host = shown["host"]
    return {**host["settings"], **host["conf"]}


def conf_list(values: dict[str, Any], key: str) -> list[str]:
    return list(values.get(key, []))


def test_every_abi_has_a_profile() -> None:
    for abi in ABIS:
        assert (TOOLCHAINS / abi.profile).is_file(), abi.name
    assert build_profile().is_file()
    assert (TOOLCHAINS / "include" / "size-flags").is_file()


def test_home_is_offline(conan: Conan) -> None:
    import json

    assert json.loads((conan.home / "remotes.json").read_text()) == {"remotes": []}
    out, _ = conan.run(["remote", "list"], log_name="remote-list")
    assert "conancenter" not in out


@pytest.mark.parametrize("abi", ABIS, ids=[a.name for a in ABIS])
def test_profile_parses(conan: Conan, abi: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from tailor.abi import Abi

    assert isinstance(abi, Abi)
    monkeypatch.delenv("ANDROID_NDK_HOME", raising=False)
    monkeypatch.delenv("ANDROID_NDK_ROOT", raising=False)
    values = host_section(conan.profile_show(host_profile(abi.profile)))
    assert values["os"] == abi.os
    assert values["arch"] == abi.arch
    assert values["build_type"] == "MinSizeRel"
    assert values["compiler.cppstd"] == "17"
    cxxflags = conf_list(values, "tools.build:cxxflags")
    assert {"-ffunction-sections", "-fdata-sections", "-fvisibility=hidden"} <= set(cxxflags)
    link = conf_list(values, "tools.build:sharedlinkflags")
    assert {"-Wl,--gc-sections", "-Wl,--as-needed"} <= set(link)
    # The size flags are part of the package id.
    assert "tools.build:cxxflags" in values["tools.info.package_id:confs"]
    if abi.is_android:
        assert values["compiler"] == "clang"
        assert values["compiler.libcxx"] == "c++_static"
        assert values["os.api_level"] == "21"
        assert "tools.android:ndk_path" not in values
        has_page_flag = PAGE_FLAG in link and PAGE_FLAG in conf_list(values, "tools.build:exelinkflags")
        assert has_page_flag == (abi.arch in ("armv8", "x86_64"))
    else:
        assert values["compiler"] == "gcc"
        # GNU ld pads files up to max-page-size: 16 KB for aarch64, 4 KB for armv7, x86 has 4 KB by default.
        expected = {"linux-aarch64": [PAGE_FLAG], "linux-armv7hf": ["-Wl,-z,max-page-size=4096"]}
        assert [f for f in link if "max-page-size" in f] == expected.get(abi.name, [])
        assert values["tools.build:compiler_executables"]["cpp"] == abi.cxx_compiler


def test_android_profile_reads_ndk_from_environment(conan: Conan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDROID_NDK_HOME", "/opt/some-ndk")
    values = host_section(conan.profile_show(host_profile("android-arm64-v8a")))
    assert values["tools.android:ndk_path"] == "/opt/some-ndk"
    # tailor's -c overrides it (from --ndk).
    values = host_section(
        conan.profile_show(host_profile("android-arm64-v8a"), {"tools.android:ndk_path": "/x"})
    )
    assert values["tools.android:ndk_path"] == "/x"


def test_size_flags_are_in_one_include() -> None:
    for profile in TOOLCHAINS.iterdir():
        if profile.is_file() and profile.name != "build":
            text = profile.read_text()
            assert "include(include/size-flags)" in text, profile
            assert not re.search(r"^tools\.build:cxxflags=", text, re.M), (
                f"{profile}: flags belong in size-flags"
            )
