"""docker-test on hosts it does not run on here: not Debian, not root, no Docker, arm64.

Nothing here changes the machine or starts a container: the host is faked with monkeypatch
(shutil.which, os.geteuid, platform.machine, a binfmt_misc folder in tmp_path), and `command`,
through which the host module makes every change, is replaced by a recorder.
"""

from __future__ import annotations

import gzip
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from docker_test import bases, cells, cli, common, host  # noqa: E402

AMD64, ARM64 = common.ARCHES["amd64"], common.ARCHES["arm64"]
ENABLED_WITH_F = "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\n"


@pytest.fixture
def faked(monkeypatch, tmp_path):
    """A Debian x86_64 host, run as root, with every tool but the Docker engine's answer faked.

    Returns the list that records every command docker-test runs through `command`.
    """
    tools = {"rustup", "docker", "apt-get", "dpkg-query", "mmdebstrap"}
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}" if name in tools else None)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    binfmt = tmp_path / "binfmt_misc"
    binfmt.mkdir()
    (binfmt / "status").write_text("enabled\n")
    (binfmt / "qemu-aarch64").write_text(ENABLED_WITH_F)
    monkeypatch.setattr(host, "BINFMT", binfmt)
    monkeypatch.setattr(host, "rust_targets", lambda: [AMD64.rust_target, ARM64.rust_target])
    monkeypatch.setattr(host, "debian_package_installed", lambda package: True)
    monkeypatch.setattr(host, "pip_version", lambda: (26, 0))
    for name in ("CI", "SETUP_HOST", "OFFLINE", "PIP_NO_INDEX", "RUNNER", "BASE_IMAGE"):
        monkeypatch.delenv(name, raising=False)
    ran: list[list[str]] = []

    def record(args, log=None, check=True, **kwargs):
        ran.append(list(args))
        if args[:2] == ["update-binfmts", "--enable"]:  # as the real one would
            (binfmt / args[2]).write_text(ENABLED_WITH_F)
        return 0

    monkeypatch.setattr(host, "command", record)
    return ran


def without(monkeypatch, *missing: str) -> None:
    """Make shutil.which find nothing called `missing`, on top of the fixture's tools."""
    found = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name in missing else found(name))


def bare_host(monkeypatch, faked) -> None:
    """Nothing set up yet: no mmdebstrap, no QEMU registered, no arm64 Rust target."""
    without(monkeypatch, "mmdebstrap")
    (host.BINFMT / "qemu-aarch64").unlink()
    monkeypatch.setattr(host, "debian_package_installed", lambda package: False)
    monkeypatch.setattr(host, "rust_targets", lambda: [AMD64.rust_target])


# --- the host's CPU ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "machine"),
    [("arm64", "aarch64"), ("aarch64", "aarch64"), ("x86_64", "x86_64"), ("AMD64", "x86_64")],
)
def test_the_host_machine_is_spelled_as_uname_does_on_linux(monkeypatch, reported, machine):
    monkeypatch.setattr(platform, "machine", lambda: reported)
    assert common.host_machine() == machine


@pytest.mark.parametrize("reported", ["arm64", "aarch64"])  # macOS, Linux
def test_on_an_arm64_host_amd64_is_the_emulated_one(monkeypatch, reported):
    monkeypatch.setattr(platform, "machine", lambda: reported)
    assert not ARM64.emulated
    assert AMD64.emulated
    # QEMU_CPU is for QEMU: native arm64 cells run without it.
    assert cells.qemu_environment(ARM64) == {}
    assert cells.qemu_environment(AMD64) == {}


def test_on_an_x86_64_host_arm64_runs_on_qemus_cortex_a72(monkeypatch):
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    assert ARM64.emulated and not AMD64.emulated
    assert cells.qemu_environment(ARM64) == {"QEMU_CPU": "cortex-a72"}


def test_an_arm64_host_needs_qemu_for_x86_64_not_aarch64(monkeypatch, faked, capsys):
    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    with pytest.raises(SystemExit) as stopped:
        host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    assert stopped.value.code == 1
    out = capsys.readouterr().out
    assert "update-binfmts --enable qemu-x86_64" in out
    assert "qemu-aarch64" not in out
    assert faked == []


def test_an_arm64_host_with_qemu_for_x86_64_is_ready(monkeypatch, faked, capsys):
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    (host.BINFMT / "qemu-x86_64").write_text(ENABLED_WITH_F)
    host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    out = capsys.readouterr().out
    assert "amd64: emulated by QEMU (binfmt_misc)\n" in out  # no QEMU_CPU for amd64
    assert "arm64: native" in out
    assert faked == []


# --- not Debian, not root, no Docker ----------------------------------------------------------


def test_a_host_without_dpkg_and_apt_is_told_what_to_install(monkeypatch, faked):
    bare_host(monkeypatch, faked)
    without(monkeypatch, "mmdebstrap", "apt-get", "dpkg-query")
    monkeypatch.setenv("CI", "true")  # even where it may change the host, it cannot: no apt
    with pytest.raises(common.Stop) as stopped:
        host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    assert "not Debian-based" in stopped.value.message
    assert "dnf install mmdebstrap qemu-user-static" in stopped.value.message
    assert faked == []


def test_a_ready_host_that_is_not_debian_needs_nothing_from_apt(monkeypatch, faked, capsys):
    without(monkeypatch, "apt-get", "dpkg-query")
    host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    assert "arm64: emulated by QEMU (binfmt_misc), CPU cortex-a72" in capsys.readouterr().out
    assert faked == []


def test_no_docker_and_not_root_says_what_to_do_without_a_traceback(monkeypatch, faked, capsys):
    without(monkeypatch, "docker")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setenv("ARCHES", "amd64")
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert "docker is not installed" in err
    assert "needs root" in err
    assert "sudo make docker-test" in err
    assert "Traceback" not in err


def test_no_docker_as_root_falls_back_to_the_chroot_runner(monkeypatch, faked, capsys):
    without(monkeypatch, "docker")
    assert cells.choose_runner() == "chroot"
    assert "chroot" in capsys.readouterr().out


def test_prefetch_needs_no_root_for_the_chroot_runner(monkeypatch, faked):
    without(monkeypatch, "docker")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert cells.choose_runner(prefetch=True) == "chroot"


def test_not_root_with_setup_host_prints_the_commands_with_sudo(monkeypatch, faked, capsys):
    bare_host(monkeypatch, faked)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setenv("SETUP_HOST", "1")
    with pytest.raises(SystemExit) as stopped:
        host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    assert stopped.value.code == 1
    out = capsys.readouterr().out
    assert "need root" in out
    assert "sudo apt-get install" in out
    assert "    rustup target add aarch64-unknown-linux-gnu" in out  # no sudo for rustup
    assert faked == []


# --- nothing changes unasked -------------------------------------------------------------------


def test_without_ci_or_setup_host_nothing_is_installed_the_commands_are_printed(
    monkeypatch, faked, capsys
):
    bare_host(monkeypatch, faked)
    with pytest.raises(SystemExit) as stopped:
        host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    assert stopped.value.code == 1
    assert faked == []  # nothing ran
    out = capsys.readouterr().out
    assert "SETUP_HOST=1" in out
    packages = "mmdebstrap qemu-user-static binfmt-support"
    assert f"    apt-get install --yes --no-install-recommends {packages}\n" in out
    assert "    update-binfmts --enable qemu-aarch64\n" in out
    assert "    rustup target add aarch64-unknown-linux-gnu\n" in out


@pytest.mark.parametrize(("name", "value"), [("CI", "true"), ("SETUP_HOST", "1")])
def test_in_ci_or_with_setup_host_the_host_is_set_up(monkeypatch, faked, name, value):
    bare_host(monkeypatch, faked)
    monkeypatch.setenv(name, value)
    host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    assert faked == [
        ["apt-get", "update"],
        ["apt-get", "install", "--yes", "--no-install-recommends"]
        + ["mmdebstrap", "qemu-user-static", "binfmt-support"],
        ["rustup", "target", "add", "aarch64-unknown-linux-gnu"],
        ["update-binfmts", "--enable", "qemu-aarch64"],
    ]


def test_apt_get_waits_for_another_apt_to_finish(monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda args, **_: ran.append(args) or subprocess.CompletedProcess(args, 0),
    )
    common.command(["apt-get", "install", "--yes", "qemu-user-static"])
    common.command(["rustup", "target", "add", "aarch64-unknown-linux-gnu"])
    assert ran == [
        ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "--yes", "qemu-user-static"],
        ["rustup", "target", "add", "aarch64-unknown-linux-gnu"],
    ]


def test_prefetch_adds_rust_targets_but_installs_no_packages(monkeypatch, faked, capsys):
    bare_host(monkeypatch, faked)
    monkeypatch.setattr(host, "debian_package_installed", lambda package: True)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    host.prepare_host([], [AMD64, ARM64], "local", prefetch=True)  # emulates nothing
    assert faked == [["rustup", "target", "add", "aarch64-unknown-linux-gnu"]]


def test_offline_without_the_rust_target_points_at_prefetch(monkeypatch, faked):
    bare_host(monkeypatch, faked)
    monkeypatch.setenv("OFFLINE", "1")
    with pytest.raises(common.Stop) as stopped:
        host.prepare_host([AMD64, ARM64], [AMD64, ARM64], "local")
    assert "make prefetch" in stopped.value.message
    assert faked == []


# --- the matrix --------------------------------------------------------------------------------


def test_emulated_pythons_trims_only_the_emulated_architecture(monkeypatch):
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    pythons = list(common.PYTHONS.values())
    ends = [common.PYTHONS["3.11"], common.PYTHONS["3.15"]]
    pairs = cli.matrix_pairs([AMD64, ARM64], pythons, ends)
    assert [(a.name, p.version) for a, p in pairs] == [
        ("amd64", "3.11"),
        ("amd64", "3.13"),
        ("amd64", "3.14"),
        ("amd64", "3.15"),
        ("arm64", "3.11"),
        ("arm64", "3.15"),
    ]


def test_jobs_runs_that_many_cells_at_once(monkeypatch):
    monkeypatch.setenv("JOBS", "2")
    assert cli.cell_jobs() == 2
    monkeypatch.delenv("JOBS")
    assert cli.cell_jobs() == 1


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_jobs_must_be_a_positive_whole_number(monkeypatch, value):
    monkeypatch.setenv("JOBS", value)
    with pytest.raises(common.Stop) as stopped:
        cli.cell_jobs()
    assert f"JOBS={value}" in stopped.value.message


def test_each_python_is_its_debian_releases_own():
    # The 3.15 cells run sid's python3.15 package: sid's default python3 is 3.14.
    sid = common.PYTHONS["3.15"]
    assert (sid.suite, sid.package, sid.executable) == ("sid", "python3.15", "python3.15")
    unchecked = [p.version for p in common.PYTHONS.values() if not p.check_valid_until]
    assert unchecked == ["3.14", "3.15"]


def test_an_unknown_python_is_refused_with_the_known_ones(monkeypatch):
    monkeypatch.setenv("PYTHONS", "3.12")
    with pytest.raises(common.Stop) as stopped:
        common.selected("PYTHONS", common.PYTHONS, "3.11")
    assert stopped.value.message == "PYTHONS: unknown 3.12; known: 3.11, 3.13, 3.14, 3.15."


def test_glibc_is_read_from_the_root_filesystems_debian_changelog(tmp_path):
    changelog = tmp_path / "changelog.Debian.gz"
    changelog.write_bytes(gzip.compress(b"glibc (2.43-7) unstable; urgency=medium\n\n  * ...\n"))
    rootfs = tmp_path / "rootfs.tar"
    with tarfile.open(rootfs, "w") as tar:
        tar.add(changelog, arcname="./usr/share/doc/libc6/changelog.Debian.gz")
    assert bases.rootfs_glibc(rootfs) == "2.43"
    assert bases.version_tuple("2.43") > bases.version_tuple("2.9")
