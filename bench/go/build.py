"""Builds the Go reference library (hello.go) with cgo into a folder of the caller's choosing.

    python bench/go/build.py OUT_DIR [--target aarch64]
    python3 bench/go/build.py --setup-host    install what the comparison needs (CI)

``go`` must be on PATH (Debian: ``apt-get install golang-go``); without it, :func:`missing`
says why and what to install, and the comparison leaves the Go row out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIBRARY_NAME = "libhello_go.so"
# GOARCH for each target machine, and the zig target that links for it.
TARGETS = {"aarch64": ("arm64", "aarch64-linux-gnu")}

# tools/optional.py: what the optional pieces are, asked the same way everywhere.
sys.path.insert(0, str(HERE.parents[1] / "tools"))
from optional import AARCH64, go_missing, rust_target_missing  # noqa: E402


def missing() -> str | None:
    """Why the Go library cannot be built here, or None when it can."""
    return go_missing()


def go_version() -> str:
    return subprocess.run(
        ["go", "env", "GOVERSION"], capture_output=True, text=True, check=True
    ).stdout.strip()


def zig_cc_wrapper(folder: Path, zig_target: str) -> Path:
    """A C compiler command for cgo: zig's clang, linking against zig's glibc for the target.

    cgo takes CC as one program (it appends its own flags), so the zig invocation goes in a
    script; zig comes from the ziglang wheel in the tool environment (requirements-dev.in).
    """
    script = folder / f"zig-cc-{zig_target}"
    script.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m ziglang cc -target {zig_target} "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def build(out_dir: Path, target: str | None = None) -> Path:
    """Builds libhello_go.so (stripped, -trimpath) into ``out_dir``; returns its path."""
    reason = missing()
    if reason:
        raise RuntimeError(reason)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CGO_ENABLED": "1", "GOFLAGS": "-mod=mod"}
    # Go's build cache goes to the user's cache folder by default; keep it where CI can find it.
    env.setdefault("GOCACHE", str(Path.home() / ".cache" / "go-build"))
    if target:
        goarch, zig_target = TARGETS[target]
        env.update(GOOS="linux", GOARCH=goarch, CC=str(zig_cc_wrapper(out_dir, zig_target)))
    library = out_dir / LIBRARY_NAME
    subprocess.run(
        # -s: no symbol table, as the Rust wheels ship stripped libraries; -trimpath: no paths
        # of this machine inside the library.
        ["go", "build", "-buildmode=c-shared", "-trimpath", "-ldflags=-s -w", "-o", str(library)],
        cwd=HERE,
        env=env,
        check=True,
    )
    return library


def setup_host() -> None:
    """Installs Go (Debian's golang-go) and the aarch64 Rust target where they are missing.

    As docker-test does: the machine is changed only in CI (CI=true) or when asked
    (SETUP_HOST=1); otherwise the commands are printed, and the comparison runs without them
    (no Go row; no aarch64 builds).
    """
    changes = []
    if missing():
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        changes.append([*sudo, "apt-get", "update"])
        apt = ["apt-get", "install", "--yes", "--no-install-recommends", "golang-go"]
        changes.append([*sudo, *apt])
    # Without rustup (no Rust, or a distribution's Rust), make doctor says what to do.
    if shutil.which("rustup") is not None and rust_target_missing(AARCH64):
        changes.append(["rustup", "target", "add", AARCH64])
    if not changes:
        return
    allowed = os.environ.get("CI") == "true" or os.environ.get("SETUP_HOST") == "1"
    if not allowed or not shutil.which("apt-get") and any("apt-get" in c for c in changes):
        print("The comparison's Go row and aarch64 builds need (CI=true or SETUP_HOST=1 runs it):")
        for change in changes:
            print("    " + " ".join(change))
        return
    for change in changes:
        print("Setting up: " + " ".join(change), flush=True)
        if "apt-get" in change:  # wait for another apt or dpkg to finish instead of failing
            at = change.index("apt-get") + 1
            change = [*change[:at], "-o", "DPkg::Lock::Timeout=600", *change[at:]]
        subprocess.run(change, check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, nargs="?")
    parser.add_argument("--target", choices=sorted(TARGETS))
    parser.add_argument("--setup-host", action="store_true")
    args = parser.parse_args()
    if args.setup_host:
        setup_host()
        return
    if args.out_dir is None:
        parser.error("OUT_DIR is required")
    reason = missing()
    if reason:
        sys.exit(f"Go row skipped: {reason}")
    print(build(args.out_dir, args.target))


if __name__ == "__main__":
    main()
