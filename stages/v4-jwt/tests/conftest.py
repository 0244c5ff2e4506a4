"""Shared fixtures: the tests run against the installed package, never the source folder.

The RSA keys in tests/keys/ were made with `openssl genpkey` (see tests/keys/README.md) and are
for tests only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

STAGE_DIR = Path(__file__).resolve().parent.parent
KEYS_DIR = Path(__file__).resolve().parent / "keys"

#: Examples per hypothesis test: `make test` exports a few thousand, a bare pytest run uses 200.
FUZZ_EXAMPLES = int(os.environ.get("FERROJWT_FUZZ_EXAMPLES", "200"))

RSA_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
HMAC_SECRET = "a-test-secret-that-is-at-least-64-bytes-long-for-hs512-and-more!"


def read_key(name: str) -> str:
    return (KEYS_DIR / name).read_text()


@pytest.fixture(scope="session")
def private_pem() -> str:
    return read_key("rsa2048.pkcs8.pem")


@pytest.fixture(scope="session")
def public_pem() -> str:
    return read_key("rsa2048.pub.pem")


def require_cargo() -> None:
    """Skip, with the reason, where no Rust toolchain exists (the docker-test containers)."""
    if shutil.which("cargo") is None:
        pytest.skip("building needs cargo; this environment only has the built wheel")


@pytest.fixture(scope="session")
def fresh_wheel_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the wheel with the stage's own `make wheel`, install it into a brand-new venv.

    Returns the wheel's path and the new environment's interpreter.
    """
    require_cargo()
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    subprocess.run(
        ["make", "--no-print-directory", "wheel", f"DIST={dist}", f"PYTHON={sys.executable}"],
        cwd=STAGE_DIR,
        check=True,
    )
    (wheel,) = dist.glob("*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", wheel],
        check=True,
    )
    return wheel, python
