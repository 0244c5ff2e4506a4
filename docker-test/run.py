#!/usr/bin/env python3
"""Cross-build each stage's wheel for amd64 and arm64, then test it on each (the architecture
that is not the host's under QEMU) with each Python version, from Debian's own python3.X:
3.11 (bookworm), 3.13 (trixie), 3.14 (forky) and 3.15 (sid).

    make docker-test                 every stage (the root Makefile calls this script)
    make stage-1 docker-test         one stage
    .venv/bin/python docker-test/run.py stages/v1-ctypes
    .venv/bin/python docker-test/run.py --prefetch    download what the cells need, run nothing

Settings, as environment variables:

    ARCHES=amd64,arm64      architectures to build and test
    PYTHONS=3.11,3.13,3.14,3.15
                            Python versions to test with, each on its Debian release
    EMULATED_PYTHONS=...    the Python versions the emulated architecture is tested with
                            (default: all of PYTHONS); CI uses 3.15 to keep within its time
    RUNNER=auto             docker, chroot (no Docker engine; needs root), or auto: docker if
                            an engine answers, chroot otherwise
    BASE_IMAGE=auto         official (python:<version>-slim-<release> from Docker Hub, only for
                            3.11 and 3.13), local (Debian root filesystems built here with
                            mmdebstrap), or auto: official if they can all be pulled, local
                            otherwise
    SETUP_HOST=1            allow docker-test to change the host: apt-get install, mounting
                            binfmt_misc, update-binfmts (as root), rustup target add. CI=true
                            allows it too. Otherwise it prints the commands to run and exits 1.
    OFFLINE=1               no network: everything must be in the caches (see --prefetch)
    DEBIAN_MIRROR=...       where mmdebstrap downloads Debian packages
    LOGS=docker-test/logs/<time>   where every step and cell writes its log

Steps: check the host, cross-build the wheels on the host (once per architecture: the same wheel
serves every Python version), download the test tools' wheels for each architecture and Python
version, prepare one base image (or root filesystem) for each, then run one cell per
architecture, Python version and stage: install the wheel offline, run the stage's tests and
notebook. Exits 1 if any cell fails, or if the host lacks something (with a message saying what
to do). --prefetch does the downloads only (wheelhouses, Rust targets, base images), so that a
later run needs no network. Python 3.11 or newer, standard library only.
"""

from __future__ import annotations

import argparse
import email
import gzip
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / "cache"
BINFMT = Path("/proc/sys/fs/binfmt_misc")

# The test tools every cell installs; a stage adds its own in pyproject.toml's
# [dependency-groups] test, which pip reads itself (--group). Versions come from
# requirements-dev.txt. No `jupyter`: nbval and ipykernel are all a notebook check needs, and
# every extra import costs seconds under QEMU; matplotlib draws the plots of notebooks 02 to 04.
TEST_TOOLS = ["pytest", "hypothesis", "nbval", "ipykernel", "matplotlib"]
# pip 25.1 is the first to install dependency groups (--group); the cells install it first.
PIP = "pip>=25.1"
# What the local base image holds besides Python: the C++ runtime that manylinux wheels may
# assume (pyzmq, which ipykernel uses, needs it). dash and coreutils give it a usable shell.
DEBIAN_PACKAGES = ["libstdc++6", "dash", "coreutils"]
# Comes with mmdebstrap: makes /bin, /lib and /sbin symlinks into /usr (see debian_rootfs).
MERGED_USR_HOOK = "/usr/share/mmdebstrap/hooks/merged-usr"


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


@dataclass
class Cell:
    """One architecture × Python version × stage: its wheel, its logs, its result."""

    arch: Arch
    python: Python
    stage: Path
    logs: Path  # the run's log folder
    wheel: Path | None = None  # built once per architecture and stage, for every Python version
    result: dict | None = None
    seconds: float | None = None  # the whole cell, container start included

    @property
    def name(self) -> str:
        return f"{self.arch.name}-{self.python.name}-{self.stage.name}"

    @property
    def build_log(self) -> Path:
        return build_log(self.logs, self.arch, self.stage)

    @property
    def log(self) -> Path:
        return self.logs / f"{self.name}.log"

    @property
    def passed(self) -> bool:
        r = self.result or {}
        # The machine and version checks prove the cell really ran on its architecture and Python.
        on_arch = r.get("machine") == self.arch.machine
        on_python = r.get("python", "").startswith(f"{self.python.version}.")
        tests_passed = r.get("tests_passed") and r.get("notebook_passed", True)
        return on_arch and on_python and bool(tests_passed)


@dataclass
class HostChange:
    """A change to the host that docker-test makes only when allowed (see prepare_host)."""

    why: str
    command: list[str]
    root: bool = True  # apt-get, mount and update-binfmts need root; rustup does not


class Stop(SystemExit):
    """Exit 1 with a paragraph saying what is wrong and what to do (no traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(1)
        self.message = message


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except Stop as stop:
        print("\n" + paragraph("docker-test: " + stop.message), file=sys.stderr)
        return 1


def run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefetch", action="store_true", help="download only, run no cell")
    parser.add_argument("stages", nargs="*", help="stage folders (default: every stage)")
    args = parser.parse_args(argv)
    times = Times()
    stages = [Path(s).resolve() for s in args.stages] or sorted(
        path.parent for path in (REPO / "stages").glob("v*/Makefile")
    )
    arches = selected("ARCHES", ARCHES, "amd64,arm64")
    pythons = selected("PYTHONS", PYTHONS, ",".join(PYTHONS))
    emulated_pythons = selected("EMULATED_PYTHONS", PYTHONS, ",".join(p.version for p in pythons))
    pairs = matrix_pairs(arches, pythons, emulated_pythons)
    what = "prefetch for" if args.prefetch else "docker-test:"
    print(f"{what} {', '.join(s.name for s in stages)} on ", end="")
    print("; ".join(f"{a.name} with Python {pythons_of(a, pairs)}" for a in arches), end="")
    print(" (offline)" if offline() else "")
    runner = choose_runner(prefetch=args.prefetch)
    base = choose_base(runner, arches, pythons)
    logs = Path(setting("LOGS", str(HERE / "logs" / datetime.now().strftime("%Y%m%d-%H%M%S"))))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"Logs: {relative(logs)}")

    heading("Host")
    prepare_host([] if args.prefetch else arches, arches, base, prefetch=args.prefetch)
    times.lap("host")

    if args.prefetch:
        heading("Test tools and runtime dependencies, as wheels for each architecture and Python")
        for arch, python in pairs:
            fill_wheelhouse(arch, python, stages, [], logs)
        times.lap("wheelhouses")
        heading("Debian root filesystems" + (" and base images" if runner == "docker" else ""))
        for arch, python in pairs:
            if runner == "chroot":
                rootfs = debian_rootfs(arch, python, logs)
                print(f"  {arch.name}, Python {python.version}: {relative(rootfs)}")
            else:
                prepare_base(runner, base, arch, python, logs)
        times.lap("bases")
        print(f"\nPrefetched in {times.total() / 60:.1f} min: `make docker-test` needs no network.")
        return 0

    heading("Wheels, cross-built on the host")
    # One wheel per architecture and stage: its tags (py3-none, cp311-abi3) accept any Python
    # 3.11+, so every Python version's cells test the very same file.
    wheels = {(arch, stage): build_wheel(arch, stage, logs) for arch in arches for stage in stages}
    cells = [
        Cell(arch, python, stage, logs, wheel=wheels[arch, stage])
        for arch, python in pairs
        for stage in stages
    ]
    times.lap("wheels")

    heading("Test tools and runtime dependencies, as wheels for each architecture and Python")
    for arch, python in pairs:
        built = [wheels[arch, stage] for stage in stages if wheels[arch, stage]]
        fill_wheelhouse(arch, python, stages, built, logs)
    times.lap("wheelhouses")

    heading(f"Base {'images' if runner == 'docker' else 'root filesystems'}")
    bases = {pair: prepare_base(runner, base, *pair, logs) for pair in pairs}
    times.lap("bases")

    heading("Matrix")
    table = Table()
    for cell in cells:
        if cell.wheel:
            cell_started = time.monotonic()
            run_cell(cell, runner, bases[cell.arch, cell.python])
            cell.seconds = time.monotonic() - cell_started
        table.row(cell)
    times.lap("cells")

    heading("Summary")
    summary = table.summary(cells, arches, pythons, stages)
    summary += f"\nRunner: {runner_label(runner, base, pythons)}\n"
    summary += times.text(cells, arches)
    summary += f"Wall time: {times.total() / 60:.1f} min. Logs: {relative(logs)}\n"
    print(summary, end="")
    (logs / "matrix.txt").write_text(table.text + "\n" + summary)
    return 0 if all(cell.passed for cell in cells) else 1


# --- choices -----------------------------------------------------------------------------------


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def selected(name: str, known: dict, default: str) -> list:
    """The entries of `known` that a comma-separated setting names, e.g. ARCHES=arm64."""
    names = setting(name, default).split(",")
    if unknown := [n for n in names if n not in known]:
        raise Stop(f"{name}: unknown {', '.join(unknown)}; known: {', '.join(known)}.")
    return [known[n] for n in names]


def matrix_pairs(
    arches: list[Arch], pythons: list[Python], emulated_pythons: list[Python]
) -> list[tuple[Arch, Python]]:
    """The (architecture, Python) pairs to test: every Python natively, the chosen ones emulated."""
    return [
        (arch, python)
        for arch in arches
        for python in pythons
        if not arch.emulated or python in emulated_pythons
    ]


def pythons_of(arch: Arch, pairs: list[tuple[Arch, Python]]) -> str:
    return ", ".join(python.version for a, python in pairs if a == arch) or "none"


def offline() -> bool:
    """OFFLINE=1, or pip told to use no index (the root Makefile sets both)."""
    return any(os.environ.get(name, "") not in ("", "0") for name in ("OFFLINE", "PIP_NO_INDEX"))


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def may_change_host() -> bool:
    """Only in CI, or when asked: a developer's machine is theirs."""
    return os.environ.get("CI") == "true" or setting("SETUP_HOST", "") == "1"


def choose_runner(prefetch: bool = False) -> str:
    runner = setting("RUNNER", "auto")
    if runner not in ("auto", "docker", "chroot"):
        raise Stop(f"RUNNER={runner}: expected auto, docker or chroot.")
    answers, why = docker_engine()
    if runner == "docker" and not answers:
        raise Stop(f"RUNNER=docker, but {why}. Start the Docker engine, or use RUNNER=chroot.")
    if runner == "auto":
        runner = "docker" if answers else "chroot"
        if runner == "chroot":
            print(f"No Docker engine ({why}): the cells run in a chroot of a Debian filesystem.")
    # --prefetch only builds the root filesystems' tarballs, which needs no root.
    if runner == "chroot" and not prefetch:
        if platform.system() != "Linux":
            raise Stop(
                f"{why}, and the chroot runner that replaces it needs a Linux host. Start Docker "
                "Desktop (it emulates the other architecture itself), then run again."
            )
        if not is_root():
            raise Stop(
                f"{why}, and the chroot runner that replaces it needs root (mount, chroot). "
                "Either start Docker and make it answer you (`sudo systemctl start docker`; "
                "`sudo usermod -aG docker $USER`, then log in again), or run as root: "
                "`sudo make docker-test`."
            )
    return runner


def docker_engine() -> tuple[bool, str]:
    """Whether a Docker engine answers, and if not, why not."""
    if not shutil.which("docker"):
        return False, "docker is not installed"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True)
    if info.returncode != 0:
        lines = (info.stderr or info.stdout).strip().splitlines()
        return False, f"`docker info` failed ({lines[-1] if lines else info.returncode})"
    return True, ""


def choose_base(runner: str, arches: list[Arch], pythons: list[Python]) -> str:
    """official or local; a chroot can only use the local root filesystems."""
    base = setting("BASE_IMAGE", "auto")
    if base not in ("auto", "official", "local"):
        raise Stop(f"BASE_IMAGE={base}: expected auto, official or local.")
    if runner == "chroot":
        return "local"
    if base in ("auto", "official"):
        # Docker Hub's images are on Debian releases, not testing or unstable: no 3.14 or 3.15
        # on forky or sid. Pulling is the registry check: quick when it fails, cached otherwise.
        pulled = all(python.official_image for python in pythons) and all(
            official_image(arch, python) for arch in arches for python in pythons
        )
        if base == "official" and not pulled:
            images = ", ".join(str(python.official_image) for python in pythons)
            raise Stop(f"Cannot pull {images} for every architecture: use BASE_IMAGE=local.")
        base = "official" if pulled else "local"
    return base


def runner_label(runner: str, base: str, pythons: list[Python]) -> str:
    suites = ", ".join(f"{python.suite} for {python.version}" for python in pythons)
    if runner == "chroot":
        return f"chroot of Debian root filesystems made by mmdebstrap ({suites}; no Docker)"
    if base == "official":
        return f"docker, base images {', '.join(str(p.official_image) for p in pythons)}"
    return f"docker, base images built here from Debian root filesystems (mmdebstrap; {suites})"


# --- host --------------------------------------------------------------------------------------


def prepare_host(
    emulated_for: list[Arch], arches: list[Arch], base: str, prefetch: bool = False
) -> None:
    """Check the host; make the changes it needs if allowed, or say which and stop.

    emulated_for: the architectures whose programs must run here (none when prefetching);
    arches: those to build wheels for (their Rust targets). --prefetch asks for downloads, so it
    adds the Rust targets itself (into ~/.rustup, as the user); nothing else is changed unasked.
    """
    changes: list[HostChange] = []
    if not shutil.which("rustup"):
        raise Stop(
            "rustup is missing: the cross builds need it to add Rust targets. "
            "Install Rust with rustup (https://rustup.rs), then run again."
        )
    missing_targets = [a.rust_target for a in arches if a.rust_target not in rust_targets()]
    if missing_targets and offline():
        raise Stop(
            f"OFFLINE is set and the Rust targets {', '.join(missing_targets)} are not installed: "
            "run `make prefetch` while online first."
        )
    for target in missing_targets:
        add = ["rustup", "target", "add", target]
        if prefetch:
            command(add)
        else:
            changes.append(HostChange(f"the Rust standard library for {target}", add, False))
    # Zig links the cross builds: maturin --zig and cargo-zigbuild both come from pip.
    scripts = Path(sys.executable).parent
    if not (scripts / "cargo-zigbuild").exists() or not (scripts / "python-zig").exists():
        raise Stop("cargo-zigbuild or ziglang is missing from the tool environment: `make venv`.")
    if pip_version() < (25, 1):
        raise Stop(
            f"{sys.executable} has pip {'.'.join(map(str, pip_version()))}; docker-test needs "
            f"pip 25.1 or newer (dependency groups): `{sys.executable} -m pip install -U pip`."
        )

    packages = []  # Debian packages that provide what is missing
    if base == "local" and not shutil.which("mmdebstrap"):
        packages.append("mmdebstrap")
    emulated = [arch for arch in emulated_for if arch.emulated]
    # Docker Desktop (macOS, Windows) runs Linux in a VM that emulates other CPUs itself.
    if emulated and platform.system() == "Linux":
        entries = [BINFMT / f"qemu-{arch.machine}" for arch in emulated]
        if not all(binfmt_enabled(entry) for entry in entries):
            packages += ["qemu-user-static", "binfmt-support"]
            changes += binfmt_changes(emulated)
    if packages:
        if not (shutil.which("apt-get") and shutil.which("dpkg-query")):
            raise Stop(not_debian_message(packages))
        to_install = [p for p in packages if not debian_package_installed(p)]
        if to_install:
            apt = ["apt-get", "install", "--yes", "--no-install-recommends", *to_install]
            install = [
                HostChange("apt's package lists", ["apt-get", "update"]),
                HostChange(", ".join(to_install), apt),
            ]
            changes = install + changes
    apply_host_changes(changes)

    for arch in emulated:
        entry = BINFMT / f"qemu-{arch.machine}"
        if platform.system() == "Linux" and "F" not in binfmt_flags(entry):
            raise Stop(
                f"{entry} lacks the F flag, so containers cannot use it: register QEMU with "
                "binfmt_misc with the F (fix binary) flag, as Debian's qemu-user-static does."
            )
    for arch in arches:
        if not arch.emulated:
            print(f"  {arch.name}: native")
        elif arch in emulated_for:
            cpu = f", CPU {arch.qemu_cpu}" if arch.qemu_cpu else ""
            print(f"  {arch.name}: emulated by QEMU (binfmt_misc){cpu}")


def binfmt_changes(emulated: list[Arch]) -> list[HostChange]:
    changes = []
    if not (BINFMT / "status").exists():
        mount = ["mount", "-t", "binfmt_misc", "binfmt_misc", str(BINFMT)]
        changes.append(HostChange("the binfmt_misc file system", mount))
    for arch in emulated:
        if not binfmt_enabled(BINFMT / f"qemu-{arch.machine}"):
            enable = ["update-binfmts", "--enable", f"qemu-{arch.machine}"]
            changes.append(HostChange(f"QEMU for {arch.name} programs", enable))
    return changes


def apply_host_changes(changes: list[HostChange]) -> None:
    """Make the changes if CI=true or SETUP_HOST=1 (and root where needed); else say them."""
    if not changes:
        return
    root_needed = any(change.root for change in changes) and not is_root()
    if may_change_host() and not root_needed:
        for change in changes:
            print(f"  Setting up {change.why}")
            command(change.command)
        return
    sudo = ["sudo"] if not is_root() else []
    lines = [shlex.join([*(sudo if c.root else []), *c.command]) for c in changes]
    why = "; ".join(change.why for change in changes)
    if may_change_host():
        reason = "Some of them need root, which docker-test is not running as. Run them yourself:"
    else:
        reason = (
            "docker-test changes a machine only in CI (CI=true) or when asked (SETUP_HOST=1, "
            "as root). Run them yourself, or run `SETUP_HOST=1 make docker-test` as root:"
        )
    print(paragraph(f"docker-test needs these changes to this machine ({why}). {reason}"))
    print("\n".join(f"    {line}" for line in lines), flush=True)
    raise SystemExit(1)


def not_debian_message(packages: list[str]) -> str:
    needs = []
    if "mmdebstrap" in packages:
        needs.append("mmdebstrap (it builds the Debian root filesystems of the base images)")
    if "qemu-user-static" in packages:
        needs.append(
            "QEMU's user-mode emulators registered with binfmt_misc with the F flag, so that "
            "containers can run the other architecture's programs"
        )
    return (
        "This host is not Debian-based (no apt-get or dpkg-query), so docker-test cannot install "
        f"what it lacks: {'; and '.join(needs)}. Install them with your system's package manager "
        "(Fedora: `sudo dnf install mmdebstrap qemu-user-static`; Arch: `sudo pacman -S "
        "mmdebstrap qemu-user-static qemu-user-static-binfmt`), or, on macOS, use Docker Desktop "
        "(it emulates the other architecture itself) with ARCHES set to the architectures you "
        "can test. Then run again."
    )


def rust_targets() -> list[str]:
    installed = ["rustup", "target", "list", "--installed"]
    return subprocess.run(installed, capture_output=True, text=True).stdout.split()


def pip_version() -> tuple[int, ...]:
    import importlib.metadata

    version = importlib.metadata.version("pip").split(".")
    return tuple(int(part) for part in version[:2] if part.isdigit())


def debian_package_installed(package: str) -> bool:
    query = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return query.stdout.endswith(" installed")


def binfmt_enabled(entry: Path) -> bool:
    """Whether the kernel runs this architecture's programs with QEMU.

    The F (fix binary) flag makes the kernel open the emulator once, at registration, so that it
    also works inside containers and chroots, whose file systems do not contain it.
    """
    return entry.exists() and entry.read_text().startswith("enabled")


def binfmt_flags(entry: Path) -> str:
    lines = entry.read_text().splitlines() if entry.exists() else []
    return next((line.split(":")[1] for line in lines if line.startswith("flags:")), "")


# --- wheels ------------------------------------------------------------------------------------


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


# --- base images and root filesystems ----------------------------------------------------------


def official_tag(arch: Arch, python: Python) -> str:
    return f"rust-python-stages/{python.official_image}-{arch.name}"


def official_image(arch: Arch, python: Python) -> str | None:
    """Pull the official image for one platform and tag it per architecture; None if offline."""
    tag = official_tag(arch, python)
    if not image_exists(tag):
        if offline():
            return None
        pulled = subprocess.run(
            ["docker", "pull", "--quiet", "--platform", arch.platform, str(python.official_image)],
            capture_output=True,
        )
        if pulled.returncode != 0:
            return None
        # The official tag names a multi-architecture list: keep each platform under its own tag.
        command(["docker", "tag", str(python.official_image), tag])
    return tag


def prepare_base(runner: str, base: str, arch: Arch, python: Python, logs: Path) -> str:
    """The image (docker) or root filesystem folder (chroot) for one architecture and Python."""
    label = f"{arch.name}, Python {python.version}"
    if base == "official":
        image = official_tag(arch, python)  # pulled by choose_base
        print(f"  {label}: {image} (from {python.official_image})")
        return image
    name = f"{python.suite}-{python.name}-{arch.name}"
    if runner == "chroot":
        folder = CACHE / "chroot" / name
        if not folder.exists():
            rootfs = debian_rootfs(arch, python, logs)
            partial = folder.with_name(f"{name}.partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            command(["tar", "--extract", "--file", str(rootfs), "--directory", str(partial)])
            partial.rename(folder)
        print(f"  {label}: {relative(folder)}")
        return str(folder)
    image = f"rust-python-stages/base:{name}"
    if not image_exists(image):
        rootfs = debian_rootfs(arch, python, logs)
        # `docker import --platform` records the host's architecture on Docker 20.10; a build from
        # scratch labels the image with the platform it is built for.
        build = ["docker", "build", "--platform", arch.platform, "--tag", image]
        build += ["--file", str(HERE / "base.Dockerfile"), str(rootfs.parent)]
        command(build, log=logs / f"base-{name}.log")
    print(f"  {label}: {image}")
    return image


def debian_rootfs(arch: Arch, python: Python, logs: Path) -> Path:
    """A tarball of a minimal Debian with Python, made by mmdebstrap, cached between runs.

    The extract variant only unpacks the packages (and their dependencies): no package scripts
    run, so nothing runs under emulation and it takes seconds. It is enough for Python. It does
    not merge /usr, though: Debian's installers make /bin, /lib and /sbin symlinks to their
    /usr folders, and trixie's packages count on it, putting their files under /usr only (the
    ELF loader that runs python3, /lib64/ld-linux-x86-64.so.2, included). The merged-usr hook
    makes those symlinks before the packages are unpacked.
    """
    name = f"{python.suite}-{python.name}-{arch.name}"
    rootfs = CACHE / "rootfs" / name / "rootfs.tar"
    if not rootfs.exists():
        if offline():
            raise Stop(
                f"OFFLINE is set and the root filesystem {relative(rootfs)} is not built yet: "
                "run `make prefetch` while online first."
            )
        rootfs.parent.mkdir(parents=True, exist_ok=True)
        partial = rootfs.with_suffix(".partial.tar")
        mirror = setting("DEBIAN_MIRROR", "http://deb.debian.org/debian")
        packages = [python.package, *DEBIAN_PACKAGES]
        mmdebstrap = ["mmdebstrap", "--variant=extract", f"--architectures={arch.name}"]
        mmdebstrap += [f"--hook-dir={MERGED_USR_HOOK}", f"--include={','.join(packages)}"]
        if not python.check_valid_until:
            mmdebstrap += ['--aptopt=Acquire::Check-Valid-Until "false"']
        mmdebstrap += [python.suite, str(partial), mirror]
        log = logs / f"base-{name}.log"
        command(mmdebstrap, log=log)
        glibc = rootfs_glibc(partial)
        # The wheelhouse picks manylinux wheels up to python.glibc: the release must have it.
        if glibc is None or version_tuple(glibc) < version_tuple(python.glibc):
            raise Stop(
                f"{python.suite} for {arch.name} has glibc {glibc}, older than the {python.glibc} "
                f"that PYTHONS in docker-test/run.py says: correct it there ({relative(partial)})."
            )
        print(f"  {python.suite} ({arch.name}): python{python.version}, glibc {glibc}")
        partial.rename(rootfs)
    return rootfs


def rootfs_glibc(tarball: Path) -> str | None:
    """glibc's upstream version in a root filesystem, from its Debian changelog's first line."""
    with tarfile.open(tarball) as tar:
        for member in tar:
            if member.name.endswith("usr/share/doc/libc6/changelog.Debian.gz"):
                first = gzip.decompress(tar.extractfile(member).read()).decode().split("\n")[0]
                # "glibc (2.43-7) unstable; urgency=medium"
                return first.split("(")[1].split("-")[0]
    return None


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def image_exists(image: str) -> bool:
    return (
        subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode == 0
    )


# --- cells -------------------------------------------------------------------------------------


def run_cell(cell: Cell, runner: str, base: str) -> None:
    """Install the wheel, run the tests in a container or chroot: cell.py does the work inside."""
    out = cell.log.with_suffix("")
    out.mkdir()
    mounts = {  # host folder → (path inside, writable)
        REPO: ("/repo", False),
        wheelhouse(cell.arch, cell.python): ("/wheelhouse", False),
        cell.wheel.parent: ("/dist", False),
        out: ("/out", True),
    }
    stage = str(cell.stage.relative_to(REPO))
    inside = [cell.python.executable, "/repo/docker-test/cell.py", "--stage", stage]
    inside += ["--wheel", f"/dist/{cell.wheel.name}"]
    inside += [f"--requirement={r}" for r in TEST_TOOLS]
    notebook = notebook_of(cell.stage)
    if notebook:
        inside += ["--notebook", str(notebook.relative_to(REPO))]
    environment = qemu_environment(cell.arch)

    if runner == "docker":
        # --network none: the cell proves the wheels install offline.
        docker = ["docker", "run", "--rm", "--platform", cell.arch.platform, "--network", "none"]
        for host, (path, writable) in mounts.items():
            docker += ["--volume", f"{host}:{path}:{'rw' if writable else 'ro'}"]
        docker += [f"--env={name}={value}" for name, value in environment.items()]
        command([*docker, base, *inside], log=cell.log, check=False)
    else:
        chroot = chroot_command(Path(base), mounts, environment, inside)
        command(chroot, log=cell.log, check=False)

    result = out / "result.json"
    cell.result = json.loads(result.read_text()) if result.exists() else None


def qemu_environment(arch: Arch) -> dict[str, str]:
    """QEMU reads QEMU_CPU from the environment of the program it runs.

    Its default arm64 CPU, "max", has every optional feature, pointer authentication (PAuth)
    included, which QEMU 7 computes with the slow QARMA5 cipher. Debian's packages from trixie on
    are built with PAuth: every function call signs and checks its return address, and trixie's
    Python 3.13 ran 10 to 25 times slower than bookworm's 3.11. A Cortex-A72 (a Raspberry Pi 4)
    is a plain ARMv8.0 CPU, the baseline that manylinux wheels for aarch64 promise to need; on
    it the PAuth instructions do nothing, as on any arm64 CPU without the feature.
    """
    if arch.emulated and arch.qemu_cpu:
        return {"QEMU_CPU": arch.qemu_cpu}
    return {}


def chroot_command(
    root: Path, mounts: dict[Path, tuple[str, bool]], environment: dict[str, str], inside: list[str]
) -> list[str]:
    """A shell command running `inside` chrooted in `root`, with the mounts a container would get.

    unshare gives it a mount namespace of its own: the mounts vanish when it exits, so the
    cached root filesystem stays clean.
    """
    inside_paths = ["/proc", "/dev", "/tmp", "/scratch", *(path for path, _ in mounts.values())]
    script = [shlex.join(["mkdir", "-p", *(f"{root}{path}" for path in inside_paths)])]
    script += [
        shlex.join(["mount", "-t", "proc", "proc", f"{root}/proc"]),
        shlex.join(["mount", "--rbind", "/dev", f"{root}/dev"]),
        shlex.join(["mount", "-t", "tmpfs", "tmpfs", f"{root}/tmp"]),
        shlex.join(["mount", "-t", "tmpfs", "tmpfs", f"{root}/scratch"]),  # see cell.py
    ]
    for host, (path, writable) in mounts.items():
        script += [shlex.join(["mount", "--bind", str(host), f"{root}{path}"])]
        if not writable:
            script += [shlex.join(["mount", "-o", "remount,bind,ro", f"{root}{path}"])]
    env = ["env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"]
    env += [f"{name}={value}" for name, value in environment.items()]
    script += [shlex.join(["exec", "chroot", str(root), *env, *inside])]
    return ["unshare", "--mount", "--propagation", "private", "sh", "-ec", "\n".join(script)]


def notebook_of(stage: Path) -> Path | None:
    """notebooks/0N-*.ipynb belongs to stage vN."""
    number = stage.name.split("-")[0].removeprefix("v")
    return next(iter(sorted((REPO / "notebooks").glob(f"0{number}-*.ipynb"))), None)


# --- output ------------------------------------------------------------------------------------


class Table:
    """The matrix, one row per cell, printed as each cell finishes."""

    COLUMNS = "{:<6} {:<6} {:<12} {:<6} {:<9} {:<8} {:>8} {:>8} {:>9} {:>7}  {}"

    def __init__(self) -> None:
        names = ["arch", "python", "stage", "result", "uname -m", "python3", "install", "tests"]
        header = self.COLUMNS.format(*names, "notebook", "cell", "log")
        self.text = header
        print(header, flush=True)

    def row(self, cell: Cell) -> None:
        r = cell.result or {}
        result = "pass" if cell.passed else "FAIL"
        line = self.COLUMNS.format(
            cell.arch.name,
            cell.python.version,
            cell.stage.name,
            result,
            r.get("machine", "-"),
            r.get("python", "-"),
            seconds(r.get("install_seconds")),
            seconds(r.get("tests_seconds")),
            seconds(r.get("notebook_seconds")),
            f"{cell.seconds:.0f} s" if cell.seconds is not None else "-",
            relative(cell.log if cell.wheel else cell.build_log),
        )
        self.text += "\n" + line
        print(line, flush=True)

    def summary(
        self, cells: list[Cell], arches: list[Arch], pythons: list[Python], stages: list[Path]
    ) -> str:
        """Stage × (architecture, Python): pass, FAIL, or - for a pair not tested."""
        columns = [(arch, python) for arch in arches for python in pythons]
        lines = ["{:<12} ".format("") + " ".join(f"{a.name} {p.version:<5}" for a, p in columns)]
        for stage in stages:
            results = []
            for arch, python in columns:
                found = [c for c in cells if (c.arch, c.python, c.stage) == (arch, python, stage)]
                results.append(("pass" if found[0].passed else "FAIL") if found else "-")
            lines.append(f"{stage.name:<12} " + " ".join(f"{r:<11}" for r in results))
        if any(
            not any((c.arch, c.python) == column for c in cells) for column in columns
        ):  # EMULATED_PYTHONS left some out
            lines.append("(-: not tested, see EMULATED_PYTHONS)")
        return "\n".join(line.rstrip() for line in lines) + "\n"


class Times:
    """How long each phase took: what the CI budget is planned with."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.phases: dict[str, float] = {}

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        self.phases[phase] = now - self.last
        self.last = now

    def total(self) -> float:
        return time.monotonic() - self.started

    def text(self, cells: list[Cell], arches: list[Arch]) -> str:
        phases = ", ".join(f"{name} {value / 60:.1f}" for name, value in self.phases.items())
        per_arch = []
        for arch in arches:
            timed = [c.seconds for c in cells if c.arch == arch and c.seconds is not None]
            if timed:
                average = sum(timed) / len(timed)
                count = f"{len(timed)} cell{'s' if len(timed) != 1 else ''}"
                per_arch.append(f"{arch.name} {count}, {average:.0f} s on average")
        return f"Minutes: {phases}. Cells: {'; '.join(per_arch) or 'none'}.\n"


def paragraph(text: str) -> str:
    return textwrap.fill(text, width=100, break_on_hyphens=False, break_long_words=False)


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def heading(title: str) -> None:
    print(f"\n== {title}", flush=True)


def relative(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def command(args: list[str], log: Path | None = None, check: bool = True, **kwargs) -> int:
    """Run a command, its output going to `log` (appended) or to the terminal."""
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


if __name__ == "__main__":
    sys.exit(main())
