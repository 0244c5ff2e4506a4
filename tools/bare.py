"""Run a command as on a machine that has only what the README's "What you need" lists.

    python3 tools/bare.py make demo test

The optional pieces (tools/optional.py) that this machine has are hidden from the command, and
from it alone (other programs running meanwhile keep them):

- Go: the command's PATH finds no `go` or `gofmt` (each PATH folder that holds one is replaced
  by a folder of links to everything else in it);
- the aarch64 Rust target: the command runs a private copy of the current rustup toolchain,
  made of hard links (no disk space, no download), without that target's standard library.
  rustc finds its standard libraries next to itself, so the copy really cannot build for it.

CI runs the README's two commands this way, because its machine has both installed. Standard
library only, like tools/doctor.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from optional import AARCH64, go_missing, rust_target_missing

GO_PROGRAMS = {"go", "gofmt"}


def path_without_go(scratch: Path) -> str:
    """PATH with every folder that holds a Go program replaced by links to the rest of it."""
    folders = []
    for number, entry in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
        folder = Path(entry)
        if not any((folder / program).exists() for program in GO_PROGRAMS):
            folders.append(entry)
            continue
        links = scratch / f"path-{number}"
        links.mkdir()
        for item in folder.iterdir():
            if item.name not in GO_PROGRAMS:
                (links / item.name).symlink_to(item)
        folders.append(str(links))
    return os.pathsep.join(folders)


def toolchain_without(target: str, scratch: Path) -> tuple[str, Path]:
    """A rustup toolchain linked to a hard-link copy of the current one, minus `target`."""
    sysroot = Path(
        subprocess.run(
            ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    copy = scratch / "toolchain"
    # cp -al: a tree of hard links, made in a second; a file system without hard links between
    # these folders gets a real copy instead (slower, and it needs the space).
    if subprocess.run(["cp", "-al", str(sysroot), str(copy)], capture_output=True).returncode:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(sysroot, copy, symlinks=True)
    shutil.rmtree(copy / "lib" / "rustlib" / target)
    name = f"bare-{os.getpid()}"
    subprocess.run(["rustup", "toolchain", "link", name, str(copy)], check=True)
    return name, copy


def main() -> int:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    env = dict(os.environ)
    toolchain = None
    with tempfile.TemporaryDirectory(prefix="bare-") as scratch_name:
        scratch = Path(scratch_name)
        try:
            if go_missing() is None:
                env["PATH"] = path_without_go(scratch)
                print("bare: Go hidden (a PATH without go and gofmt)", flush=True)
            if rust_target_missing(AARCH64) is None:
                if shutil.which("rustup") is None:
                    print(f"bare: cannot hide {AARCH64} without rustup; it stays", flush=True)
                else:
                    toolchain, _ = toolchain_without(AARCH64, scratch)
                    env["RUSTUP_TOOLCHAIN"] = toolchain
                    print(f"bare: {AARCH64} hidden (toolchain {toolchain})", flush=True)
            return subprocess.run(sys.argv[1:], env=env).returncode
        finally:
            if toolchain:
                subprocess.run(["rustup", "toolchain", "uninstall", toolchain], check=False)


if __name__ == "__main__":
    sys.exit(main())
