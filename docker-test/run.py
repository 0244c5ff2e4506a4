#!/usr/bin/env python3
"""Cross-build each stage's wheel for amd64 and arm64, then test it on each, arm64 under QEMU,
with each Python version: Debian bookworm's 3.11 and Debian trixie's 3.13.

    make docker-test                 every stage (the root Makefile calls this script)
    make stage-1 docker-test         one stage
    .venv/bin/python docker-test/run.py stages/v1-ctypes

Settings, as environment variables:

    ARCHES=amd64,arm64      architectures to build and test
    PYTHONS=3.11,3.13       Python versions to test with: 3.11 (Debian bookworm), 3.13 (trixie)
    RUNNER=auto             docker, chroot (no Docker engine; needs root), or auto: docker if
                            an engine answers, chroot otherwise
    BASE_IMAGE=auto         official (python:3.11-slim-bookworm and python:3.13-slim-trixie from
                            Docker Hub), local (Debian root filesystems built here with
                            mmdebstrap), or auto: official if they can be pulled, local otherwise
    DEBIAN_MIRROR=...       where mmdebstrap downloads Debian packages
    LOGS=docker-test/logs/<time>   where every step and cell writes its log

Steps: check the host (installing what is missing when running as root), cross-build the wheels
on the host (once per architecture: the same wheel serves every Python version), download the
test tools' wheels for each architecture and Python version, prepare one base image (or root
filesystem) for each, then run one cell per architecture, Python version and stage: install the
wheel offline, run the stage's tests and notebook. Exits 1 if any cell fails.
Python 3.11 or newer, standard library only.
"""

from __future__ import annotations

import email
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / "cache"

# The test tools every cell installs; a stage adds its own in pyproject.toml's
# [dependency-groups] test. Versions come from requirements-dev.txt. No `jupyter`: nbval and
# ipykernel are all a notebook check needs, and every extra import costs seconds under QEMU.
TEST_TOOLS = ["pytest", "hypothesis", "nbval", "ipykernel"]
# What the local base image holds: Python, and the C++ runtime that manylinux wheels may
# assume (pyzmq, which ipykernel uses, needs it). dash and coreutils give it a usable shell.
DEBIAN_PACKAGES = ["python3", "libstdc++6", "dash", "coreutils"]
# Comes with mmdebstrap: makes /bin, /lib and /sbin symlinks into /usr (see debian_rootfs).
MERGED_USR_HOOK = "/usr/share/mmdebstrap/hooks/merged-usr"


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
        return self.machine != platform.machine()


ARCHES = {
    arch.name: arch
    for arch in (Arch("amd64", "x86_64"), Arch("arm64", "aarch64", qemu_cpu="cortex-a72"))
}


@dataclass(frozen=True)
class Python:
    """A CPython version, and the Debian release whose python3 it is."""

    version: str  # "3.13": `python3 --version` must print 3.13.<something>
    suite: str  # the Debian release: the local base image, and the official image's base
    glibc: str  # that release's glibc: the newest manylinux wheels it can run

    @property
    def name(self) -> str:
        return f"py{self.version}"

    @property
    def official_image(self) -> str:
        return f"python:{self.version}-slim-{self.suite}"


PYTHONS = {
    python.version: python
    for python in (Python("3.11", "bookworm", "2.36"), Python("3.13", "trixie", "2.41"))
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


def main() -> int:
    started = time.monotonic()
    stages = [Path(s).resolve() for s in sys.argv[1:]] or sorted(
        path.parent for path in (REPO / "stages").glob("v*/Makefile")
    )
    arches = selected("ARCHES", ARCHES, "amd64,arm64")
    pythons = selected("PYTHONS", PYTHONS, "3.11,3.13")
    print(f"docker-test: {', '.join(s.name for s in stages)}", end="")
    print(f" on {', '.join(a.name for a in arches)}", end="")
    print(f" with Python {', '.join(p.version for p in pythons)}")
    runner = choose_runner()
    base = choose_base(runner, arches, pythons)
    logs = Path(setting("LOGS", str(HERE / "logs" / datetime.now().strftime("%Y%m%d-%H%M%S"))))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"Logs: {relative(logs)}")
    heading("Host")
    prepare_host(arches, runner, base)

    heading("Wheels, cross-built on the host")
    # One wheel per architecture and stage: its tags (py3-none, cp39-abi3) accept any Python 3.9+,
    # so every Python version's cells test the very same file.
    wheels = {(arch, stage): build_wheel(arch, stage, logs) for arch in arches for stage in stages}
    cells = [
        Cell(arch, python, stage, logs, wheel=wheels[arch, stage])
        for arch in arches
        for python in pythons
        for stage in stages
    ]

    heading("Test tools, as wheels for each architecture and Python version")
    for arch in arches:
        for python in pythons:
            ready = [c for c in cells if c.arch == arch and c.python == python and c.wheel]
            fill_wheelhouse(arch, python, ready, logs)

    heading(f"Base {'images' if runner == 'docker' else 'root filesystems'}")
    bases = {
        (arch, python): prepare_base(runner, base, arch, python, logs)
        for arch in arches
        for python in pythons
    }

    heading("Matrix")
    table = Table()
    for cell in cells:
        if cell.wheel:
            run_cell(cell, runner, bases[cell.arch, cell.python])
        table.row(cell)
    elapsed = time.monotonic() - started

    heading("Summary")
    summary = table.summary(cells, arches, pythons, stages)
    summary += f"\nRunner: {runner_label(runner, base, pythons)}\n"
    summary += f"Wall time: {elapsed / 60:.1f} min. Logs: {relative(logs)}\n"
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
        sys.exit(f"{name}: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]


def choose_runner() -> str:
    runner = setting("RUNNER", "auto")
    if runner == "auto":
        runner = "docker" if docker_engine_answers() else "chroot"
        if runner == "chroot":
            print("No Docker engine answers: the cells run in a chroot of a Debian filesystem.")
    if runner not in ("docker", "chroot"):
        sys.exit(f"RUNNER={runner}: expected auto, docker or chroot")
    if runner == "chroot" and os.geteuid() != 0:
        sys.exit("The chroot runner needs root (mount, chroot): run it with sudo, or start Docker.")
    return runner


def docker_engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def choose_base(runner: str, arches: list[Arch], pythons: list[Python]) -> str:
    """official or local; a chroot can only use the local root filesystems."""
    base = setting("BASE_IMAGE", "auto")
    if runner == "chroot":
        return "local"
    if base not in ("auto", "official", "local"):
        sys.exit(f"BASE_IMAGE={base}: expected auto, official or local")
    if base in ("auto", "official"):
        # Pulling is the registry check: quick when it fails, and cached when it succeeds.
        pulled = all(official_image(arch, python) for arch in arches for python in pythons)
        if base == "official" and not pulled:
            images = ", ".join(python.official_image for python in pythons)
            sys.exit(f"Cannot pull {images} for every architecture: use BASE_IMAGE=local")
        base = "official" if pulled else "local"
    return base


def runner_label(runner: str, base: str, pythons: list[Python]) -> str:
    suites = ", ".join(f"{python.suite} for {python.version}" for python in pythons)
    if runner == "chroot":
        return f"chroot of Debian root filesystems made by mmdebstrap ({suites}; no Docker)"
    if base == "official":
        return f"docker, base images {', '.join(python.official_image for python in pythons)}"
    return f"docker, base images built here from Debian root filesystems (mmdebstrap; {suites})"


# --- host --------------------------------------------------------------------------------------


def prepare_host(arches: list[Arch], runner: str, base: str) -> None:
    """Install and switch on what the run needs, saying what it does."""
    emulated = [arch for arch in arches if arch.emulated]
    packages = []
    if emulated:
        packages += ["qemu-user-static", "binfmt-support"]
    if base == "local":
        packages += ["mmdebstrap"]
    install_debian_packages(packages)
    for arch in emulated:
        enable_binfmt(arch)
    for arch in arches:
        if not arch.emulated:
            print(f"  {arch.name}: native")
        else:
            cpu = f", CPU {arch.qemu_cpu}" if arch.qemu_cpu else ""
            print(f"  {arch.name}: emulated by QEMU (binfmt_misc){cpu}")

    # The Rust standard library, compiled for each target.
    if not shutil.which("rustup"):
        sys.exit("rustup is missing: the cross builds need it to add Rust targets")
    rustup = ["rustup", "target", "list", "--installed"]
    installed = subprocess.run(rustup, capture_output=True, text=True).stdout.split()
    for arch in arches:
        if arch.rust_target not in installed:
            command(["rustup", "target", "add", arch.rust_target])
    # Zig links the cross builds: maturin --zig and cargo-zigbuild both come from pip.
    scripts = Path(sys.executable).parent
    if not (scripts / "cargo-zigbuild").exists() or not (scripts / "python-zig").exists():
        sys.exit("cargo-zigbuild or ziglang is missing: make venv installs them")


def install_debian_packages(packages: list[str]) -> None:
    missing = [p for p in packages if not debian_package_installed(p)]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"Install these Debian packages first: sudo apt-get install {' '.join(missing)}")
    print(f"  Installing {', '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command(["apt-get", "update", "-qq"], env=env)
    command(["apt-get", "install", "-qq", "--no-install-recommends", *missing], env=env)


def debian_package_installed(package: str) -> bool:
    query = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return query.stdout.endswith(" installed")


def enable_binfmt(arch: Arch) -> None:
    """Make the kernel run this architecture's programs with qemu-<machine>-static.

    The F (fix binary) flag makes the kernel open the emulator once, at registration, so that it
    also works inside containers and chroots, whose file systems do not contain it.
    """
    binfmt = Path("/proc/sys/fs/binfmt_misc")
    if not (binfmt / "status").exists():
        print(f"  Mounting binfmt_misc on {binfmt}")
        command(["mount", "-t", "binfmt_misc", "binfmt_misc", str(binfmt)])
    entry = binfmt / f"qemu-{arch.machine}"
    if not entry.exists() or not entry.read_text().startswith("enabled"):
        print(f"  Registering qemu-{arch.machine} with binfmt_misc")
        command(["update-binfmts", "--enable", f"qemu-{arch.machine}"])
    lines = entry.read_text().splitlines()
    flags = next((line.split(":")[1] for line in lines if line.startswith("flags:")), "")
    if "F" not in flags:
        sys.exit(f"{entry} lacks the F flag, so containers cannot use it")


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


def wheel_requirements(wheel: Path) -> list[str]:
    """The wheel's runtime dependencies (Requires-Dist), which pip must find in the wheelhouse."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(name))
    return [r for r in metadata.get_all("Requires-Dist", []) if "extra ==" not in r]


def test_requirements(stage: Path) -> list[str]:
    """The test tools plus the stage's own test dependencies ([dependency-groups] test)."""
    pyproject = tomllib.loads((stage / "pyproject.toml").read_text())
    group = pyproject.get("dependency-groups", {}).get("test", [])
    return list(dict.fromkeys(TEST_TOOLS + group))  # without repeats, in order


def wheelhouse(arch: Arch, python: Python) -> Path:
    return CACHE / "wheelhouse" / f"{arch.name}-{python.name}"


def fill_wheelhouse(arch: Arch, python: Python, cells: list[Cell], logs: Path) -> None:
    """Download, for one architecture and Python, every wheel the cells install but the stages'.

    The containers run without network and compile nothing: whatever is not in the wheelhouse
    cannot be installed there. The wheelhouse is cached, so an offline run works once filled.
    Compiled test tools differ per Python version (cffi-2.1.1-cp313-cp313-...), hence one
    wheelhouse for each; the versions are the same, pinned by requirements-dev.txt.
    """
    requirements = {
        "pip",
        *(r for c in cells for r in test_requirements(c.stage) + wheel_requirements(c.wheel)),
    }
    folder = wheelhouse(arch, python)
    # Manylinux wheels built for any glibc up to the Debian release's (2.36 for bookworm) run there.
    newest = int(python.glibc.split(".")[1])
    platforms = [f"manylinux_2_{minor}_{arch.machine}" for minor in range(newest, 16, -1)]
    pip = [sys.executable, "-m", "pip", "download", "--dest", str(folder), "--only-binary=:all:"]
    pip += [f"--platform={p}" for p in [*platforms, f"manylinux2014_{arch.machine}"]]
    pip += [f"--python-version={python.version}", "--implementation=cp"]
    pip += ["--constraint", str(REPO / "requirements-dev.txt"), "--disable-pip-version-check"]
    pip += sorted(requirements)
    log = logs / f"wheelhouse-{arch.name}-{python.name}.log"
    # Offline first: a wheelhouse that already holds everything needs no index.
    offline = command([*pip, "--no-index", "--find-links", str(folder)], log=log, check=False)
    if offline != 0:
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
        pulled = subprocess.run(
            ["docker", "pull", "--quiet", "--platform", arch.platform, python.official_image],
            capture_output=True,
        )
        if pulled.returncode != 0:
            return None
        # The official tag names a multi-architecture list: keep each platform under its own tag.
        command(["docker", "tag", python.official_image, tag])
    return tag


def prepare_base(runner: str, base: str, arch: Arch, python: Python, logs: Path) -> str:
    """The image (docker) or root filesystem folder (chroot) for one architecture and Python."""
    label = f"{arch.name}, Python {python.version}"
    if base == "official":
        image = official_tag(arch, python)  # pulled by choose_base
        print(f"  {label}: {image} (from {python.official_image})")
        return image
    if runner == "chroot":
        folder = CACHE / "chroot" / f"{python.suite}-{arch.name}"
        if not folder.exists():
            rootfs = debian_rootfs(arch, python.suite, logs)
            folder.mkdir(parents=True)
            command(["tar", "--extract", "--file", str(rootfs), "--directory", str(folder)])
        print(f"  {label}: {relative(folder)}")
        return str(folder)
    image = f"rust-python-stages/base:{python.suite}-{arch.name}"
    if not image_exists(image):
        rootfs = debian_rootfs(arch, python.suite, logs)
        # `docker import --platform` records the host's architecture on Docker 20.10; a build from
        # scratch labels the image with the platform it is built for.
        build = ["docker", "build", "--platform", arch.platform, "--tag", image]
        build += ["--file", str(HERE / "base.Dockerfile"), str(rootfs.parent)]
        command(build, log=logs / f"base-{python.suite}-{arch.name}.log")
    print(f"  {label}: {image}")
    return image


def debian_rootfs(arch: Arch, suite: str, logs: Path) -> Path:
    """A tarball of a minimal Debian with Python, made by mmdebstrap, cached between runs.

    The extract variant only unpacks the packages (and their dependencies): no package scripts
    run, so nothing runs under emulation and it takes seconds. It is enough for Python. It does
    not merge /usr, though: Debian's installers make /bin, /lib and /sbin symlinks to their
    /usr folders, and trixie's packages count on it, putting their files under /usr only (the
    ELF loader that runs python3, /lib64/ld-linux-x86-64.so.2, included). The merged-usr hook
    makes those symlinks before the packages are unpacked.
    """
    rootfs = CACHE / "rootfs" / f"{suite}-{arch.name}" / "rootfs.tar"
    if not rootfs.exists():
        rootfs.parent.mkdir(parents=True, exist_ok=True)
        partial = rootfs.with_suffix(".partial.tar")
        mirror = setting("DEBIAN_MIRROR", "http://deb.debian.org/debian")
        mmdebstrap = ["mmdebstrap", "--variant=extract", f"--architectures={arch.name}"]
        mmdebstrap += [f"--hook-dir={MERGED_USR_HOOK}", f"--include={','.join(DEBIAN_PACKAGES)}"]
        mmdebstrap += [suite, str(partial), mirror]
        command(mmdebstrap, log=logs / f"base-{suite}-{arch.name}.log")
        partial.rename(rootfs)
    return rootfs


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
    inside = ["python3", "/repo/docker-test/cell.py", "--stage", str(cell.stage.relative_to(REPO))]
    inside += ["--wheel", f"/dist/{cell.wheel.name}"]
    inside += [f"--requirement={r}" for r in test_requirements(cell.stage)]
    notebook = notebook_of(cell.stage)
    if notebook:
        inside += ["--notebook", str(notebook.relative_to(REPO))]

    # QEMU reads QEMU_CPU from the environment of the program it runs. Its default arm64 CPU,
    # "max", has every optional feature, pointer authentication (PAuth) included, which QEMU 7
    # computes with the slow QARMA5 cipher. Trixie's packages are built with PAuth: every
    # function call signs and checks its return address, and Python 3.13 runs 10 to 25 times
    # slower than bookworm's 3.11. A Cortex-A72 (a Raspberry Pi 4) is a plain ARMv8.0 CPU, the
    # baseline that manylinux wheels for aarch64 promise to need; on it the PAuth instructions
    # do nothing, as on any arm64 CPU without the feature.
    environment = {}
    if cell.arch.emulated and cell.arch.qemu_cpu:
        environment["QEMU_CPU"] = cell.arch.qemu_cpu

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

    COLUMNS = "{:<6} {:<6} {:<12} {:<6} {:<9} {:<8} {:>8} {:>8} {:>9}  {}"

    def __init__(self) -> None:
        names = ["arch", "python", "stage", "result", "uname -m", "python3", "install", "tests"]
        header = self.COLUMNS.format(*names, "notebook", "log")
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
            relative(cell.log if cell.wheel else cell.build_log),
        )
        self.text += "\n" + line
        print(line, flush=True)

    def summary(
        self, cells: list[Cell], arches: list[Arch], pythons: list[Python], stages: list[Path]
    ) -> str:
        """Stage × (architecture, Python), pass or FAIL."""
        columns = [(arch, python) for arch in arches for python in pythons]
        lines = ["{:<12} ".format("") + " ".join(f"{a.name} {p.version:<5}" for a, p in columns)]
        for stage in stages:
            results = [
                "pass" if cell.passed else "FAIL"
                for arch, python in columns
                for cell in cells
                if (cell.arch, cell.python, cell.stage) == (arch, python, stage)
            ]
            lines.append(f"{stage.name:<12} " + " ".join(f"{r:<11}" for r in results))
        return "\n".join(line.rstrip() for line in lines) + "\n"


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
            out.write(f"$ {' '.join(args)}\n")
            out.flush()
            returncode = subprocess.run(
                args, stdout=out, stderr=subprocess.STDOUT, **kwargs
            ).returncode
    if check and returncode != 0:
        where = f", see {relative(log)}" if log else ""
        sys.exit(f"Failed ({returncode}): {' '.join(args)}{where}")
    return returncode


if __name__ == "__main__":
    sys.exit(main())
