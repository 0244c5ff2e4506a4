"""Show what changes from one stage to the next, and count it.

Usage: python tools/stage_diff.py [--tests] [--count-only] stages/v3-pyo3 [...]

For each stage given, the previous stage (by number) is compared with it, file by file:
everything under src/ (a `#[cfg(test)]` module there included: it is part of the file a reader
reads), the Python package, the headers and the build files. The package name of the previous
stage is replaced by the stage's own (`hello_cffi` → `hello_pyo3`, in every spelling), so that a
renamed package does not hide the lines that really change. With --tests, tests/ (the pytest
suites and the Rust tests that link the crate), the exercise checks and the solutions are
compared too. Lock files and READMEs never are: a lock is generated, a README is prose about the
change, not the change.

The count is the number of changed lines, both sides counted: a line removed from the previous
stage counts once, a line added to the stage counts once, so a rewritten line counts twice.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What the lesson is made of: the sources, the package and the files that build them.
SOURCE_FOLDERS = ("src", "python", "include")
BUILD_FILES = (
    "Cargo.toml",
    "pyproject.toml",
    "Makefile",
    "setup.py",
    "MANIFEST.in",
    "cbindgen.toml",
    "example.py",
)
# On request: how the lesson is checked.
TEST_FOLDERS = ("tests", "exercises", "solutions")
NEVER = re.compile(r"(\.lock$|__pycache__|\.pyc$|\.so$|\.egg-info)")


def previous_stage(stage: Path) -> Path | None:
    number = int(stage.name[1:].split("-", 1)[0])
    before = sorted(stage.parent.glob(f"v{number - 1}-*"))
    return before[0] if before else None


def package_name(stage: Path) -> str:
    """The Python distribution name, from pyproject.toml, in its underscore spelling."""
    project = tomllib.loads((stage / "pyproject.toml").read_text())["project"]
    return project["name"].replace("-", "_")


def compared_files(stage: Path, tests: bool) -> set[str]:
    folders = SOURCE_FOLDERS + (TEST_FOLDERS if tests else ())
    files = {name for name in BUILD_FILES if (stage / name).is_file()}
    for folder in folders:
        for path in (stage / folder).rglob("*"):
            relative = path.relative_to(stage).as_posix()
            if path.is_file() and not NEVER.search(relative):
                files.add(relative)
    return files


def normalize(text: str, old: str, new: str) -> str:
    """Spell the previous stage's package name as the stage's own, in each of its forms."""
    for before, after in (
        (old, new),
        (old.replace("_", "-"), new.replace("_", "-")),
        (old.upper(), new.upper()),
    ):
        text = text.replace(before, after)
    return text


def stage_diff(stage: Path, tests: bool = False) -> tuple[list[str], int, int]:
    """The unified diff from the previous stage to `stage`, and its removed and added lines.

    Both stages' files are copied, normalized, into a temporary folder and compared there with
    `diff -ruN`, which finds a shortest diff (Python's difflib does not).
    """
    before = previous_stage(stage)
    if before is None:
        raise SystemExit(f"{stage.name} is the first stage: there is nothing to compare it with")
    old_name, new_name = package_name(before), package_name(stage)
    with tempfile.TemporaryDirectory(prefix="stage-diff-") as tmp:
        for side, folder, names in (
            (before.name, before, compared_files(before, tests)),
            (stage.name, stage, compared_files(stage, tests)),
        ):
            for name in names:
                copy = Path(tmp, side, normalize(name, old_name, new_name))
                copy.parent.mkdir(parents=True, exist_ok=True)
                text = (folder / name).read_text()
                copy.write_text(normalize(text, old_name, new_name))
            Path(tmp, side).mkdir(exist_ok=True)
        # diff exits 1 when the trees differ: that is the expected case, 2 is trouble.
        result = subprocess.run(
            ["diff", "-ruN", before.name, stage.name],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode > 1:
        raise SystemExit(result.stderr)
    # The copies' modification times are noise: keep only the names on the ---/+++ lines.
    lines = [re.sub(r"^((---|\+\+\+) \S+)\t.*", r"\1", line) for line in result.stdout.splitlines()]
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("--- "))
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++ "))
    return lines, removed, added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stages", nargs="+", type=Path)
    parser.add_argument("--tests", action="store_true", help="also tests, exercises, solutions")
    parser.add_argument("--count-only", action="store_true", help="print only the counts")
    args = parser.parse_args()
    for stage in args.stages:
        stage = stage.resolve()
        if previous_stage(stage) is None:
            print(f"{stage.name} is the first stage: there is nothing to compare it with")
            continue
        lines, removed, added = stage_diff(stage, args.tests)
        if not args.count_only:
            print("\n".join(lines))
        what = "src/, package, headers, build files" + (", tests" if args.tests else "")
        print(
            f"{previous_stage(stage).name} -> {stage.name} ({what}): "
            f"{removed + added} changed lines ({removed} removed, {added} added)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
