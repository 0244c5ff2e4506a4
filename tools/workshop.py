"""The workshop's dev container (.devcontainer/): build it, run JupyterLab or a shell in it.

    make workshop          build the image if needed, start JupyterLab with the repository mounted
    make workshop-shell    the same image, a shell
    make workshop-test     from a fresh clone: build, run the stages' tests and notebooks 01-04
                           inside, then drive JupyterLab with headless Chromium
                           (tools/workshop_browser.py)
    python3 tools/workshop.py {lab,shell,image,test} [--port N] [--arch A] [--base IMAGE]

The Makefile passes its variables PORT, ARCH and BASE as these options:

    --port 8888      the host port JupyterLab listens on (127.0.0.1 only)
    --arch <host's>  amd64 or arm64; the other one runs under QEMU, as docker-test's cells do
    --base IMAGE     the Dockerfile's base image; default: Debian forky, made here with mmdebstrap
                     (docker-test's bases.py) where it can be, Docker Hub's debian:forky-slim
                     where it cannot (no mmdebstrap: macOS, Windows, or not Debian)

The host is changed (apt-get install mmdebstrap, QEMU, chromium) only with CI=true or
SETUP_HOST=1, as root, as docker-test does; otherwise the command to run is printed.

Standard library only: it runs on the host's python3, before any environment exists.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docker-test"))

from docker_test import bases, host  # noqa: E402  (one copy of the base-image code)
from docker_test.common import (  # noqa: E402
    ARCHES,
    Arch,
    Stop,
    command,
    host_machine,
    is_root,
    may_change_host,
    paragraph,
)

IMAGE = "rust-python-stages/workshop"
LOCAL_BASE = "rust-python-stages/debian:forky-{arch}"
PUBLIC_BASE = "debian:forky-slim"  # Docker Hub's, for every architecture: the same Debian
SUITE = "forky"  # Debian testing: rustc 1.97 and Python 3.14, above the repository's floors
HOME_VOLUME = "rust-python-stages-home"  # cargo's downloads and builds, from session to session
WORKSPACE = "/workspace"
# A label on the image: the hash of what it was built from, so that a changed Dockerfile or lock
# rebuilds it and an unchanged one does not.
INPUTS_LABEL = "rust-python-stages.inputs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["lab", "shell", "image", "test"])
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--arch", default=native_arch(), help="amd64 or arm64")
    parser.add_argument("--base", help="the base image (default: Debian forky, made here)")
    args = parser.parse_args(argv)
    try:
        if args.arch not in ARCHES:
            raise Stop(f"ARCH={args.arch}: expected {' or '.join(ARCHES)}.")
        arch = ARCHES[args.arch]
        check_engine()
        if args.action == "lab" or (args.action == "test" and not arch.emulated):
            check_port(args.port)
        if args.action == "test":
            from workshop_test import run_test  # the browser test's host side

            return run_test(ROOT, arch, args.port, args.base)
        image = build_image(ROOT, arch, args.base)
        if args.action == "lab":
            return lab(ROOT, image, arch, args.port)
        if args.action == "shell":
            return shell(ROOT, image, arch)
        return 0
    except Stop as stop:
        print("\n" + paragraph("workshop: " + stop.message), file=sys.stderr)
        return 1


def native_arch() -> str:
    return next((a.name for a in ARCHES.values() if a.machine == host_machine()), "amd64")


# --- the engine and the port -------------------------------------------------------------------


def check_engine() -> None:
    """Stop with what to do if there is no Docker, or no permission to use it."""
    if shutil.which("docker") is None:
        raise Stop(
            "there is no `docker` command on this machine. The workshop runs in a container: "
            "install Docker Desktop (macOS, Windows), Docker Engine (Linux), or Podman with its "
            "`docker` command (the podman-docker package); or open the repository in a GitHub "
            "Codespace, which needs nothing here. Then run `make workshop` again."
        )
    info = subprocess.run(["docker", "info"], capture_output=True, text=True)
    if info.returncode == 0:
        return
    lines = (info.stderr or info.stdout).strip().splitlines()
    said = lines[-1] if lines else f"exit status {info.returncode}"
    if "permission denied" in (info.stderr + info.stdout).lower():
        raise Stop(
            f"Docker is installed, but you may not use it ({said}). Add yourself to the docker "
            "group, `sudo usermod -aG docker $USER`, then log out and in again (or run "
            "`newgrp docker` in this terminal)."
        )
    raise Stop(
        f"Docker is installed, but its engine does not answer ({said}). Start it: open Docker "
        "Desktop, or on Linux `sudo systemctl start docker`; then run `make workshop` again."
    )


def check_port(port: int) -> None:
    """Stop if something already listens on the port JupyterLab is to be published on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise Stop(
                f"port {port} is taken: something on this machine already listens on it (another "
                "JupyterLab, or a `make workshop` still running in another terminal). Stop it, or "
                f"choose another port: `make workshop PORT={port + 1}`."
            ) from None


# --- the image ---------------------------------------------------------------------------------


def build_image(repo: Path, arch: Arch, base: str | None, log: Path | None = None) -> str:
    """The workshop image for `arch`, built from .devcontainer/Dockerfile unless up to date."""
    image = f"{IMAGE}:{arch.name}"
    dockerfile = repo / ".devcontainer" / "Dockerfile"
    if arch.emulated:  # before the image is used, not only before it is built
        check_emulation(arch)
    base = base or choose_base(arch)
    authorities = local_authorities()
    inputs = hashlib.sha256()
    for part in (dockerfile.read_bytes(), (repo / "requirements-dev.txt").read_bytes()):
        inputs.update(part)
    inputs.update(base.encode() + authorities.encode())
    digest = inputs.hexdigest()[:16]
    if image_label(image) == digest:
        print(f"Image {image} is up to date.")
        return image
    log = log or repo / "target" / "workshop" / f"image-{arch.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    if base == LOCAL_BASE.format(arch=arch.name) and not bases.image_exists(base):
        build_base(base, arch, log.parent)
    print(f"Building {image} from {dockerfile.relative_to(repo)} on {base} (minutes, once).")
    print(f"  its log: {log}", flush=True)
    started = time.monotonic()
    build = ["docker", "build", "--platform", arch.platform, "--tag", image]
    build += ["--build-arg", f"TARGETARCH={arch.name}", "--build-arg", f"BASE={base}"]
    if authorities:
        build += ["--build-arg", f"EXTRA_CA_CERTIFICATES={authorities}"]
    build += ["--label", f"{INPUTS_LABEL}={digest}", "--file", str(dockerfile), str(repo)]
    command(build, log=log)
    print(f"Built {image} in {(time.monotonic() - started) / 60:.1f} min.")
    return image


def local_authorities() -> str:
    """The certificate authorities this host adds to its system's, as Debian keeps them."""
    folder = Path("/usr/local/share/ca-certificates")
    found = sorted(folder.glob("**/*.crt")) if folder.is_dir() else []
    return "".join(path.read_text() for path in found)


def choose_base(arch: Arch) -> str:
    """Debian forky made here if it is, or can be (mmdebstrap); Docker Hub's otherwise."""
    local = LOCAL_BASE.format(arch=arch.name)
    may_install = shutil.which("apt-get") and may_change_host() and is_root()
    if bases.image_exists(local) or shutil.which("mmdebstrap") or may_install:
        return local
    print(f"No mmdebstrap here to make Debian's image from its archive: {PUBLIC_BASE} it is.")
    return PUBLIC_BASE


def image_label(image: str) -> str | None:
    template = "{{ index .Config.Labels " + f'"{INPUTS_LABEL}"' + " }}"
    found = subprocess.run(
        ["docker", "image", "inspect", "--format", template, image], capture_output=True, text=True
    )
    return found.stdout.strip() if found.returncode == 0 else None


def build_base(image: str, arch: Arch, logs: Path) -> None:
    """Debian forky for `arch`, made by mmdebstrap from Debian's archive, as docker-test does."""
    # For the other architecture, mmdebstrap checks with arch-test that QEMU runs its programs.
    needed = ["mmdebstrap", "arch-test"] if arch.emulated else ["mmdebstrap"]
    if not shutil.which("mmdebstrap") or arch.emulated:
        install_debian_packages(needed, "mmdebstrap makes the base image")
    logs.mkdir(parents=True, exist_ok=True)
    print(f"Making the base image {image} from Debian's archive (mmdebstrap, a few minutes).")
    # minbase: Debian's required packages and apt, as Docker Hub's debian:*-slim; its package
    # scripts run (under QEMU for the other architecture), unlike docker-test's extract variant.
    # Forky is testing: its Release file may be past its Valid-Until on a lagging mirror.
    name = f"{SUITE}-minbase-{arch.name}"
    rootfs = bases.mmdebstrap(name, arch, SUITE, "minbase", [], False, logs)
    bases.rootfs_image(image, arch, rootfs, logs / f"base-{name}.log")


#: QEMU's user mode older than this is refused: Debian 12's 7.2 hangs cargo in the container
#: (the child of one of its forks never gets to run rustc), bookworm-backports' 10.0 runs it.
QEMU_FLOOR = (8, 0)


def check_emulation(arch: Arch) -> None:
    """The other architecture's programs need QEMU with binfmt_misc (docker-test's host.py),
    recent enough to run cargo (`QEMU_FLOOR`)."""
    entry = host.BINFMT / f"qemu-{arch.machine}"
    if not host.binfmt_enabled(entry):
        install_debian_packages(["qemu-user-static", "binfmt-support"], f"QEMU runs {arch.name}")
        host.apply_host_changes(host.binfmt_changes([arch]))
    version = qemu_version(entry, arch)
    if version is None or version >= QEMU_FLOOR:
        return
    found = ".".join(map(str, version))
    why = f"QEMU {found} emulates {arch.name}, and cargo hangs under QEMU older than 8"
    if debian_codename() != "bookworm":
        raise Stop(f"{why}: install QEMU 8 or newer (user mode, registered with binfmt_misc).")
    # Debian 12's own is 7.2; its backports have a recent one, which re-registers itself.
    source = Path("/etc/apt/sources.list.d/bookworm-backports.list")
    line = "deb http://deb.debian.org/debian bookworm-backports main"
    install = ["apt-get", "install", "--yes", "-t", "bookworm-backports", "qemu-user-static"]
    if may_change_host() and is_root():
        if not backports_configured():
            source.write_text(line + "\n")
        command(["apt-get", "update"])
        command(install)
        if (after := qemu_version(entry, arch)) is not None and after < QEMU_FLOOR:
            raise Stop(f"{why}, still after installing bookworm-backports' qemu-user-static.")
        return
    raise Stop(
        f"{why}: install bookworm-backports' (`echo '{line}' | sudo tee {source}`, then "
        f"`sudo apt-get update && sudo {' '.join(install)}`), or run with SETUP_HOST=1 as root "
        "to let the workshop do it."
    )


def qemu_version(entry: Path, arch: Arch) -> tuple[int, ...] | None:
    """The version of the emulator binfmt_misc runs for `entry`; None when none says."""
    lines = entry.read_text().splitlines() if entry.exists() else []
    programs = [
        Path(line.split(" ", 1)[1]).resolve() for line in lines if line.startswith("interpreter ")
    ]
    programs += [Path(p) for p in (shutil.which(f"qemu-{arch.machine}-static"),) if p]
    for program in programs:
        try:
            said = subprocess.run(
                [program, "--version"], capture_output=True, text=True, timeout=60
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        words = said.stdout.split()
        if len(words) > 2 and words[1] == "version":
            return tuple(int(part) for part in words[2].split(".")[:2] if part.isdigit())
    return None


def debian_codename() -> str | None:
    try:
        return platform.freedesktop_os_release().get("VERSION_CODENAME")
    except OSError:
        return None


def backports_configured() -> bool:
    sources = [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*")]
    return any(
        "bookworm-backports" in p.read_text(errors="replace") for p in sources if p.is_file()
    )


def install_debian_packages(packages: list[str], why: str) -> None:
    """apt-get install, in CI or with SETUP_HOST=1 as root; otherwise say the command and stop."""
    if not shutil.which("apt-get"):
        raise Stop(
            f"{why}, and this host has no apt-get: install {' '.join(packages)} with its own "
            "package manager, or use a public base image: `make workshop BASE=debian:forky-slim`."
        )
    missing = [p for p in packages if not host.debian_package_installed(p)]
    if not missing:
        return
    install = ["apt-get", "install", "--yes", "--no-install-recommends", *missing]
    if may_change_host() and is_root():
        command(["apt-get", "update"])
        command(install)
        return
    raise Stop(
        f"{why}: install {' '.join(missing)} (`sudo apt-get update && sudo {' '.join(install)}`), "
        "or run with SETUP_HOST=1 as root to let the workshop do it; with the internet, "
        "`make workshop BASE=debian:forky-slim` needs none of it."
    )


# --- running it --------------------------------------------------------------------------------


def run_args(repo: Path, arch: Arch, home_volume: str | None = HOME_VOLUME) -> list[str]:
    """`docker run`'s options: the repository mounted, the host's user, the home volume."""
    args = ["--platform", arch.platform, "--volume", f"{repo}:{WORKSPACE}", "--workdir", WORKSPACE]
    if arch.emulated and arch.qemu_cpu:  # docker-test/README.md says why this CPU
        args += ["--env", f"QEMU_CPU={arch.qemu_cpu}"]
    if hasattr(os, "getuid"):  # files written in /workspace belong to the learner, not root
        args += ["--user", f"{os.getuid()}:{os.getgid()}"]
    if home_volume:
        args += ["--volume", f"{home_volume}:/home/learner"]
    return args


# JupyterLab in the container, reachable through the published port; jupyter_server reads its
# token from JUPYTER_TOKEN, so it is not on jupyter's command line in the container (it is on
# docker's, on the host). --allow-root: the container runs as the host's user, root included
# (CI), and root in a container is no reason to refuse.
JUPYTER = ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--allow-root"]


def lab(repo: Path, image: str, arch: Arch, port: int) -> int:
    token = secrets.token_hex(24)
    url = f"http://127.0.0.1:{port}/lab/tree/notebooks?token={token}"
    docker = ["docker", "run", "--rm", "--interactive", "--init"]
    docker += ["--tty"] if sys.stdin.isatty() else []
    docker += ["--publish", f"127.0.0.1:{port}:8888", "--env", f"JUPYTER_TOKEN={token}"]
    docker += [*run_args(repo, arch), image, *JUPYTER]
    print(f"\nJupyterLab, once it has started: {url}\nStop it with Ctrl-C.\n", flush=True)
    return subprocess.run(docker).returncode


def shell(repo: Path, image: str, arch: Arch) -> int:
    docker = ["docker", "run", "--rm", "--interactive", "--init"]
    docker += ["--tty"] if sys.stdin.isatty() else []
    docker += [*run_args(repo, arch), image, "bash"]
    return subprocess.run(docker).returncode


def wait_for_lab(port: int, token: str, seconds: float = 120) -> None:
    """Wait until JupyterLab answers its API with this token."""
    url = f"http://127.0.0.1:{port}/api/status?token={token}"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise Stop(f"JupyterLab did not answer on port {port} within {seconds:.0f} s.")


def fresh_clone(repo: Path, parent: Path) -> Path:
    """A clone of the current commit: what a learner gets, without this checkout's builds."""
    clone = parent / "rust-python-stages"
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    command(["git", "clone", "--quiet", "--no-checkout", str(repo), str(clone)])
    command(["git", "-C", str(clone), "checkout", "--quiet", head])
    return clone


def timestamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def temporary_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="workshop-test-"))


if __name__ == "__main__":
    sys.exit(main())
