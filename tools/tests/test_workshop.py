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
