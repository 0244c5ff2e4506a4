"""Mistakes the compiler or maturin catch, shown on a copy of the stage: what the README says
happens does happen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import STAGE_DIR, require_cargo

pytestmark = [pytest.mark.toolchain, pytest.mark.slow]


@pytest.fixture(scope="module")
def target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A target folder of its own: cargo's fingerprints do not depend on where a crate lives, so
    # in the shared one these copies would pass for builds of the stage itself.
    return tmp_path_factory.mktemp("target")


def copy_stage(tmp_path: Path) -> Path:
    copy = tmp_path / "stage"
    copy.mkdir()
    for name in ("Cargo.toml", "Cargo.lock", "pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(STAGE_DIR / name, copy / name)
    shutil.copytree(STAGE_DIR / "src", copy / "src")
    shutil.copytree(STAGE_DIR / "python", copy / "python")
    return copy


# A `Bound` and the `Python` token are tied to the attached interpreter: using either while
# detached would touch Python objects without the GIL. pyo3 demands `Ungil` (`Send`) of the
# closure, and neither is.
DETACHED_MISUSES = {
    "Bound": "fn length(text: &Bound<'_, pyo3::types::PyString>) -> PyResult<usize> {\n"
    "    text.py().detach(|| text.len())\n}\n",
    "Python": "fn version(py: Python<'_>) -> usize {\n    py.detach(|| py.version().len())\n}\n",
}


@pytest.mark.parametrize("crossing", sorted(DETACHED_MISUSES))
def test_python_objects_cannot_cross_into_a_detached_closure(
    crossing: str, tmp_path: Path, target_dir: Path
) -> None:
    require_cargo()
    copy = copy_stage(tmp_path)
    bindings = copy / "src" / "bindings.rs"
    bindings.write_text(bindings.read_text() + "\n" + DETACHED_MISUSES[crossing])
    env = {**os.environ, "CARGO_TARGET_DIR": str(target_dir)}
    check = ["cargo", "check", "--quiet", "--features", "python"]
    result = subprocess.run(check, cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "between threads safely" in result.stderr
    assert "Ungil" in result.stderr
    # The stage as it is compiles: the error is the closure's, not the copy's.
    (copy / "src" / "bindings.rs").write_text((STAGE_DIR / "src" / "bindings.rs").read_text())
    subprocess.run(check, cwd=copy, env=env, check=True)


def test_every_pyclass_must_be_sync_frozen_or_not(tmp_path: Path, target_dir: Path) -> None:
    require_cargo()
    copy = copy_stage(tmp_path)
    bindings = copy / "src" / "bindings.rs"
    # Not frozen, yet refused: any thread may reach a Python object, so pyo3 demands `Sync` of
    # every class that is not `unsendable`. `frozen` only removes the borrow flag.
    counter = "#[pyclass]\nstruct Counter {\n    count: std::cell::Cell<u32>,\n}\n"
    bindings.write_text(bindings.read_text() + "\n" + counter)
    env = {**os.environ, "CARGO_TARGET_DIR": str(target_dir)}
    check = ["cargo", "check", "--quiet", "--features", "python"]
    result = subprocess.run(check, cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "error[E0277]" in result.stderr
    assert "`Cell<u32>` cannot be shared between threads safely" in result.stderr
    # `unsendable` lifts it: pyo3 then checks at run time that only one thread uses the object.
    unsendable = counter.replace("#[pyclass]", "#[pyclass(unsendable)]")
    bindings.write_text((STAGE_DIR / "src" / "bindings.rs").read_text() + "\n" + unsendable)
    subprocess.run(check, cwd=copy, env=env, check=True)


def test_a_module_name_mismatch_builds_with_a_warning_and_fails_at_import(
    tmp_path: Path, target_dir: Path
) -> None:
    require_cargo()
    copy = copy_stage(tmp_path)
    pyproject = copy / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"hello_pyo3._native"', '"hello_pyo3._renamed"')
    )
    env = {**os.environ, "CARGO_TARGET_DIR": str(target_dir)}
    build = [sys.executable, "-m", "maturin", "build", "--out", str(tmp_path / "dist")]
    result = subprocess.run(build, cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Couldn't find the symbol `PyInit__renamed`" in result.stderr + result.stdout
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", f"--target={site}"]
    subprocess.run([*pip, str(wheel)], check=True)
    load = (
        "import importlib.util as u, glob; "
        f"path, = glob.glob({str(site / 'hello_pyo3' / '_renamed.*.so')!r}); "
        "u.module_from_spec(u.spec_from_file_location('hello_pyo3._renamed', path))"
    )
    result = subprocess.run([sys.executable, "-c", load], capture_output=True, text=True)
    assert result.returncode != 0
    assert "does not define module export function (PyInit__renamed)" in result.stderr
