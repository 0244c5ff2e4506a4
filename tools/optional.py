"""The optional pieces: whether this machine has each one, and what is left out without it.

`make demo` and `make test` need only what the README's "What you need" lists. A few parts of
the repository use more, and on a machine without it they are left out, saying so in one line:

- Go, for the Go journey's row in the comparison (`make bench`, notebook 05);
- the aarch64 Rust target, for cross-building wheels (notebook 05's cross-build section, stage
  3's cross-build test, `make docker-test`);
- Docker and arm64 emulation (QEMU), for `make docker-test` alone.

Everything that uses one asks here, so the same things are left out everywhere. Standard
library only: `make doctor` runs it before .venv exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

AARCH64 = "aarch64-unknown-linux-gnu"


def go_missing() -> str | None:
    """Why Go cannot be used here, or None when it can."""
    if shutil.which("go") is None:
        return "no `go` on PATH (Debian/Ubuntu: sudo apt-get install golang-go)"
    return None


def rust_target_missing(target: str = AARCH64) -> str | None:
    """Why cargo cannot build for `target` here, or None when it can.

    The test is the one rustc itself makes: the target's standard library in rustc's sysroot.
    It holds whether Rust came from rustup (`rustup target add`) or from a distribution's
    packages (Debian: libstd-rust-dev-<arch>), where `rustup` does not exist.
    """
    if shutil.which("rustc") is None:
        return "no `rustc` on PATH"
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if sysroot and (Path(sysroot) / "lib" / "rustlib" / target / "lib").is_dir():
        return None
    how = f"rustup target add {target}" if shutil.which("rustup") else "install its std library"
    return f"no {target} Rust target ({how})"


def arm64_emulation_missing() -> str | None:
    """Why arm64 programs cannot run here, or None when they can (natively or under QEMU)."""
    if os.uname().machine == "aarch64":
        return None
    entry = Path("/proc/sys/fs/binfmt_misc/qemu-aarch64")
    if entry.exists() and "enabled" in entry.read_text():
        return None
    return (
        "no arm64 emulation (sudo apt-get install qemu-user-static binfmt-support, "
        "or make SETUP_HOST=1 docker-test)"
    )
