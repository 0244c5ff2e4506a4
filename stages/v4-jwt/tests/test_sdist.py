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

# maturin builds; pyo3, jsonwebtoken, aws-lc-rs and rsa come from crates.io through Cargo.lock.
BACKEND = ("maturin",)
# An HS256 round trip: needs no key file, and exercises the Rust core and the Python API.
SMOKE_TEST = """
import ferrojwt as jwt
key = "a-secret-of-at-least-32-bytes-for-hs256"
token = jwt.encode({"sub": "sdist"}, key, algorithm="HS256")
print(jwt.decode(token, key, algorithms=["HS256"])["sub"], jwt.get_unverified_header(token)["alg"])
"""
EXPECTED = {
    "Cargo.lock",
    "Cargo.toml",
    "LICENSE",
    "PKG-INFO",
    "PYPI.md",
    "README.md",
    "SECURITY.md",
    "pyproject.toml",
    *(
        f"src/{name}.rs"
        for name in (
            "algorithms",
            "algorithms/hmac",
            "algorithms/legacy",
            "b64",
            "bindings",
            "bindings/fast_encode",
            "bindings/fast_path",
            "bindings/json_object",
            "bindings/library",
            "claims",
            "curves",
            "error",
            "json",
            "jws",
            "keys",
            "keys/forms",
            "keys/text",
            "lib",
        )
    ),
    *(
        f"python/ferrojwt/{name}"
        for name in (
            "__init__.py",
            "_claims.py",
            "_fast_encode.py",
            "_fast_path.py",
            "_key_objects.py",
            "_native.pyi",
            "algorithms.py",
            "api_jwk.py",
            "api_jws.py",
            "api_jwt.py",
            "exceptions.py",
            "help.py",
            "jwk_set_cache.py",
            "jwks_client.py",
            "keys.py",
            "py.typed",
            "types.py",
            "utils.py",
            "warnings.py",
        )
    ),
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
        members = {m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()}
    assert members == EXPECTED


def venv_with_build_backend(folder: Path) -> str:
    """A fresh venv holding the build backend, at the versions this environment uses."""
    venv.create(folder, with_pip=True)
    python = str(folder / "bin" / "python")
    backend = [f"{name}=={importlib.metadata.version(name)}" for name in BACKEND]
    subprocess.run([python, "-m", "pip", "install", "--quiet", *backend], check=True)
    return python


def activated(python: str, path: str) -> dict[str, str]:
    """The environment of an activated venv: maturin's backend runs the `maturin` program."""
    return {**os.environ, "PATH": f"{Path(python).parent}{os.pathsep}{path}"}


def test_sdist_builds_and_works_from_source(sdist: Path, tmp_path: Path) -> None:
    python = venv_with_build_backend(tmp_path / "venv")
    # Our package from source only (--no-binary :all:), without build isolation so that the
    # backend installed above is the one used.
    pip = [python, "-m", "pip", "install", "--quiet"]
    subprocess.run(
        [*pip, "--no-binary", ":all:", "--no-build-isolation", "--no-deps", str(sdist)],
        env=activated(python, os.environ["PATH"]),
        check=True,
    )
    result = subprocess.run(
        [python, "-c", SMOKE_TEST],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "sdist HS256\n"


def test_without_rust_the_install_says_so(sdist: Path, tmp_path: Path) -> None:
    python = venv_with_build_backend(tmp_path / "venv")
    # The PATH of a machine without Rust: every folder that holds cargo is left out.
    path = os.pathsep.join(
        folder
        for folder in os.environ["PATH"].split(os.pathsep)
        if not (Path(folder) / "cargo").exists()
    )
    # Left alone, maturin's backend would download a Rust toolchain into a temporary folder
    # (with the `puccinialin` package); MATURIN_NO_INSTALL_RUST asks it to say what is missing.
    result = subprocess.run(
        [python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", str(sdist)],
        env={**activated(python, path), "MATURIN_NO_INSTALL_RUST": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Cargo, the Rust package manager, is not installed" in result.stdout + result.stderr
