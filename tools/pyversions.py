"""Prove that one wheel works on every CPython it claims.

Usage: python tools/pyversions.py stages/v3-pyo3 [stages/v4-jwt ...]

Stages 1 and 2 build `py3-none` wheels and stages 3 and 4 `cp39-abi3` wheels: each claims every
CPython from 3.9 on, from a single file. For each stage, the wheel that `make build` left in
<stage>/dist is installed into a fresh venv of every CPython from 3.9 to 3.13 found on this
machine (under pyenv, or on PATH as python3.X),
together with the stage's test dependencies (its `[dependency-groups] test` in pyproject.toml),
and the stage's test suite runs there. Tests that need a Rust toolchain are deselected: they
build wheels, and what is checked here is the one wheel already built.

A version with no interpreter is reported as skipped, with how to get it; it does not fail the
run. Any failing cell does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

VERSIONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]


def find_interpreter(version: str) -> Path | None:
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    # The newest patch release pyenv has for this minor version.
    candidates = sorted(
        pyenv_root.glob(f"versions/{version}.*/bin/python{version}"),
        key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()],
    )
    if candidates:
        return candidates[-1]
    # pyenv's shims answer for every version but run only the selected ones: skip them.
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder) / f"python{version}"
        if "shims" not in candidate.parts and candidate.exists():
            return candidate
    return None


def test_requirements(stage: Path) -> list[str]:
    pyproject = tomllib.loads((stage / "pyproject.toml").read_text())
    return list(pyproject.get("dependency-groups", {}).get("test", []))


def run_cell(stage: Path, wheel: Path, interpreter: Path, log: Path) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory(prefix="pyversion-") as tmp, log.open("w") as out:

        def step(*command: str | Path, cwd: Path | None = None) -> bool:
            out.write(f"$ {' '.join(map(str, command))}\n")
            out.flush()
            done = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
            return done.returncode == 0

        env_dir = Path(tmp) / "venv"
        python = env_dir / "bin" / "python"
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        ok = (
            step(interpreter, "-m", "venv", env_dir)
            # Unpinned: the pins of requirements-dev.txt need a newer Python than 3.9.
            and step(*pip, *test_requirements(stage))
            and step(*pip, wheel)
            and step(
                python,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-m",
                "not toolchain",
                cwd=stage,
            )
        )
    lines = log.read_text().strip().splitlines()
    return ok, (lines[-1] if lines else "no output")


def main(stage_args: list[str]) -> int:
    stages = [Path(arg).resolve() for arg in stage_args]
    logs = Path(tempfile.mkdtemp(prefix="pyversions-logs-"))
    interpreters = {version: find_interpreter(version) for version in VERSIONS}
    failures = 0
    rows = []
    for stage in stages:
        wheels = sorted((stage / "dist").glob("*.whl"))
        if len(wheels) != 1:
            print(f"{stage.name}: expected one wheel in dist/ (run make build), found {wheels}")
            return 1
        wheel = wheels[0]
        print(f"==> {stage.name}: {wheel.name}")
        for version, interpreter in interpreters.items():
            if interpreter is None:
                result = f"skipped: no python{version} (pyenv install {version})"
                print(f"  {version:5} {result}")
                rows.append((stage.name, version, result))
                continue
            started = time.perf_counter()
            log = logs / f"{stage.name}-py{version}.log"
            ok, summary = run_cell(stage, wheel, interpreter, log)
            failures += not ok
            result = (
                f"{'pass' if ok else 'FAIL'} ({summary}, {time.perf_counter() - started:.0f} s)"
            )
            print(f"  {version:5} {result}" + ("" if ok else f"  log: {log}"))
            rows.append((stage.name, version, result))

    print("\nstage × Python version")
    for stage_name, version, result in rows:
        print(f"  {stage_name:12} {version:5} {result}")
    print(f"logs: {logs}")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
