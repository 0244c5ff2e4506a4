"""The source distribution: exactly what a build needs, and it builds and works from source."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest
from conftest import STAGE_DIR, require_cargo

pytestmark = pytest.mark.toolchain

BACKEND = ("setuptools", "setuptools-rust")
EXPECTED = {
    "Cargo.lock",
    "Cargo.toml",
    "LICENSE",
    "MANIFEST.in",
    "PKG-INFO",
    "README.md",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "src/core.rs",
    "src/lib.rs",
    "python/hello_ctypes/__init__.py",
    "python/hello_ctypes/py.typed",
}


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_cargo()
    dist = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        ["make", "--no-print-directory", "sdist", f"DIST={dist}", f"PYTHON={sys.executable}"],
        cwd=STAGE_DIR,
        check=True,
    )
    (archive,) = dist.glob("*.tar.gz")
    return archive


def test_sdist_holds_exactly_the_build_inputs(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        members = [m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()]
    # setuptools writes its metadata folder into every sdist; everything else is ours.
    ours = {name for name in members if ".egg-info/" not in name}
    assert ours == EXPECTED


def venv_with_build_backend(folder: Path) -> str:
    """A fresh venv holding the build backend, at the versions this environment uses."""
    venv.create(folder, with_pip=True)
    python = str(folder / "bin" / "python")
    backend = [f"{name}=={importlib.metadata.version(name)}" for name in BACKEND]
    subprocess.run([python, "-m", "pip", "install", "--quiet", *backend], check=True)
    return python


def test_sdist_builds_and_works_from_source(sdist: Path, tmp_path: Path) -> None:
    python = venv_with_build_backend(tmp_path / "venv")
    # Our package from source only (--no-binary :all:), without build isolation so that the
    # backend installed above is the one used.
    pip = [python, "-m", "pip", "install", "--quiet"]
    subprocess.run(
        [*pip, "--no-binary", ":all:", "--no-build-isolation", "--no-deps", str(sdist)],
        check=True,
    )
    result = subprocess.run(
        [python, "-c", "import hello_ctypes as h; print(h.add(2, 40), h.hello_message())"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "42 Hello from Rust!\n"


def test_without_rust_the_install_says_so(sdist: Path, tmp_path: Path) -> None:
    python = venv_with_build_backend(tmp_path / "venv")
    # The PATH of a machine without Rust: every folder that holds cargo is left out.
    path = os.pathsep.join(
        folder
        for folder in os.environ["PATH"].split(os.pathsep)
        if not (Path(folder) / "cargo").exists()
    )
    result = subprocess.run(
        [python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", str(sdist)],
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "can't find Rust compiler" in result.stdout + result.stderr
