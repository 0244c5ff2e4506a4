"""The type information that ships in the wheel (py.typed, _native.pyi) is right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TYPING_USAGE = Path(__file__).resolve().parent / "typing_usage.py"

pytest.importorskip("mypy", reason="the type checks need mypy (make venv installs it)")
pytestmark = pytest.mark.slow


def run_mypy(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Run from an empty folder (which also gets mypy's cache): only the installed package can
    # be found, never the sources under python/.
    return subprocess.run(
        [sys.executable, "-m", *map(str, args)], cwd=cwd, capture_output=True, text=True
    )


def test_a_caller_type_checks_with_mypy_strict(tmp_path: Path) -> None:
    result = run_mypy("mypy", "--strict", TYPING_USAGE, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_rejects_a_wrong_argument_type(tmp_path: Path) -> None:
    # Proves the check above can fail: without the stub, mypy would call the module untyped.
    bad = tmp_path / "bad_usage.py"
    bad.write_text("import hello_pyo3\n\nhello_pyo3.hello(42)\n")
    result = run_mypy("mypy", "--strict", bad, cwd=tmp_path)
    assert result.returncode == 1
    assert '"hello" has incompatible type "int"; expected "str"' in result.stdout


def test_stub_matches_the_compiled_module(tmp_path: Path) -> None:
    result = run_mypy("mypy.stubtest", "hello_pyo3", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
