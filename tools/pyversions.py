"""Prove that one wheel works on every CPython it claims.

Usage: python tools/pyversions.py STAGE [STAGE ...]
       python tools/pyversions.py --download WHEELHOUSE STAGE [STAGE ...]

Each stage builds one wheel for every CPython it supports: `py3-none` for stages 1 and 2,
`cp311-abi3` for stages 3 and 4. The supported range runs from the floor in the stage's
`requires-python` (3.11) to the newest CPython (3.15, NEWEST_PYTHON in tools/floors.py). For each
stage, the wheel that `make build` left in <stage>/dist is installed into a fresh venv of every
version in that range that this machine has (under pyenv, or on PATH as python3.X), together with
the stage's test dependency group (`[dependency-groups] test` in its pyproject.toml, read by pip's
`--group`), at the versions of requirements-dev.txt; then the stage's test suite runs there. Tests
that need a Rust toolchain are deselected: they build wheels, and what is checked here is the one
wheel already built.

JOBS=2 (`make pyversions JOBS=2`) runs two of these cells at a time: each is one
single-threaded test run, so a machine with two cores finishes in about half the time.

A version this machine lacks is not tested: the run names it and says how to get it, and does
not fail for it (`make docker-test` tests the wheels in containers, with the Python of each Debian
release it uses, 3.14 and 3.15 among them). Any failing cell fails the run.

--download fills WHEELHOUSE with what the cells install (pip, each stage's test group and
runtime dependencies) as binary wheels for this platform and every version in the range, so
that the cells also run with pip kept off the network (`make prefetch`, then OFFLINE=1).
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from floors import NEWEST_PYTHON
from packaging.specifiers import SpecifierSet

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements-dev.txt"
# pip reads [dependency-groups] from 25.1 on; a fresh venv starts with the pip its Python came
# with, so each one first gets the pip of this environment (the locked one).
PIP = f"pip=={importlib.metadata.version('pip')}"


def pyproject(stage: Path) -> dict:
    return tomllib.loads((stage / "pyproject.toml").read_text())


def supported_versions(stage: Path) -> list[str]:
    """Every CPython 3.x up to the newest that the stage's requires-python accepts."""
    claimed = SpecifierSet(pyproject(stage)["project"]["requires-python"])
    return [f"3.{minor}" for minor in range(NEWEST_PYTHON[1] + 1) if f"3.{minor}" in claimed]


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


def test_group(stage: Path) -> list[str]:
    """pip's --group argument for the stage's test dependencies."""
    return ["--group", f"{stage / 'pyproject.toml'}:test"]


def dependencies(stage: Path) -> list[str]:
    """The stage's runtime dependencies, which its wheel's metadata repeats."""
    return pyproject(stage)["project"].get("dependencies", [])


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
            and step(*pip, PIP)
            # The test group and the wheel's dependencies at the versions of the lock, whose
            # hashes pip then checks; the wheel, which the lock cannot name, comes after them.
            and step(*pip, "--constraint", LOCK, *test_group(stage), *dependencies(stage))
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


def test(stages: list[Path]) -> int:
    logs = Path(tempfile.mkdtemp(prefix="pyversions-logs-"))
    rows: dict[tuple[str, str], str] = {}
    missing: dict[str, list[str]] = {}
    cells = []
    for stage in stages:
        wheels = sorted((stage / "dist").glob("*.whl"))
        if len(wheels) != 1:
            print(f"{stage.name}: expected one wheel in dist/ (run make build), found {wheels}")
            return 1
        print(f"==> {stage.name}: {wheels[0].name}")
        for version in supported_versions(stage):
            interpreter = find_interpreter(version)
            if interpreter is None:
                rows[stage.name, version] = f"NOT TESTED: no python{version} on this machine"
                missing.setdefault(version, []).append(stage.name)
                continue
            cells.append((stage, version, wheels[0], interpreter))

    def cell(stage: Path, version: str, wheel: Path, interpreter: Path) -> bool:
        started = time.perf_counter()
        log = logs / f"{stage.name}-py{version}.log"
        ok, summary = run_cell(stage, wheel, interpreter, log)
        result = f"{'pass' if ok else 'FAIL'} ({summary}, {time.perf_counter() - started:.0f} s)"
        rows[stage.name, version] = result
        print(f"  {stage.name:12} {version:5} {result}" + ("" if ok else f"  log: {log}"))
        return ok

    # A cell is one single-threaded test run: JOBS of them side by side use as many cores.
    setting = os.environ.get("JOBS") or "1"
    if not setting.isdigit() or int(setting) < 1:
        print(f"JOBS={setting}: expected a whole number of cells to run at once, 1 or more.")
        return 1
    jobs = int(setting)
    print(f"Testing {len(cells)} stage × Python cells, {jobs} at a time", flush=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        failures = sum(not ok for ok in pool.map(lambda c: cell(*c), cells))

    print("\nstage × Python version")
    for (stage_name, version), result in sorted(rows.items(), key=lambda row: order(*row[0])):
        print(f"  {stage_name:12} {version:5} {result}")
    if missing:
        versions = " ".join(missing)
        print(f"\nNot tested here, no interpreter: Python {', '.join(missing)}.")
        print(f"  To test them on this machine: pyenv install {versions}, then run this again.")
        print("  make docker-test also tests the wheels, in containers with the Python of each")
        print("  Debian release it uses (3.14 and 3.15 among them).")
    print(f"logs: {logs}")
    return 1 if failures else 0


def order(stage_name: str, version: str) -> tuple[str, int]:
    return stage_name, int(version.split(".")[1])


def download(wheelhouse: Path, stages: list[Path]) -> int:
    """Binary wheels of what the cells install, for every supported version, on this platform."""
    requirements = [PIP]
    for stage in stages:
        requirements += test_group(stage) + dependencies(stage)
    versions = sorted(
        {v for s in stages for v in supported_versions(s)}, key=lambda v: int(v.split(".")[1])
    )
    for version in versions:
        print(f"==> test dependencies for Python {version}")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--dest", wheelhouse, "--only-binary=:all:", f"--python-version={version}",
             "--constraint", LOCK, *requirements],
            check=False,
        )  # fmt: skip
        if done.returncode:
            return done.returncode
    return 0


def main(args: list[str]) -> int:
    if args[:1] == ["--download"] and len(args) > 2:
        return download(Path(args[1]).resolve(), [Path(a).resolve() for a in args[2:]])
    if args and not args[0].startswith("-"):
        return test([Path(arg).resolve() for arg in args])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
