"""The wheels: each stage's, cross-built on the host, and the test tools' in a wheelhouse per
architecture and Python version, downloaded for the cells, which have no network."""

from __future__ import annotations

import email
import os
import sys
import time
import tomllib
import zipfile
from pathlib import Path

from .common import CACHE, REPO, Arch, Python, Stop, command, offline, relative

# The test tools every cell installs; a stage adds its own in pyproject.toml's
# [dependency-groups] test, which pip reads itself (--group). Versions come from
# requirements-dev.txt. No `jupyter`: nbval and ipykernel are all a notebook check needs, and
# every extra import costs seconds under QEMU; matplotlib draws the plots of notebooks 02 to 04.
TEST_TOOLS = ["pytest", "hypothesis", "nbval", "ipykernel", "matplotlib"]
# pip 25.1 is the first to install dependency groups (--group); the cells install it first.
PIP = "pip>=25.1"


def build_log(logs: Path, arch: Arch, stage: Path) -> Path:
    return logs / f"build-{arch.name}-{stage.name}.log"


def build_wheel(arch: Arch, stage: Path, logs: Path) -> Path | None:
    """Cross-build the stage's wheel with its own `make wheel TARGET=...`; None if that fails."""
    dist = logs / "wheels" / arch.name / stage.name
    make = ["make", "--no-print-directory", "-C", str(stage), "wheel"]
    make += [f"DIST={dist}", f"TARGET={arch.rust_target}", f"PYTHON={sys.executable}"]
    # One cargo target folder for every stage and architecture, as in the root Makefile.
    env = {
        **os.environ,
        "CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR", str(REPO / "target")),
    }
    started = time.monotonic()
    log = build_log(logs, arch, stage)
    built = command(make, log=log, env=env, check=False) == 0
    wheels = sorted(dist.glob("*.whl"))
    name = f"{arch.name}-{stage.name}"
    if not built or len(wheels) != 1:
        print(f"  {name}: FAILED, see {relative(log)}")
        return None
    print(f"  {name}: {wheels[0].name} ({time.monotonic() - started:.0f} s)")
    return wheels[0]


def runtime_requirements(stage: Path) -> list[str]:
    """The stage's runtime dependencies, from pyproject.toml: its wheel's Requires-Dist."""
    project = tomllib.loads((stage / "pyproject.toml").read_text())["project"]
    return list(project.get("dependencies", []))


def wheel_requirements(wheel: Path) -> list[str]:
    """The wheel's runtime dependencies (Requires-Dist), which pip must find in the wheelhouse."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(name))
    return [r for r in metadata.get_all("Requires-Dist", []) if "extra ==" not in r]


def test_group(stage: Path) -> str:
    """pip's name for the stage's [dependency-groups] test: `pip install --group <this>`."""
    return f"{stage / 'pyproject.toml'}:test"


def wheelhouse(arch: Arch, python: Python) -> Path:
    return CACHE / "wheelhouse" / f"{arch.name}-{python.name}"


def pins_for(version: str) -> list[str]:
    """requirements-dev.txt's pins that apply to CPython `version`, markers resolved.

    The lock is universal: a package may be pinned twice, e.g. numpy 2.4 for Python below 3.12
    and 2.5 from 3.12 on. pip evaluates a constraint's marker for the Python running pip, not for
    `--python-version`, so the cells' Python picks its own pins here.
    """
    from packaging.markers import Marker

    environment = {"python_version": version, "python_full_version": f"{version}.0"}
    pins = []
    for line in (REPO / "requirements-dev.txt").read_text().splitlines():
        if not line or line[0] in " #-":
            continue
        pin, _, marker = line.removesuffix("\\").strip().partition(";")
        if not marker.strip() or Marker(marker.strip()).evaluate(environment):
            pins.append(pin.strip())
    return pins


def fill_wheelhouse(
    arch: Arch, python: Python, stages: list[Path], wheels: list[Path], logs: Path
) -> None:
    """Download, for one architecture and Python, every wheel the cells install but the stages'.

    The containers run without network and compile nothing: whatever is not in the wheelhouse
    cannot be installed there. The wheelhouse is cached, so an offline run works once filled.
    Compiled test tools differ per Python version (cffi-2.1.1-cp315-cp315-...), hence one
    wheelhouse for each; the versions are the same, pinned by requirements-dev.txt.
    """
    requirements = {PIP, *TEST_TOOLS}
    requirements.update(r for stage in stages for r in runtime_requirements(stage))
    requirements.update(r for wheel in wheels for r in wheel_requirements(wheel))
    folder = wheelhouse(arch, python)
    # Manylinux wheels built for any glibc up to the Debian release's (2.36 for bookworm) run there.
    newest = int(python.glibc.split(".")[1])
    platforms = [f"manylinux_2_{minor}_{arch.machine}" for minor in range(newest, 16, -1)]
    pip = [sys.executable, "-m", "pip", "download", "--dest", str(folder), "--only-binary=:all:"]
    pip += [f"--platform={p}" for p in [*platforms, f"manylinux2014_{arch.machine}"]]
    pip += [f"--python-version={python.version}", "--implementation=cp"]
    constraints = logs / f"constraints-{python.name}.txt"
    constraints.write_text("".join(f"{pin}\n" for pin in pins_for(python.version)))
    pip += ["--constraint", str(constraints), "--disable-pip-version-check"]
    pip += [f"--group={test_group(stage)}" for stage in stages]
    pip += sorted(requirements)
    log = logs / f"wheelhouse-{arch.name}-{python.name}.log"
    # Offline first: a wheelhouse that already holds everything needs no index.
    if command([*pip, "--no-index", "--find-links", str(folder)], log=log, check=False) != 0:
        if offline():
            raise Stop(
                f"OFFLINE is set and {relative(folder)} lacks wheels the cells need (see "
                f"{relative(log)}): run `make prefetch` while online first."
            )
        command(pip, log=log)
    count = len(list(folder.glob("*.whl")))
    print(f"  {arch.name}, Python {python.version}: {count} wheels in {relative(folder)}")
