from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/, for builds.py

import builds  # noqa: E402


@pytest.fixture(scope="session")
def site() -> Path:
    """The wheel maturin builds, unpacked into bench/build/site/ (nothing is installed)."""
    return builds.unpack(builds.uniffi_wheel())


@pytest.fixture(scope="session")
def hello_uniffi(site: Path) -> ModuleType:
    sys.path.insert(0, str(site))
    import hello_uniffi

    return hello_uniffi
