"""tools/workshop.py (`make workshop`) on machines where it cannot start: what it tells the learner.

Each test runs the script as `make workshop` does, with a PATH whose `docker` is a fake that
records its arguments and answers `docker info` as a broken installation would. No container
is started and no image is built.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

WORKSHOP = Path(__file__).resolve().parents[1] / "workshop.py"

FAKE_DOCKER = """#!/bin/sh
echo "$*" >> "$DOCKER_CALLS"
case "$1" in
  info) if [ -n "$DOCKER_INFO_ERROR" ]; then echo "$DOCKER_INFO_ERROR" >&2; exit 1; fi ;;
  image) exit 1 ;;  # no image yet
esac
exit 0
"""
PERMISSION_DENIED = (
    "permission denied while trying to connect to the Docker daemon socket at "
    'unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/info": '
    "dial unix /var/run/docker.sock: connect: permission denied"
)
NOT_RUNNING = (
    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
    "Is the docker daemon running?"
)


def workshop(tmp_path: Path, *args: str, docker: bool = True, info_error: str = ""):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if docker:
        fake = bin_dir / "docker"
        fake.write_text(FAKE_DOCKER)
        fake.chmod(0o755)
    calls = tmp_path / "calls"
    calls.touch()
    env = {
        "PATH": str(bin_dir),
        "DOCKER_CALLS": str(calls),
        "DOCKER_INFO_ERROR": info_error,
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, str(WORKSHOP), *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    # The messages are wrapped at 100 columns: compare them as one line.
    done.message = " ".join(done.stderr.split())
    return done, calls.read_text().splitlines()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_docker_names_what_to_install(tmp_path):
    done, _ = workshop(tmp_path, "lab", docker=False)
    assert done.returncode == 1
    assert "there is no `docker` command" in done.message
    assert "Docker Desktop" in done.message and "Codespace" in done.message
    assert "Traceback" not in done.stderr


def test_no_permission_to_use_the_socket_says_how_to_get_it(tmp_path):
    done, calls = workshop(tmp_path, "lab", info_error=PERMISSION_DENIED)
    assert done.returncode == 1
    assert "you may not use it" in done.message
    assert "sudo usermod -aG docker $USER" in done.message
    assert calls == ["info"]


def test_an_engine_that_does_not_answer_is_told_to_start(tmp_path):
    done, calls = workshop(tmp_path, "shell", info_error=NOT_RUNNING)
    assert done.returncode == 1
    assert "its engine does not answer" in done.message
    assert "Is the docker daemon running?" in done.message
    assert "sudo systemctl start docker" in done.message
    assert calls == ["info"]


def test_a_taken_port_is_named_with_another_to_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done, calls = workshop(tmp_path, "lab", f"--port={port}")
    assert done.returncode == 1
    assert f"port {port} is taken" in done.message
    assert f"make workshop PORT={port + 1}" in done.message
    assert calls == ["info"]  # nothing built, nothing started


def test_a_free_port_builds_the_image_and_publishes_jupyterlab_on_it(tmp_path):
    port = free_port()
    done, calls = workshop(tmp_path, "lab", f"--port={port}", "--base=debian:forky-slim")
    assert done.returncode == 0, done.stderr
    build = next(call for call in calls if call.startswith("build "))
    assert "--build-arg BASE=debian:forky-slim" in build
    run = next(call for call in calls if call.startswith("run "))
    assert f"--publish 127.0.0.1:{port}:8888" in run
    assert f"{WORKSHOP.parents[1]}:/workspace" in run
    if hasattr(os, "getuid"):
        assert f"--user {os.getuid()}:{os.getgid()}" in run
    token = run.split("JUPYTER_TOKEN=")[1].split()[0]
    assert f"http://127.0.0.1:{port}/lab/tree/notebooks?token={token}" in done.stdout


@pytest.mark.parametrize("arch", ["x86", "aarch64"])
def test_an_unknown_architecture_is_refused_with_the_known_ones(tmp_path, arch):
    done, calls = workshop(tmp_path, "image", f"--arch={arch}")
    assert done.returncode == 1
    assert f"ARCH={arch}: expected amd64 or arm64" in done.message
    assert calls == []


def import_workshop():
    for folder in (WORKSHOP.parent, WORKSHOP.parents[1] / "docker-test"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    import workshop as module

    return module


def test_the_emulators_version_is_read_from_the_program_binfmt_misc_runs(tmp_path, monkeypatch):
    module = import_workshop()
    arm64 = module.ARCHES["arm64"]
    emulator = tmp_path / "qemu-aarch64"
    emulator.write_text("#!/bin/sh\necho 'qemu-aarch64 version 7.2.19 (Debian 1:7.2+dfsg-7)'\n")
    emulator.chmod(0o755)
    entry = tmp_path / "qemu-aarch64-entry"
    entry.write_text(f"enabled\ninterpreter {emulator}\nflags: PF\n")
    assert module.qemu_version(entry, arm64) == (7, 2)
    # An emulator that does not run, and none on PATH: no version, and no refusal on a guess.
    entry.write_text("enabled\ninterpreter /nonexistent/qemu\nflags: PF\n")
    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    assert module.qemu_version(entry, arm64) is None


@pytest.mark.parametrize("codename", ["bookworm", "noble"])
def test_a_qemu_too_old_for_cargo_is_refused_with_what_to_install(monkeypatch, codename):
    """QEMU 7.2 (Debian 12's) hangs cargo under emulation: the workshop stops before using it
    and says what to install, from bookworm-backports on Debian 12."""
    module = import_workshop()
    arm64 = module.ARCHES["arm64"]
    monkeypatch.setattr(module.host, "binfmt_enabled", lambda entry: True)
    monkeypatch.setattr(module, "qemu_version", lambda entry, arch: (7, 2))
    monkeypatch.setattr(module, "debian_codename", lambda: codename)
    monkeypatch.setattr(module, "may_change_host", lambda: False)
    with pytest.raises(module.Stop) as stopped:
        module.check_emulation(arm64)
    message = " ".join(stopped.value.message.split())
    assert "QEMU 7.2 emulates arm64, and cargo hangs under QEMU older than 8" in message
    if codename == "bookworm":
        assert "deb http://deb.debian.org/debian bookworm-backports main" in message
        assert "apt-get install --yes -t bookworm-backports qemu-user-static" in message
    else:
        assert "install QEMU 8 or newer" in message
    monkeypatch.setattr(module, "qemu_version", lambda entry, arch: (10, 0))
    module.check_emulation(arm64)  # recent enough: nothing to say
