"""The host's side: Rust targets, mmdebstrap, QEMU registered with binfmt_misc.

A developer's machine is theirs: the changes are made only in CI (CI=true) or when asked
(SETUP_HOST=1); otherwise they are printed, and docker-test stops.
"""

from __future__ import annotations

import platform
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .common import Arch, Stop, command, is_root, may_change_host, offline, paragraph

BINFMT = Path("/proc/sys/fs/binfmt_misc")


@dataclass
class HostChange:
    """A change to the host that docker-test makes only when allowed (see prepare_host)."""

    why: str
    command: list[str]
    root: bool = True  # apt-get, mount and update-binfmts need root; rustup does not


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
