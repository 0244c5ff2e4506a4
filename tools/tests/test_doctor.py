"""`make doctor` reports what is there, and names what is missing with a fix."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCTOR = Path(__file__).resolve().parent.parent / "doctor.py"


def run_doctor(path: str, container: bool = False) -> subprocess.CompletedProcess[str]:
    """doctor as it runs on a host, or (`container`) in the workshop's container, wherever the
    test itself runs: the container's image sets WORKSHOP_CONTAINER=1."""
    env = {**os.environ, "PATH": path}
    env.pop("WORKSHOP_CONTAINER", None)
    if container:
        env["WORKSHOP_CONTAINER"] = "1"
    return subprocess.run(
        [sys.executable, str(DOCTOR)], env=env, capture_output=True, text=True, check=False
    )


def path_without(tmp_path: Path, *hidden: str) -> str:
    """A PATH holding every tool doctor looks for, except the hidden ones."""
    tools = ["python3", "cc", "make", "rustc", "cargo", "rustup", "docker"]
    for tool in tools:
        found = sys.executable if tool == "python3" else shutil.which(tool)
        if tool not in hidden and found:
            (tmp_path / tool).symlink_to(found)
    return str(tmp_path)


def test_reports_this_machine_ready() -> None:
    if shutil.which("cargo") is None:
        pytest.skip("this machine has no Rust toolchain: the ready case cannot be shown here")
    result = run_doctor(os.environ["PATH"])
    assert result.returncode == 0, result.stdout
    assert "[ok  ] cargo" in result.stdout
    assert "[ok  ] python3 " in result.stdout
    assert "Ready:" in result.stdout


@pytest.mark.parametrize(
    ("hidden", "fix"),
    [
        (("cargo", "rustc", "rustup"), "install Rust with rustup"),
        (("cc",), "apt-get install build-essential"),
        (("make",), "apt-get install make"),
    ],
)
def test_names_a_missing_tool_and_its_fix(
    tmp_path: Path, hidden: tuple[str, ...], fix: str
) -> None:
    result = run_doctor(path_without(tmp_path, *hidden))
    assert result.returncode == 1
    assert f"[MISS] {hidden[0]}" in result.stdout
    assert f"fix: {fix}" in result.stdout
    missing_line = result.stdout.splitlines()[-1]
    assert missing_line.startswith("Missing:")
    assert hidden[0] in missing_line


def test_missing_docker_only_warns(tmp_path: Path) -> None:
    if shutil.which("cargo") is None:
        pytest.skip("this machine has no Rust toolchain, so doctor fails for another reason")
    result = run_doctor(path_without(tmp_path, "docker"))
    assert "[warn] docker" in result.stdout
    assert "install Docker Engine" in result.stdout
    assert result.returncode == 0


def test_in_the_workshops_container_docker_is_the_hosts(tmp_path: Path) -> None:
    if shutil.which("cargo") is None:
        pytest.skip("this machine has no Rust toolchain, so doctor fails for another reason")
    result = run_doctor(path_without(tmp_path, "docker"), container=True)
    assert "[warn] docker" in result.stdout
    assert "this is the workshop's container" in result.stdout
    assert "run make docker-test on the host" in result.stdout
    assert "install Docker Engine" not in result.stdout
    assert result.returncode == 0


def test_a_python_below_the_floor_is_refused_with_the_fix(tmp_path: Path) -> None:
    """Ubuntu 22.04's python3 is 3.10: doctor must say so, not report the machine ready."""
    sys.path.insert(0, str(DOCTOR.parent))
    from floors import dotted, python_floor

    floor = python_floor()
    below = f"{floor[0]}.{floor[1] - 1}.13"
    path = path_without(tmp_path, "python3")
    old_python = tmp_path / "python3"
    # A stand-in that answers like an old interpreter: `--version`, and the venv probe succeeds.
    old_python.write_text(f'#!/bin/sh\n[ "$1" = --version ] && echo "Python {below}"\nexit 0\n')
    old_python.chmod(0o755)
    result = run_doctor(path)
    assert result.returncode == 1
    assert re.search(rf"^\[MISS\] python3 +Python {re.escape(below)}$", result.stdout, re.M)
    need = dotted(floor)
    assert f"fix: install Python {need} or newer" in result.stdout
    assert f"make PYTHON3=python{need}" in result.stdout
    assert "python3" in result.stdout.splitlines()[-1]


def test_a_machine_without_go_is_ready_and_says_what_is_left_out(tmp_path: Path) -> None:
    """The optional pieces only warn: `make test` passes without them, leaving out, in words,
    what needs them; doctor says what that is."""
    if shutil.which("cargo") is None:
        pytest.skip("this machine has no Rust toolchain, so doctor fails for another reason")
    result = run_doctor(path_without(tmp_path, "go"))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    go = next(index for index, line in enumerate(lines) if line.startswith("[warn] go "))
    assert "left out: the Go rows of the comparison" in lines[go + 1]
    assert "fix: Debian/Ubuntu: `sudo apt-get install golang-go`" in lines[go + 2]
    assert "Ready: `make demo` and `make test` pass on this machine." in result.stdout
