"""The wheel: tagged for its platform, installable into a fresh venv, working from there."""

from __future__ import annotations

import platform
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.toolchain


def test_wheel_is_platform_tagged(fresh_wheel_env: tuple[Path, Path]) -> None:
    wheel, _ = fresh_wheel_env
    machine = platform.machine()
    # py3-none: no CPython API, so any Python 3 loads it; manylinux: one OS and architecture.
    # The journey's wheel was py3-none-any, which pip would also install where the .so can't run.
    assert re.fullmatch(
        rf"hello_cffi-0\.1\.0-py3-none-manylinux_\d+_\d+_{machine}\.whl", wheel.name
    )
    assert not wheel.name.endswith("-any.whl")


def test_wheel_carries_the_library_and_the_declarations(
    fresh_wheel_env: tuple[Path, Path],
) -> None:
    wheel, _ = fresh_wheel_env
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("hello_cffi-0.1.0.dist-info/METADATA").decode()
        wheel_info = archive.read("hello_cffi-0.1.0.dist-info/WHEEL").decode()
    assert {
        "hello_cffi/__init__.py",
        "hello_cffi/py.typed",
        "hello_cffi/_native/__init__.py",  # loads the library with ffi.dlopen
        "hello_cffi/_native/ffi.py",  # the declarations, compiled from the header by cffi
        "hello_cffi/_native/lib_native.so",
    } <= names
    assert "Root-Is-Purelib: false" in wheel_info
    # ABI mode needs cffi's backend at run time: the wheel must say so.
    assert re.search(r"^Requires-Dist: cffi\b", metadata, re.MULTILINE)


def test_installed_wheel_works_in_a_fresh_venv(
    fresh_wheel_env: tuple[Path, Path], tmp_path: Path
) -> None:
    _, python = fresh_wheel_env
    script = (
        "import hello_cffi as h; "
        "print(h.hello('wheel'), h.repeat('ab', 2), h.add(2, 40), "
        "h.LIBRARY_PATH.parent.parent.parent.name)"
    )
    # Run from an empty folder so nothing but the installed package can be imported.
    result = subprocess.run(
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout == "Hello, wheel! abab 42 site-packages\n"
