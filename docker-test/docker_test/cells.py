"""One cell of the matrix: a stage's wheel installed and tested on one architecture and Python,
in a container or, without Docker, in a chroot; cell.py does the work inside."""

from __future__ import annotations

import json
import platform
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .common import REPO, Arch, Python, Stop, command, is_root, setting
from .wheels import TEST_TOOLS, build_log, wheelhouse


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
