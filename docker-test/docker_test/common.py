"""What every part of docker-test shares: the architectures and Python versions, the settings,
and `command`, through which every step runs a program (and the tests fake it)."""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # docker-test/
REPO = HERE.parent
CACHE = HERE / "cache"


def host_machine() -> str:
    """The host's CPU as `uname -m` spells it on Linux: macOS says arm64, Windows AMD64."""
    machine = platform.machine().lower()
    return {"arm64": "aarch64", "amd64": "x86_64"}.get(machine, machine)


@dataclass(frozen=True)
class Arch:
    name: str  # Docker's and Debian's name
    machine: str  # `uname -m`, and the architecture in wheel tags and Rust target triples
    qemu_cpu: str | None = None  # the CPU that QEMU emulates for it (QEMU_CPU), see run_cell

    @property
    def rust_target(self) -> str:
        return f"{self.machine}-unknown-linux-gnu"

    @property
    def platform(self) -> str:
        return f"linux/{self.name}"

    @property
    def emulated(self) -> bool:
        return self.machine != host_machine()


ARCHES = {
    arch.name: arch
    for arch in (Arch("amd64", "x86_64"), Arch("arm64", "aarch64", qemu_cpu="cortex-a72"))
}


@dataclass(frozen=True)
class Python:
    """A CPython version, and the Debian release that packages it."""

    version: str  # "3.13": `python3.13 --version` must print 3.13.<something>
    suite: str  # the Debian release of the local base image
    # That release's glibc, read from its root filesystem (debian_rootfs checks it): the newest
    # manylinux wheels it can run.
    glibc: str
    official_image: str | None = None  # Docker Hub's image on the same Debian release, if any
    # Debian's testing and unstable Release files expire a week after they are signed; a mirror
    # that lags behind serves expired ones, which apt refuses unless told not to check.
    check_valid_until: bool = True

    @property
    def name(self) -> str:
        return f"py{self.version}"

    @property
    def executable(self) -> str:
        return f"python{self.version}"

    @property
    def package(self) -> str:
        """The Debian package: sid's default python3 is 3.14, but it also packages 3.15."""
        return f"python{self.version}"


PYTHONS = {
    python.version: python
    for python in (
        Python("3.11", "bookworm", "2.36", "python:3.11-slim-bookworm"),
        Python("3.13", "trixie", "2.41", "python:3.13-slim-trixie"),
        Python("3.14", "forky", "2.43", check_valid_until=False),
        Python("3.15", "sid", "2.43", check_valid_until=False),
    )
}


class Stop(SystemExit):
    """Exit 1 with a paragraph saying what is wrong and what to do (no traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(1)
        self.message = message


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def selected(name: str, known: dict, default: str) -> list:
    """The entries of `known` that a comma-separated setting names, e.g. ARCHES=arm64."""
    names = setting(name, default).split(",")
    if unknown := [n for n in names if n not in known]:
        raise Stop(f"{name}: unknown {', '.join(unknown)}; known: {', '.join(known)}.")
    return [known[n] for n in names]


def offline() -> bool:
    """OFFLINE=1, or pip told to use no index (the root Makefile sets both)."""
    return any(os.environ.get(name, "") not in ("", "0") for name in ("OFFLINE", "PIP_NO_INDEX"))


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def may_change_host() -> bool:
    """Only in CI, or when asked: a developer's machine is theirs."""
    return os.environ.get("CI") == "true" or setting("SETUP_HOST", "") == "1"


def paragraph(text: str) -> str:
    return textwrap.fill(text, width=100, break_on_hyphens=False, break_long_words=False)


def heading(title: str) -> None:
    print(f"\n== {title}", flush=True)


def relative(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


# apt-get waits this long for another apt or dpkg (an unattended upgrade, a second setup run
# side by side) to release its lock, instead of failing at once.
APT_LOCK_WAIT = ["-o", "DPkg::Lock::Timeout=600"]


def command(args: list[str], log: Path | None = None, check: bool = True, **kwargs) -> int:
    """Run a command, its output going to `log` (appended) or to the terminal."""
    if args[:1] == ["apt-get"]:
        args = [args[0], *APT_LOCK_WAIT, *args[1:]]
    if log is None:
        print(f"  $ {shlex.join(args)}", flush=True)
        returncode = subprocess.run(args, **kwargs).returncode
    else:
        with log.open("a") as out:
            out.write(f"$ {shlex.join(args)}\n")
            out.flush()
            returncode = subprocess.run(
                args, stdout=out, stderr=subprocess.STDOUT, **kwargs
            ).returncode
    if check and returncode != 0:
        where = f", see {relative(log)}" if log else ""
        raise Stop(f"Failed ({returncode}): {shlex.join(args)}{where}")
    return returncode
