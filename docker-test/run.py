#!/usr/bin/env python3
"""Cross-build each stage's wheel for amd64 and arm64, then test it on each (the architecture
that is not the host's under QEMU) with each Python version, from Debian's own python3.X:
3.11 (bookworm), 3.13 (trixie), 3.14 (forky) and 3.15 (sid).

    make docker-test                 every stage (the root Makefile calls this script)
    make stage-1 docker-test         one stage
    .venv/bin/python docker-test/run.py stages/v1-ctypes
    .venv/bin/python docker-test/run.py --prefetch    download what the cells need, run nothing

Settings, as environment variables:

    ARCHES=amd64,arm64      architectures to build and test
    PYTHONS=3.11,3.13,3.14,3.15
                            Python versions to test with, each on its Debian release
    EMULATED_PYTHONS=...    the Python versions the emulated architecture is tested with
                            (default: all of PYTHONS); CI uses 3.15 to keep within its time
    JOBS=1                  how many cells run at once; CI uses 2, one per core of its
                            machine
    RUNNER=auto             docker, chroot (no Docker engine; needs root), or auto: docker if
                            an engine answers, chroot otherwise
    BASE_IMAGE=auto         official (python:<version>-slim-<release> from Docker Hub, only for
                            3.11 and 3.13), local (Debian root filesystems built here with
                            mmdebstrap), or auto: official if they can all be pulled, local
                            otherwise
    SETUP_HOST=1            allow docker-test to change the host: apt-get install, mounting
                            binfmt_misc, update-binfmts (as root), rustup target add. CI=true
                            allows it too. Otherwise it prints the commands to run and exits 1.
    OFFLINE=1               no network: everything must be in the caches (see --prefetch)
    DEBIAN_MIRROR=...       where mmdebstrap downloads Debian packages
    LOGS=docker-test/logs/<time>   where every step and cell writes its log

Steps: check the host, cross-build the wheels on the host (once per architecture: the same wheel
serves every Python version), download the test tools' wheels for each architecture and Python
version, prepare one base image (or root filesystem) for each, then run one cell per
architecture, Python version and stage: install the wheel offline, run the stage's tests and
notebook. Exits 1 if any cell fails, or if the host lacks something (with a message saying what
to do). --prefetch does the downloads only (wheelhouses, Rust targets, base images), so that a
later run needs no network. Python 3.11 or newer, standard library only.
"""

import sys
from pathlib import Path

# The package next to this file; `python docker-test/run.py` puts this folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docker_test.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
