"""One cell of the docker-test matrix, run inside the container (or chroot) of one architecture.

run.py starts it with the image's own python3.X and these folders mounted:

    /repo        the repository, read-only (the stage's tests and the notebooks)
    /wheelhouse  wheels of the test tools for this architecture, read-only (pip is one of them)
    /dist        the stage's wheel, cross-built on the host, read-only
    /out         this cell's log folder: result.json is written there

No compiler runs and nothing is downloaded: pip installs only wheels, from /wheelhouse.
Standard library only: it runs on the image's Python (3.11 to 3.15) before anything is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

REPO = Path("/repo")
WHEELHOUSE = Path("/wheelhouse")
# Writable scratch space, not under /tmp: notebooks/sanitize.cfg rewrites every /tmp/... path,
# which would hide the `<site-packages>/` and `<repo>/stages/` that the notebooks' outputs show.
SCRATCH = Path("/scratch")
WORK = SCRATCH / "work"
VENV = SCRATCH / "venv"
HOME = SCRATCH / "home"
# Build outputs and caches stay behind: the tests must use the installed wheel, nothing else.
NOT_COPIED = shutil.ignore_patterns(
    "target", "dist", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, help="stage folder, relative to /repo")
    parser.add_argument("--wheel", required=True, type=Path, help="the stage's wheel")
    parser.add_argument("--notebook", help="the stage's notebook, relative to /repo")
    parser.add_argument("--requirement", action="append", default=[], help="a test tool")
    parser.add_argument(
        "--group", default="test", help="the stage's dependency group (pyproject.toml) to add"
    )
    parser.add_argument("--out", type=Path, default=Path("/out"))
    args = parser.parse_args()

    # Jupyter writes its kernel connection files under $HOME, which must not be the image's.
    HOME.mkdir(parents=True, exist_ok=True)
    os.environ["HOME"] = str(HOME)

    # What `uname -m` prints: the machine the kernel (or QEMU, under emulation) presents.
    result = {"machine": os.uname().machine, "python": platform.python_version()}
    print(f"uname -m: {result['machine']}, Python {result['python']}", flush=True)

    # The tests and the notebook run from a writable copy: /repo is read-only, and pytest and
    # hypothesis write caches next to the files they run. All the stages' sources come along:
    # a notebook may print the previous stage's code beside its own (notebook 03 shows that
    # stages 2 and 3 compile the same core.rs), and the notebooks' conftest.py imports
    # tools/optional.py.
    for folder in ("stages", "notebooks", "tools"):
        shutil.copytree(REPO / folder, WORK / folder, ignore=NOT_COPIED)
    stage_dir = WORK / args.stage

    # A fresh environment without pip (Debian's python3 has none): pip installs itself into it
    # from a wheel in the wheelhouse, byte-compiled, so that each later pip starts quickly. Any
    # pip wheel can run that install; the pip it installs must read dependency groups (25.1).
    started = time.monotonic()
    venv.create(VENV, with_pip=False)
    python = str(VENV / "bin" / "python")
    pip_wheel = sorted(WHEELHOUSE.glob("pip-*.whl"))[-1]
    offline = ["--no-index", "--find-links", str(WHEELHOUSE), "--disable-pip-version-check"]
    ok = step("pip", [python, str(pip_wheel / "pip"), "install", *offline, "pip>=25.1"])
    # --only-binary: no C compiler runs here. pip still byte-compiles what it installs, as it
    # does for users, although that takes a minute under emulation: without the .pyc files,
    # every import compiles on the fly and changes what the notebooks measure (stage 2's memory).
    pip_install = [python, "-m", "pip", "install", *offline, "--only-binary=:all:"]
    # pip reads the stage's [dependency-groups] itself, include-group and all.
    group = f"{stage_dir / 'pyproject.toml'}:{args.group}"
    ok = ok and step("test tools", [*pip_install, *args.requirement, "--group", group])
    result["setup_seconds"] = time.monotonic() - started

    # The measurement the matrix reports: installing the wheel and its runtime dependencies.
    started = time.monotonic()
    ok = ok and step("wheel", [*pip_install, str(args.wheel)])
    result["install_seconds"] = time.monotonic() - started

    result["installed"] = ok
    if result["installed"]:
        # cargo is absent here, so the tests marked `toolchain` skip themselves.
        started = time.monotonic()
        pytest = [python, "-m", "pytest", "-p", "no:cacheprovider", "-ra"]
        result["tests_passed"] = step("tests", pytest, cwd=stage_dir)
        result["tests_seconds"] = time.monotonic() - started
        ok = ok and result["tests_passed"]
    if result["installed"] and args.notebook:
        # From notebooks/, whose pytest.ini turns nbval on with this interpreter as the kernel.
        started = time.monotonic()
        notebook = [python, "-m", "pytest", Path(args.notebook).name]
        result["notebook_passed"] = step("notebook", notebook, cwd=WORK / "notebooks")
        result["notebook_seconds"] = time.monotonic() - started
        ok = ok and result["notebook_passed"]

    (args.out / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if ok else 1


def step(name: str, command: list[str], cwd: Path | None = None) -> bool:
    """Run one step, its output going to this cell's log; say whether it succeeded."""
    print(f"\n=== {name}: {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=cwd).returncode == 0


if __name__ == "__main__":
    sys.exit(main())
