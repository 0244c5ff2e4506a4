"""The wheel: tagged cp311-abi3-manylinux, no dependencies, installable into a fresh venv."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.toolchain

STAGE_DIR = Path(__file__).resolve().parent.parent

# The ELF header's e_machine field says which processor a shared library is for.
ELF_MACHINES = {62: "x86_64", 183: "aarch64"}

SMOKE_TEST = (
    "import sys, hello_pyo3 as h; "
    "print(sys.version_info[:2] >= (3, 9), h.hello('Wörld'), h.add(2, 40), "
    "h._native.__file__.split('/')[-3])"
)


def wheel_tags(wheel: Path) -> tuple[str, str, str]:
    """(python tag, ABI tag, platform tag) from a wheel's file name."""
    _name, _version, python_tag, abi_tag, platform_tag = wheel.name[: -len(".whl")].split("-")
    return python_tag, abi_tag, platform_tag


def elf_machine(library: bytes) -> str:
    assert library[:4] == b"\x7fELF"
    return ELF_MACHINES.get(int.from_bytes(library[18:20], "little"), "unknown")


def test_wheel_is_abi3_and_manylinux(fresh_wheel_env: tuple[Path, Path]) -> None:
    wheel, _ = fresh_wheel_env
    machine = platform.machine()
    # cp311-abi3: CPython 3.11 and every later version. manylinux_<glibc>: any Linux whose glibc
    # is at least that old (maturin read it from the library's symbol versions).
    assert re.fullmatch(
        rf"hello_pyo3-0\.1\.0-cp311-abi3-manylinux_\d+_\d+_{machine}\.whl", wheel.name
    ), wheel.name


def test_wheel_metadata(fresh_wheel_env: tuple[Path, Path]) -> None:
    wheel, _ = fresh_wheel_env
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("hello_pyo3-0.1.0.dist-info/METADATA").decode()
        wheel_file = archive.read("hello_pyo3-0.1.0.dist-info/WHEEL").decode()
    # No runtime dependencies: unlike stage 2 there is no cffi to install (or compile).
    assert "Requires-Dist" not in metadata
    assert "Requires-Python: >=3.11" in metadata
    assert "Root-Is-Purelib: false" in wheel_file
    python_tag, abi_tag, platform_tag = wheel_tags(wheel)
    assert f"Tag: {python_tag}-{abi_tag}-{platform_tag}" in wheel_file.splitlines()


def test_wheel_carries_the_module_stub_and_marker(fresh_wheel_env: tuple[Path, Path]) -> None:
    wheel, _ = fresh_wheel_env
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        library = archive.read("hello_pyo3/_native.abi3.so")
    assert {
        "hello_pyo3/__init__.py",
        "hello_pyo3/_native.abi3.so",
        "hello_pyo3/_native.pyi",
        "hello_pyo3/py.typed",
    } <= names
    assert elf_machine(library) == platform.machine()
    # Nothing from the source tree beyond the package (no Rust sources, no tests).
    assert not [n for n in names if n.endswith((".rs", ".toml")) or n.startswith("tests/")]


def test_installed_wheel_works_in_a_fresh_venv(
    fresh_wheel_env: tuple[Path, Path], tmp_path: Path
) -> None:
    _, python = fresh_wheel_env
    # Run from an empty folder so nothing but the installed package can be imported.
    result = subprocess.run(
        [python, "-c", SMOKE_TEST], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout == "True Hello, Wörld! 42 site-packages\n"


def other_pythons() -> dict[tuple[int, int], Path]:
    """CPython interpreters on this machine besides the running one, by version."""
    candidates = [shutil.which(f"python3.{minor}") for minor in range(8, 16)]
    pyenv_versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(p) for p in sorted(pyenv_versions.glob("3.*/bin/python3"))]
    found: dict[tuple[int, int], Path] = {}
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0:
            major, minor = map(int, probe.stdout.split())
            found.setdefault((major, minor), Path(candidate))
    found.pop(sys.version_info[:2], None)
    return found


def fresh_venv(python: Path, env_dir: Path) -> Path:
    subprocess.run([python, "-m", "venv", env_dir], check=True)
    return env_dir / "bin" / "python"


@pytest.mark.slow
def test_one_wheel_serves_every_python_from_3_11(
    fresh_wheel_env: tuple[Path, Path], tmp_path: Path
) -> None:
    wheel, _ = fresh_wheel_env
    pythons = {v: p for v, p in other_pythons().items() if v >= (3, 11)}
    if not pythons:
        pytest.skip("no other Python 3.11+ on this machine to install the abi3 wheel into")
    for version, interpreter in sorted(pythons.items()):
        python = fresh_venv(interpreter, tmp_path / f"venv{version}")
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", wheel],
            check=True,
        )
        result = subprocess.run(
            [python, "-c", SMOKE_TEST], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        assert result.stdout == "True Hello, Wörld! 42 site-packages\n", version


@pytest.mark.slow
def test_python_3_10_refuses_the_wheel(fresh_wheel_env: tuple[Path, Path], tmp_path: Path) -> None:
    wheel, _ = fresh_wheel_env
    interpreter = other_pythons().get((3, 10))
    if interpreter is None:
        pytest.skip("no Python 3.10 on this machine")
    python = fresh_venv(interpreter, tmp_path / "venv310")
    result = subprocess.run(
        [python, "-m", "pip", "install", "--no-index", "--no-deps", wheel],
        capture_output=True,
        text=True,
        check=False,
    )
    # cp311-abi3 is not among the tags Python 3.10 accepts.
    assert result.returncode != 0
    assert "is not a supported wheel on this platform" in result.stderr


@pytest.mark.slow
def test_cross_compiled_aarch64_wheel(tmp_path: Path) -> None:
    target = "aarch64-unknown-linux-gnu"
    if shutil.which("cargo") is None:
        pytest.skip("building the wheel needs cargo")
    # The target's standard library next to rustc's own, wherever Rust came from (rustup, or a
    # distribution's packages, where there is no `rustup target list`).
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not (Path(sysroot) / "lib" / "rustlib" / target / "lib").is_dir():
        pytest.skip(f"needs the Rust target: rustup target add {target}")
    if subprocess.run([sys.executable, "-m", "ziglang", "version"], check=False).returncode:
        pytest.skip("cross builds link with zig: pip install ziglang")
    dist = tmp_path / "dist"
    subprocess.run(
        [
            "make",
            "--no-print-directory",
            "wheel",
            f"DIST={dist}",
            f"PYTHON={sys.executable}",
            f"TARGET={target}",
        ],
        cwd=STAGE_DIR,
        check=True,
    )
    (wheel,) = dist.glob("*.whl")
    # zig links against glibc 2.17 whatever this machine has: the manylinux2014 policy.
    assert wheel.name == (
        "hello_pyo3-0.1.0-cp311-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl"
    )
    with zipfile.ZipFile(wheel) as archive:
        assert elf_machine(archive.read("hello_pyo3/_native.abi3.so")) == "aarch64"
        assert "Requires-Dist" not in archive.read("hello_pyo3-0.1.0.dist-info/METADATA").decode()
