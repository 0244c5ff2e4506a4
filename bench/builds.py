"""Builds what the comparison measures into a folder of its own (bench/build/, or $COMPARE_BUILD).

Nothing here reads a stage's ``dist/`` or cleans a shared build folder: each wheel is built
again by the stage's own ``make wheel`` into ``bench/build/wheels/<stage>/`` (cargo's shared
target folder makes that quick after ``make build``), the uniffi wheel by maturin, the Go
library by ``go build``. The uniffi wheel is unpacked into ``bench/build/site/`` and imported
from there, so the comparison never installs anything into the environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = Path(os.environ.get("COMPARE_BUILD", HERE / "build"))
UNIFFI = HERE / "uniffi"
GO = HERE / "go"
STAGES = {
    "ctypes (stage 1)": REPO / "stages" / "v1-ctypes",
    "cffi (stage 2)": REPO / "stages" / "v2-cffi",
    "pyo3 (stage 3)": REPO / "stages" / "v3-pyo3",
}

sys.path.insert(0, str(GO))
import build as go_build  # noqa: E402  (bench/go/build.py)
from optional import AARCH64, rust_target_missing  # noqa: E402  (tools/optional.py)


def _env() -> dict[str, str]:
    # The tools of the environment running this (maturin, uniffi-bindgen, ziglang) come first.
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR", str(REPO / "target")),
    }


def _fresh(folder: Path) -> Path:
    """An empty folder inside BUILD (only ever one of ours)."""
    assert folder.is_relative_to(BUILD), folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _one_wheel(folder: Path) -> Path:
    wheels = sorted(folder.glob("*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one wheel in {folder}, found {[w.name for w in wheels]}")
    return wheels[0]


def stage_wheel(approach: str, target: str | None = None) -> Path:
    """The stage's wheel, built by its own ``make wheel`` into a folder of ours."""
    stage = STAGES[approach]
    dist = _fresh(BUILD / ("wheels-" + (target or "host")) / stage.name)
    make = ["make", "--no-print-directory", "-C", str(stage), "wheel"]
    make += [f"DIST={dist}", f"PYTHON={sys.executable}"] + ([f"TARGET={target}"] if target else [])
    subprocess.run(make, env=_env(), check=True, capture_output=True)
    return _one_wheel(dist)


def uniffi_wheel(target: str | None = None) -> Path:
    """bench/uniffi's wheel, built by maturin (bindings = "uniffi")."""
    dist = _fresh(BUILD / ("wheels-" + (target or "host")) / "uniffi")
    command = [sys.executable, "-m", "maturin", "build", "--release", "--quiet", "--out", str(dist)]
    if target:
        command += ["--target", target, "--zig"]
    subprocess.run(command, cwd=UNIFFI, env=_env(), check=True, capture_output=True)
    return _one_wheel(dist)


def unpack(wheel: Path) -> Path:
    """Unzips a wheel into BUILD/site/<name>/ and returns that folder, for sys.path."""
    site = _fresh(BUILD / "site" / wheel.name.split("-")[0])
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    for library in site.rglob("*.so"):
        library.chmod(0o755)
    return site


def go_library(target: str | None = None) -> Path:
    """bench/go's libhello_go.so (RuntimeError saying why when Go is missing)."""
    return go_build.build(_fresh(BUILD / ("go-" + (target or "host"))), target)


def go_missing() -> str | None:
    return go_build.missing()


def aarch64_missing() -> str | None:
    """Why the Rust rows cannot be cross-built for aarch64 here, or None when they can."""
    return rust_target_missing(AARCH64)
