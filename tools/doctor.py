"""Check this machine for what the stages need, and say how to fix what is missing.

Usage: python3 tools/doctor.py    (or `make doctor`)

Standard library only: it has to run before .venv exists, under whatever python3 the machine
has (an old one included: it says so). The floors come from the build files (tools/floors.py).
Exits 1 when something required is missing. "Ready" means that `make demo` and `make test` pass;
the optional pieces (tools/optional.py: Go, the aarch64 target, Docker, arm64 emulation) only
warn, each saying what is left out without it.

PYTHON3 names the interpreter that `make` creates .venv with (default: python3), as in the
Makefile: `make PYTHON3=python3.12 doctor`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from floors import dotted, python_floor, rust_floor
from optional import AARCH64, arm64_emulation_missing, go_missing, rust_target_missing

ROOT = Path(__file__).resolve().parent.parent
MIN_RUST = rust_floor()
MIN_PYTHON = python_floor()
MIN_FREE_GIB = 5  # cargo targets of all stages, the venv, docker-test images


@dataclass
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True
    leaves_out: str = ""  # what the repository does without it (optional pieces)


def run(*command: str) -> str | None:
    """Output of a command, or None when it is missing or fails."""
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout + done.stderr if done.returncode == 0 else None


def version_of(text: str | None) -> tuple[int, ...] | None:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text or "")
    return tuple(int(part) for part in match.groups() if part) if match else None


def check_rust() -> list[Finding]:
    rustup_fix = "install Rust with rustup (https://rustup.rs), then `source ~/.cargo/env`"
    findings = []
    for tool in ("rustc", "cargo"):
        output = run(tool, "--version")
        version = version_of(output)
        if version is None:
            findings.append(Finding(tool, False, "not found on PATH", rustup_fix))
        elif version[:2] < MIN_RUST:
            need = dotted(MIN_RUST)
            findings.append(
                Finding(tool, False, output.strip(), f"`rustup update` (the stages need {need})")
            )
        else:
            findings.append(Finding(tool, True, output.strip()))
    missing = rust_target_missing(AARCH64)
    findings.append(
        Finding(
            "aarch64 target",
            missing is None,
            "installed" if missing is None else "not installed",
            f"rustup target add {AARCH64} (or `make SETUP_HOST=1 docker-test`)"
            if shutil.which("rustup")
            else f"Rust from rustup (https://rustup.rs), then `rustup target add {AARCH64}`",
            required=False,
            leaves_out="cross-built aarch64 wheels (notebook 05, stage 3's test, docker-test)",
        )
    )
    return findings


def check_python() -> list[Finding]:
    name = os.environ.get("PYTHON3") or "python3"
    python = shutil.which(name)
    if python is None:
        return [Finding(name, False, "not found on PATH", "apt-get install python3")]
    output = run(python, "--version")
    version = version_of(output)
    need = dotted(MIN_PYTHON)
    findings = [
        Finding(
            name,
            version is not None and version[:2] >= MIN_PYTHON,
            (output or "").strip() or "does not run",
            f"install Python {need} or newer and name it: `make PYTHON3=python{need} …` "
            f"(Ubuntu 22.04: `sudo apt-get install python{need} python{need}-venv`)",
        )
    ]
    has_venv = run(python, "-c", "import ensurepip, venv") is not None
    findings.append(
        Finding(
            f"{name} venv",
            has_venv,
            "venv and ensurepip available" if has_venv else "venv or ensurepip missing",
            f"apt-get install {Path(python).name}-venv",
        )
    )
    return findings


def check_build_tools() -> list[Finding]:
    findings = []
    for tool, fix in (("cc", "apt-get install build-essential"), ("make", "apt-get install make")):
        path = shutil.which(tool)
        findings.append(Finding(tool, path is not None, path or "not found on PATH", fix))
    return findings


def check_disk() -> Finding:
    free_gib = shutil.disk_usage(ROOT).free / 2**30
    return Finding(
        "disk space",
        free_gib >= MIN_FREE_GIB,
        f"{free_gib:.0f} GiB free in {ROOT}",
        f"free at least {MIN_FREE_GIB} GiB (`make clean` removes build outputs)",
    )


def check_docker() -> list[Finding]:
    found = shutil.which("docker") is not None
    # In the workshop's container (.devcontainer/Dockerfile sets WORKSHOP_CONTAINER) there is no
    # docker: docker-test is the host's to run.
    if not found and os.environ.get("WORKSHOP_CONTAINER") == "1":
        return [
            Finding(
                "docker",
                False,
                "this is the workshop's container",
                "run make docker-test on the host, with its Docker",
                required=False,
                leaves_out="make docker-test here (it starts containers of its own)",
            )
        ]
    # docker-test's chroot runner stands in for Docker, but it mounts and chroots: root only.
    if os.geteuid() == 0:
        leaves_out = "nothing: make docker-test runs its cells in a chroot instead (as root)"
    else:
        leaves_out = "make docker-test (the chroot that would stand in for Docker needs root)"
    if not found:
        return [
            Finding(
                "docker",
                False,
                "not found",
                "install Docker Engine (apt-get install docker.io)",
                required=False,
                leaves_out=leaves_out,
            )
        ]
    server = run("docker", "info", "--format", "{{.ServerVersion}}")
    return [
        Finding(
            "docker",
            server is not None,
            f"engine {server.strip()}" if server else "client found, engine not reachable",
            "start the engine (systemctl start docker) or add yourself to the docker group",
            required=False,
            leaves_out=leaves_out,
        )
    ]


def check_emulation() -> Finding:
    missing = arm64_emulation_missing()
    if os.uname().machine == "aarch64":
        detail = "native aarch64"
    else:
        detail = "not set up" if missing else "qemu-aarch64 registered"
    return Finding(
        "arm64 emulation",
        missing is None,
        detail,
        "apt-get install qemu-user-static binfmt-support (or: make SETUP_HOST=1 docker-test)",
        required=False,
        leaves_out="the arm64 column of make docker-test",
    )


def check_go() -> Finding:
    """Go builds bench/go, the Go row of the comparison (make bench, notebook 05)."""
    output = run("go", "version") if go_missing() is None else None
    return Finding(
        "go",
        output is not None,
        output.strip() if output else "not found on PATH",
        "Debian/Ubuntu: `sudo apt-get install golang-go`; elsewhere https://go.dev/dl",
        required=False,
        leaves_out="the Go rows of the comparison (make bench, notebook 05)",
    )


def main() -> int:
    findings = [
        *check_rust(),
        *check_python(),
        *check_build_tools(),
        check_disk(),
        *check_docker(),
        check_emulation(),
        check_go(),
    ]
    width = max(len(finding.name) for finding in findings)
    for finding in findings:
        mark = "ok  " if finding.ok else ("MISS" if finding.required else "warn")
        print(f"[{mark}] {finding.name:<{width}}  {finding.detail}")
        if not finding.ok:
            if finding.leaves_out:
                print(f"       {'':<{width}}  left out: {finding.leaves_out}")
            print(f"       {'':<{width}}  fix: {finding.fix}")
    missing = [finding.name for finding in findings if finding.required and not finding.ok]
    if missing:
        print(f"\nMissing: {', '.join(missing)}. Fix them, then run `make doctor` again.")
        return 1
    print("\nReady: `make demo` and `make test` pass on this machine.")
    if any(not finding.ok for finding in findings):
        print("They leave out, saying so, what each warn line above names.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
