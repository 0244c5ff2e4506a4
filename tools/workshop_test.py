"""`make workshop-test`: the dev container tested as a learner would use it, from a fresh clone.

1. Clone the current commit into a temporary folder: no build output of this checkout comes along.
2. Build the image from the clone (tools/workshop.py), and start a container of it with the
   clone mounted, as `make workshop` does.
3. In it, run the stages' tests and notebooks 01 to 04 (`make stage-1 ... stage-4 test`).
4. Start JupyterLab in it and drive it with Debian's headless Chromium (tools/workshop_browser.py):
   open notebook 01, clear its outputs, run its first four cells, read the fourth one's output.
   The screenshot is kept under target/workshop-test/.

With `make ARCH=arm64 workshop-test` on an x86_64 machine (or amd64 on an arm64 one) the image
is built for the other architecture and runs under QEMU: step 3 runs stages 1 to 3's own tests
only, and step 4 is left out, emulation being some ten times slower.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

from docker_test.common import Arch, Stop, command, is_root, may_change_host, relative
from workshop import (
    JUPYTER,
    build_image,
    fresh_clone,
    run_args,
    temporary_folder,
    timestamp,
    wait_for_lab,
)

BROWSER_PACKAGES = {"chromium": "/usr/bin/chromium", "chromium-driver": "/usr/bin/chromedriver"}
ALL_STAGES = ["stage-1", "stage-2", "stage-3", "stage-4"]
EMULATED_STAGES = ["stages/v1-ctypes", "stages/v2-cffi", "stages/v3-pyo3"]


def run_test(repo: Path, arch: Arch, port: int, base: str | None) -> int:
    started = time.monotonic()
    artefacts = repo / "target" / "workshop-test" / f"{timestamp()}-{arch.name}"
    artefacts.mkdir(parents=True)
    print(f"Logs and screenshot: {relative(artefacts)}")
    browser = None if arch.emulated else browser_environment(repo, artefacts)
    times: dict[str, float] = {}
    temporary = temporary_folder()
    container = f"rust-python-stages-workshop-test-{os.getpid()}"
    try:
        clone = fresh_clone(repo, temporary)
        lap = time.monotonic()
        image = build_image(clone, arch, base, log=artefacts / "image.log")
        times["image"] = time.monotonic() - lap

        token = secrets.token_hex(24)
        docker = ["docker", "run", "--detach", "--init", "--name", container]
        if browser:
            docker += ["--publish", f"127.0.0.1:{port}:8888", "--env", f"JUPYTER_TOKEN={token}"]
        # A fresh HOME, no volume: cargo downloads and builds everything, as on a first day.
        docker += [*run_args(clone, arch, home_volume=None), image, "sleep", "infinity"]
        command(docker, log=artefacts / "container.log")

        lap = time.monotonic()
        if arch.emulated:
            each = [f"make -C {stage} test PYTHON=$VENV/bin/python" for stage in EMULATED_STAGES]
            tests = ["bash", "-ec", "\n".join(each)]
        else:
            tests = ["make", *ALL_STAGES, "test"]
        print(f"In the container: {' '.join(tests)}", flush=True)
        command(["docker", "exec", container, *tests], log=artefacts / "tests.log")
        times["tests"] = time.monotonic() - lap

        if browser:
            lap = time.monotonic()
            lab = ["docker", "exec", "--detach", container, *JUPYTER]
            command(lab)
            wait_for_lab(port, token)
            screenshot = artefacts / "notebook-01.png"
            drive = [str(browser), str(repo / "tools" / "workshop_browser.py")]
            drive += [f"http://127.0.0.1:{port}", token, str(screenshot)]
            print("Headless Chromium: notebook 01 in JupyterLab", flush=True)
            driven = subprocess.run(drive)
            print(f"Screenshot: {screenshot}")
            times["browser"] = time.monotonic() - lap
            if driven.returncode != 0:
                raise Stop(f"the browser did not read the expected output ({screenshot}).")
    finally:
        subprocess.run(["docker", "rm", "--force", container], capture_output=True)
        shutil.rmtree(temporary, ignore_errors=True)
    total = time.monotonic() - started
    spent = ", ".join(f"{name} {seconds / 60:.1f}" for name, seconds in times.items())
    print(f"workshop-test ({arch.name}) passed in {total / 60:.1f} min from a fresh clone ", end="")
    print(f"(minutes: {spent}).")
    return 0


def browser_environment(repo: Path, artefacts: Path) -> Path:
    """Debian's chromium and chromedriver, and Selenium in a virtual environment of its own."""
    missing = [p for p, path in BROWSER_PACKAGES.items() if not Path(path).exists()]
    if missing:
        install = ["apt-get", "install", "--yes", "--no-install-recommends", *missing]
        if not (shutil.which("apt-get") and may_change_host() and is_root()):
            raise Stop(
                "the browser test drives Debian's Chromium through its WebDriver: install "
                f"{' and '.join(missing)} (`sudo apt-get update && sudo {' '.join(install)}`), "
                "or run with SETUP_HOST=1 as root to let it do so."
            )
        command(["apt-get", "update"], log=artefacts / "apt.log")
        command(install, log=artefacts / "apt.log")
    venv = repo / "target" / "workshop-test" / "venv"
    lock = repo / "tools" / "workshop-test.txt"
    stamp = venv / "installed-lock.txt"
    if not stamp.exists() or stamp.read_text() != lock.read_text():
        command([sys.executable, "-m", "venv", "--clear", str(venv)])
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        command([*pip, "--require-hashes", "--only-binary=:all:", "-r", str(lock)])
        stamp.write_text(lock.read_text())
    return venv / "bin" / "python"
