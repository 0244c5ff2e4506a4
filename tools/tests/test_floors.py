"""The floors are declared once (Cargo.toml, pyproject.toml) and every statement of them agrees."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from floors import (  # noqa: E402
    ROOT,
    STAGES,
    dotted,
    python_floor,
    python_versions,
    rust_floor,
    rust_versions,
    supported_pythons,
)

RUST = dotted(rust_floor())
PYTHON = dotted(python_floor())


def test_every_stage_declares_the_same_python_floor() -> None:
    # One wheel per stage runs on every supported CPython: the stages promise the same range.
    assert set(python_versions().values()) == {python_floor()}
    assert supported_pythons()[0] == PYTHON


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_rust_version_is_the_true_minimum(stage: Path) -> None:
    """No dependency in the lock needs a newer Rust than the stage's `rust-version` says."""
    if shutil.which("cargo") is None:
        pytest.skip("needs cargo")
    described = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--offline", "--quiet"],
        cwd=stage,
        capture_output=True,
        text=True,
        check=False,
    )
    if described.returncode != 0:
        pytest.skip(f"crates not fetched yet (cargo fetch): {described.stderr.strip()}")
    declared = rust_versions()[stage.name]
    needed = max(
        tuple(int(part) for part in package["rust_version"].split("."))[:2]
        for package in json.loads(described.stdout)["packages"]
        if package.get("rust_version")
    )
    assert declared == needed, f"{stage.name}: rust-version {declared}, its crates need {needed}"


def test_the_pinned_tools_install_on_the_floor() -> None:
    """Each pinned tool (requirements-dev.in) accepts the floor; together they need exactly it."""
    pins = [
        Requirement(line.split("#")[0].strip())
        for line in (ROOT / "requirements-dev.in").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    lowest = []
    for pin in pins:
        requires = metadata.metadata(pin.name).get("Requires-Python") or ""
        assert SpecifierSet(requires).contains(PYTHON), f"{pin.name} needs Python {requires}"
        lowest += [spec.version for spec in SpecifierSet(requires) if spec.operator == ">="]
    needed = max(tuple(int(part) for part in v.split(".")[:2]) for v in lowest)
    assert needed == python_floor(), f"the pins need Python {needed}, the floor says {PYTHON}"


@pytest.mark.parametrize(
    "document", ["README.md", "docs/workshop.md"], ids=lambda document: document
)
def test_documents_state_the_floors(document: str) -> None:
    text = (ROOT / document).read_text()
    rust_claims, python_claims = (
        {a or b for a, b in re.findall(rf"{name}\**\s*(?:≥\s*([\d.]+)|([\d.]+)\s+or newer)", text)}
        for name in ("Rust", "Python")
    )
    assert rust_claims == {RUST}, f"{document} states Rust {rust_claims}, the floor is {RUST}"
    assert python_claims == {PYTHON}, f"{document} states Python {python_claims}, not {PYTHON}"


def test_doctor_uses_the_floors() -> None:
    doctor = (ROOT / "tools" / "doctor.py").read_text()
    assert "MIN_RUST = rust_floor()" in doctor
    assert "MIN_PYTHON = python_floor()" in doctor
