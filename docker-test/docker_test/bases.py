"""The base images (docker) and root filesystems (chroot) the cells run in: Docker Hub's
official images, or Debian root filesystems made here with mmdebstrap, made images with
base.Dockerfile. The workshop's dev container builds its base image here too."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from .common import CACHE, HERE, Arch, Python, Stop, command, offline, relative, setting

# What the local base image holds besides Python: the C++ runtime that manylinux wheels may
# assume (pyzmq, which ipykernel uses, needs it). dash and coreutils give it a usable shell.
DEBIAN_PACKAGES = ["libstdc++6", "dash", "coreutils"]
# Comes with mmdebstrap: makes /bin, /lib and /sbin symlinks into /usr (see debian_rootfs).
MERGED_USR_HOOK = "/usr/share/mmdebstrap/hooks/merged-usr"


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
        rootfs_image(image, arch, debian_rootfs(arch, python, logs), logs / f"base-{name}.log")
    print(f"  {label}: {image}")
    return image


def rootfs_image(image: str, arch: Arch, rootfs: Path, log: Path) -> None:
    """Make a root filesystem's tarball an image of its architecture, with base.Dockerfile.

    `docker import --platform` records the host's architecture on Docker 20.10; a build from
    scratch labels the image with the platform it is built for.
    """
    build = ["docker", "build", "--platform", arch.platform, "--tag", image]
    build += ["--file", str(HERE / "base.Dockerfile"), str(rootfs.parent)]
    command(build, log=log)


def debian_rootfs(arch: Arch, python: Python, logs: Path) -> Path:
    """A tarball of a minimal Debian with Python, made by mmdebstrap, cached between runs.

    The extract variant only unpacks the packages (and their dependencies): no package scripts
    run, so nothing runs under emulation and it takes seconds. It is enough for Python.
    """
    name = f"{python.suite}-{python.name}-{arch.name}"
    packages = [python.package, *DEBIAN_PACKAGES]

    def check(partial: Path) -> None:
        glibc = rootfs_glibc(partial)
        # The wheelhouse picks manylinux wheels up to python.glibc: the release must have it.
        if glibc is None or version_tuple(glibc) < version_tuple(python.glibc):
            raise Stop(
                f"{python.suite} for {arch.name} has glibc {glibc}, older than the {python.glibc} "
                "that PYTHONS in docker-test/docker_test/common.py says: correct it there "
                f"({relative(partial)})."
            )
        print(f"  {python.suite} ({arch.name}): python{python.version}, glibc {glibc}")

    return mmdebstrap(
        name, arch, python.suite, "extract", packages, python.check_valid_until, logs, check
    )


def mmdebstrap(
    name: str,
    arch: Arch,
    suite: str,
    variant: str,
    packages: list[str],
    check_valid_until: bool,
    logs: Path,
    check: Callable[[Path], None] | None = None,
) -> Path:
    """docker-test/cache/rootfs/<name>/rootfs.tar: a Debian root filesystem made by mmdebstrap.

    Made once and cached; `check`, if given, looks at it before it is kept. Debian's installers
    make /bin, /lib and /sbin symlinks to their /usr folders, and trixie's packages count on it,
    putting their files under /usr only (the ELF loader that runs every program,
    /lib64/ld-linux-x86-64.so.2, included). mmdebstrap's extract variant only unpacks packages,
    so its merged-usr hook makes those symlinks first.
    """
    rootfs = CACHE / "rootfs" / name / "rootfs.tar"
    if rootfs.exists():
        return rootfs
    if offline():
        raise Stop(
            f"OFFLINE is set and the root filesystem {relative(rootfs)} is not built yet: "
            "run `make prefetch` while online first."
        )
    rootfs.parent.mkdir(parents=True, exist_ok=True)
    partial = rootfs.with_suffix(".partial.tar")
    mirror = setting("DEBIAN_MIRROR", "http://deb.debian.org/debian")
    args = ["mmdebstrap", f"--variant={variant}", f"--architectures={arch.name}"]
    args += [f"--hook-dir={MERGED_USR_HOOK}"]
    if packages:
        args += [f"--include={','.join(packages)}"]
    if not check_valid_until:
        args += ['--aptopt=Acquire::Check-Valid-Until "false"']
    args += [suite, str(partial), mirror]
    command(args, log=logs / f"base-{name}.log")
    if check:
        check(partial)
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
