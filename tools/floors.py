"""The oldest Rust and Python the repository supports, read from where they are declared.

The floors live in the build files: each stage's Cargo.toml (`rust-version`) and pyproject.toml
(`requires-python`). Everything that states a floor to a reader (`make doctor`, the README, the
workshop guide) takes it from here or is checked against it by tools/tests/test_floors.py.

Standard library only, and no tomllib: `make doctor` imports this before .venv exists, possibly
under a Python older than the floor, to tell the user exactly that.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = sorted(path.parent for path in ROOT.glob("stages/v*/Cargo.toml"))
# The newest CPython release; docker-test runs every stage on it (Debian sid's python3).
NEWEST_PYTHON = (3, 15)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _declared(file_name: str, pattern: str) -> dict[str, tuple[int, ...]]:
    found = {}
    for stage in STAGES:
        match = re.search(pattern, (stage / file_name).read_text(), re.MULTILINE)
        if match is None:
            raise ValueError(f"{stage.name}/{file_name} declares no floor ({pattern})")
        found[stage.name] = _version(match.group(1))
    return found


def rust_versions() -> dict[str, tuple[int, ...]]:
    """Each stage's `rust-version`, the oldest Rust that builds it."""
    return _declared("Cargo.toml", r'^rust-version = "([\d.]+)"')


def python_versions() -> dict[str, tuple[int, ...]]:
    """Each stage's `requires-python` lower bound."""
    return _declared("pyproject.toml", r'^requires-python = ">=([\d.]+)"')


def rust_floor() -> tuple[int, ...]:
    """The Rust that builds every stage: the highest of their `rust-version`s."""
    return max(rust_versions().values())


def python_floor() -> tuple[int, ...]:
    """The Python every stage and the tool environment run on."""
    return max(python_versions().values())


def supported_pythons() -> list[str]:
    """Every CPython minor version from the floor to the newest release: "3.11", "3.12", …"""
    major, oldest = python_floor()[:2]
    return [f"{major}.{minor}" for minor in range(oldest, NEWEST_PYTHON[1] + 1)]


def dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


if __name__ == "__main__":
    print(f"Rust {dotted(rust_floor())}, Python {dotted(python_floor())}")
    print(f"CPython versions supported: {', '.join(supported_pythons())}")
