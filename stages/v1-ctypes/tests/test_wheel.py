"""The wheel: tagged for its platform, installable into a fresh venv, working from there."""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.toolchain


def test_wheel_is_platform_tagged(fresh_wheel_env: tuple[Path, Path]) -> None:
    wheel, _ = fresh_wheel_env
    machine = platform.machine()
    # py3-none: any Python 3 can load it with ctypes; manylinux: one OS and architecture.
    assert re.fullmatch(
        rf"hello_ctypes-0\.1\.0-py3-none-manylinux_\d+_\d+_{machine}\.whl", wheel.name
    )
    assert not wheel.name.endswith("-any.whl")


def test_wheel_carries_the_library(fresh_wheel_env: tuple[Path, Path]) -> None:
    wheel, _ = fresh_wheel_env
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read("hello_ctypes-0.1.0.dist-info/WHEEL").decode()
    assert [n for n in names if re.fullmatch(r"hello_ctypes/libhello_ctypes.*\.so", n)]
    assert "hello_ctypes/__init__.py" in names
    assert "Root-Is-Purelib: false" in metadata


def test_installed_wheel_works_in_a_fresh_venv(
    fresh_wheel_env: tuple[Path, Path], tmp_path: Path
) -> None:
    _, python = fresh_wheel_env
    script = (
        "import hello_ctypes as h; "
        "print(h.add(2, 40), h.hello_message(), h.LIBRARY_PATH.parent.parent.name)"
    )
    # Run from an empty folder so nothing but the installed package can be imported.
    result = subprocess.run(
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout == "42 Hello from Rust! site-packages\n"


def test_manylinux_tag_is_the_newest_glibc_symbol_version(
    fresh_wheel_env: tuple[Path, Path], tmp_path: Path
) -> None:
    """auditwheel reads the tag off the library's symbol versions, not off the build machine."""
    if shutil.which("objdump") is None:
        pytest.skip("needs objdump (binutils) to list the library's symbol versions")
    wheel, _ = fresh_wheel_env
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.startswith("hello_ctypes/libhello_ctypes")]
        library = Path(archive.extract(name, tmp_path))
    symbols = subprocess.run(
        ["objdump", "-T", library], capture_output=True, text=True, check=True
    ).stdout
    newest = max(
        tuple(int(part) for part in version.split("."))
        for version in re.findall(r"\(GLIBC_([\d.]+)\)", symbols)
    )
    tag = re.search(r"manylinux_(\d+)_(\d+)_", wheel.name)
    assert tag is not None, wheel.name
    assert (int(tag[1]), int(tag[2])) == newest[:2]
