from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

GO_FOLDER = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(GO_FOLDER))

import build  # noqa: E402
import go_cffi  # noqa: E402
import go_ctypes  # noqa: E402


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = build.missing()
    if reason:
        pytest.skip(reason)
    return build.build(tmp_path_factory.mktemp("go"))


@pytest.fixture(params=["ctypes", "cffi"], scope="session")
def go(request: pytest.FixtureRequest, library: Path) -> SimpleNamespace:
    loader = go_ctypes.load if request.param == "ctypes" else go_cffi.load
    return loader(library)
