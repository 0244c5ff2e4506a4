"""Run a test command unless it passed before on the same inputs, as `go test` caches results.

Usage: python tools/test_cache.py NAME --inputs PATH [PATH ...] [--force] -- COMMAND ...

`make test` runs each stage's suite and the comparison through this. The first run records,
in <cargo target folder>/test-cache/NAME.json, a digest of what the command's result depends on:

- every file under the inputs that git does not ignore (outside a git checkout: every file but
  build outputs and caches), by content;
- the environment variables that a Makefile among the inputs lets the caller set (`NAME ?=`,
  such as stage 4's FERROJWT_FUZZ_EXAMPLES);
- this Python (version and environment), rustc's version, which optional pieces this machine
  has (tools/optional.py) and where PATH finds each program a suite looks for (PROBED): a test
  that skipped without Go, objdump or another Python must run once it is there;
- the files installed for each package among the inputs (its RECORD): after `make develop` or
  `make check`, .venv holds another build, and the suite runs again.

While the digest stays the same, a second run prints that the command passed before and does
not run it. A failed run records nothing. --force (`make test FRESH=1`) runs it anyway.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import datetime
from pathlib import Path

from check_solutions import ignored  # build outputs and caches, where git cannot say
from optional import arm64_emulation_missing, go_missing, rust_target_missing

ROOT = Path(__file__).resolve().parents[1]
RECORDS = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "test-cache"
# Programs the suites look for on PATH (`shutil.which`), skipping tests without them; a test in
# tools/tests checks that every name the tests ask for is here.
PROBED = ("cargo", "go", "objdump", *(f"python3.{minor}" for minor in range(8, 16)))
MAKE_SETTING = re.compile(r"^(?:export\s+)?([A-Z][A-Z0-9_]*)\s*\?=", re.MULTILINE)


def input_files(root: Path, inputs: list[Path]) -> list[Path]:
    """The files under `inputs` that are sources: tracked, or new and not ignored."""
    if shutil.which("git") and (root / ".git").exists():
        git = ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others"]
        listed = subprocess.run(
            [*git, "--exclude-standard", "--", *map(str, inputs)], capture_output=True, check=True
        ).stdout
        # A tracked file deleted from the working tree is listed, and is not an input any more.
        files = {root / name for name in listed.decode().split("\0") if name}
        return sorted(path for path in files if path.is_file())
    files: list[Path] = []
    for base in (root / path for path in inputs):
        candidates = [base] if base.is_file() else base.rglob("*")
        for path in candidates:
            if path.is_file() and not ignored(path.relative_to(root)):
                files.append(path)
    return sorted(files)


def installed_record(pyproject: Path) -> str:
    """What this environment has installed of the package `pyproject` builds."""
    name = tomllib.loads(pyproject.read_text()).get("project", {}).get("name")
    if name is None:
        return "no [project]"
    try:
        return importlib.metadata.distribution(name).read_text("RECORD") or "no RECORD"
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def digest(root: Path, inputs: list[Path]) -> str:
    hasher = hashlib.sha256()
    settings: set[str] = set()
    for path in input_files(root, inputs):
        content = path.read_bytes()
        hasher.update(str(path.relative_to(root)).encode() + b"\0" + content + b"\0")
        if path.name == "Makefile":
            settings.update(MAKE_SETTING.findall(content.decode()))
        if path.name == "pyproject.toml":
            hasher.update(installed_record(path).encode())
    for name in sorted(settings):
        hasher.update(f"{name}={os.environ.get(name)}\0".encode())
    rustc = subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout
    pieces = [go_missing(), rust_target_missing(), arm64_emulation_missing()]
    # Resolved: a PATH of links to the same programs (tools/bare.py makes one per run) is the same.
    programs = [found and os.path.realpath(found) for found in map(shutil.which, PROBED)]
    hasher.update(f"{sys.version}\0{sys.prefix}\0{rustc}\0{pieces}\0{programs}".encode())
    return hasher.hexdigest()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="what the command tests, e.g. stages/v4-jwt")
    parser.add_argument("--inputs", nargs="+", type=Path, required=True)
    parser.add_argument("--force", action="store_true", help="run even if it passed before")
    parser.add_argument("--root", type=Path, default=ROOT, help="what the inputs are relative to")
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        parser.error("no command: give it after --")
    split = argv.index("--")
    args, command = parser.parse_args(argv[:split]), argv[split + 1 :]
    record = RECORDS / (args.name.replace("/", "-") + ".json")
    key = digest(args.root, args.inputs)
    if not args.force and record.exists():
        before = json.loads(record.read_text())
        if before["digest"] == key:
            print(
                f"{args.name}: passed before on these inputs ({before['finished']}, "
                f"{before['seconds']:.0f} s); not run again (FRESH=1 runs it)"
            )
            return 0
    started = time.monotonic()
    returncode = subprocess.run(command).returncode
    record.unlink(missing_ok=True)
    if returncode == 0:
        record.parent.mkdir(parents=True, exist_ok=True)
        # The digest as it is now: the command may have installed a new build of the package.
        entry = {
            "digest": digest(args.root, args.inputs),
            "command": command,
            "finished": datetime.now().strftime("%Y-%m-%d %H:%M"),
            "seconds": round(time.monotonic() - started, 1),
        }
        record.write_text(json.dumps(entry, indent=2) + "\n")
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
