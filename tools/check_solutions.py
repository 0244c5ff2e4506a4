"""Prove that a stage's exercise checks test their lesson and that its solutions pass them.

Usage: python tools/check_solutions.py [--force] [--working-tree] [--full] stages/v1-ctypes ...

For each stage, on the stage as committed (git HEAD; --working-tree: the files as they are):

1. pristine: the stage as shipped, built; every exercise check fails (one that passes would
   check nothing, and fails the proof).
2. each solution alone: solutions/NN-*.patch applied to the pristine stage by itself, as a
   stuck learner applies it: exercise NN's checks pass and every other exercise's still fail.
   The stage's notebook passes (--full: the stage's tests too).
3. all solutions in order: every check passes, and so do the stage's tests (`cargo test`, and
   pytest on the solved package, leaving out the `toolchain` tests that build the stage again
   from its sources) and its notebook. The exercises leave the lessons true.
4. each shortcut, solutions/shortcuts/NN-how.patch, a solution to exercise NN that skips its
   lesson (leaks, panics, trusts ctypes, computes in Python what the exercise asks of Rust...),
   applied on top of all the solutions: one of exercise NN's checks fails, and no other check.

Every build is the one `make check` makes (the stage's `make wheel PROFILE=dev`), installed
into a private folder on PYTHONPATH, never into the caller's environment. The stage is copied
into solutions/<stage>/repo/ in the cargo target folder (target/, or CARGO_TARGET_DIR), with the
other stages, the notebooks (which read them) and tools/optional.py (which their conftest reads):
one copy per stage, rewritten file by file, so that cargo, which decides what to rebuild from
modification times, compiles only the crate and only when a patch changed it; the dependencies
come from the repository's shared target folder.

A proof is recorded in solutions/<stage>/proof.json there, with a digest of everything it
depends on; while that digest stays the same, the stage is not proven again (--force does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The root Makefile's cargo target folder, which the workshop's container moves out of the
# repository with CARGO_TARGET_DIR.
WORK = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "solutions"
# What the work copy holds: every stage (a notebook may print another stage's code, as notebook
# 03 does stage 2's core.rs), the notebooks and their settings, and what notebooks/conftest.py
# imports.
EXPORTED = ["stages", "notebooks", "tools/optional.py"]
# What a proof reads besides the stage, the stages before it (a notebook may count or print
# them, as notebook 03 does stages 1 and 2) and the stage's own notebook: the notebooks'
# settings, what their conftest imports, this tool and the tool environment. A later stage or
# another notebook is not among them: editing one leaves this stage's proof standing.
SHARED_INPUTS = [
    "notebooks/conftest.py",
    "notebooks/pytest.ini",
    "notebooks/sanitize.cfg",
    "tools/optional.py",
    "tools/check_solutions.py",
    "requirements-dev.txt",
]
# Build outputs and caches: never copied, never compared.
IGNORED_NAMES = {
    "target",
    "dist",
    "build",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
}


def ignored(path: Path) -> bool:
    return any(part in IGNORED_NAMES or part.endswith(".egg-info") for part in path.parts)


# --- the sources: the committed tree or the working tree ------------------------------------


def in_git_checkout() -> bool:
    """Whether the proof can read the sources from git's HEAD (a clone of this repository)."""
    if shutil.which("git") is None:
        return False
    command = ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", "HEAD"]
    return subprocess.run(command, capture_output=True).returncode == 0


def export_sources(destination: Path, from_head: bool) -> None:
    """Writes EXPORTED as committed (git archive) or as it is on disk."""
    destination.mkdir(parents=True)
    if from_head:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD", *EXPORTED],
            capture_output=True,
            check=True,
        ).stdout
        archive_file = destination / "sources.tar"
        archive_file.write_bytes(archive)
        with tarfile.open(archive_file) as tar:
            tar.extractall(destination, filter="data")
        archive_file.unlink()
        return
    for path in EXPORTED:
        if (ROOT / path).is_file():
            (destination / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / path, destination / path)
            continue
        shutil.copytree(
            ROOT / path,
            destination / path,
            ignore=lambda _dir, names: [n for n in names if ignored(Path(n))],
        )


def uncommitted_changes(stage: Path) -> list[str]:
    """Files of the stage that differ from HEAD (a learner's exercise work, or a developer's)."""
    status = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", str(stage)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [line[3:] for line in status.splitlines()]


def digest(stage: Path, from_head: bool) -> str:
    """A digest of everything the proof depends on: sources, tools and the toolchain."""
    hasher = hashlib.sha256()
    number = int(stage.name[1])
    stages = [path for path in sorted((ROOT / "stages").glob("v*")) if int(path.name[1]) <= number]
    notebooks = sorted((ROOT / "notebooks").glob(f"0{number}-*.ipynb"))
    own = [str(path.relative_to(ROOT)) for path in (*stages, *notebooks)]
    inputs = [*SHARED_INPUTS, *own]
    if from_head:
        for path in inputs:
            tree = subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", f"HEAD:{path}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            hasher.update(f"{path} {tree}".encode())
    else:
        for path in inputs:
            base = ROOT / path
            files = [base] if base.is_file() else sorted(base.rglob("*"))
            for file in files:
                relative = file.relative_to(ROOT)
                if file.is_file() and not ignored(relative):
                    hasher.update(str(relative).encode() + b"\0" + file.read_bytes())
    toolchain = subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout
    hasher.update(f"{stage.name}\0{sys.version}\0{platform.machine()}\0{toolchain}".encode())
    return hasher.hexdigest()


# --- the work copy ---------------------------------------------------------------------------


def sync(source: Path, destination: Path) -> None:
    """Makes `destination` hold exactly `source`'s files, rewriting only those that differ.

    cargo rebuilds a crate when one of its files is newer than its last build: a file whose
    bytes did not change keeps its old modification time, so an unchanged crate is not rebuilt.
    """
    wanted = {
        p.relative_to(source) for p in source.rglob("*") if not ignored(p.relative_to(source))
    }
    if destination.exists():
        for path in sorted(destination.rglob("*"), reverse=True):
            relative = path.relative_to(destination)
            if ignored(relative):
                continue
            if relative not in wanted or path.is_dir() != (source / relative).is_dir():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    for relative in sorted(wanted):
        origin, target = source / relative, destination / relative
        if origin.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists() or target.read_bytes() != origin.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target)
            shutil.copymode(origin, target)


def forget_crate_build(stage: Path) -> None:
    """Removes the stage crate's dev-profile artifacts (its dependencies stay built).

    The copy and the stage are the same package to cargo (same name, same place relative to
    their workspace root), so they share the artifacts of the shared target folder: without
    this, a build of the real stage could take the copy's last build for an up-to-date one, and
    the other way round. Done before the first build of a proof and after the last.
    """
    package = tomllib.loads((stage / "Cargo.toml").read_text())["package"]["name"]
    clean = ["cargo", "clean", "--quiet", "--profile", "dev", "--package", package]
    subprocess.run(clean, cwd=stage, check=True)


@dataclass
class Proof:
    stage: Path  # the stage in the repository
    sources: Path  # EXPORTED as the proof reads them
    repo: Path  # the work copy: repo/stages/<all>, repo/notebooks
    scratch: Path
    lines: list[str] = field(default_factory=list)

    @property
    def copy(self) -> Path:
        return self.repo / "stages" / self.stage.name

    def notebook(self) -> str | None:
        number = self.stage.name[1]
        found = sorted((self.repo / "notebooks").glob(f"0{number}-*.ipynb"))
        return found[0].name if found else None

    def prepare(self, patches: list[Path], label: str) -> None:
        """The work copy becomes the pristine stage with `patches` applied, in order.

        Each patch must apply without fuzz (its context as written). Alone, or on top of the
        solutions it was made against (a shortcut), it must also apply at its own line numbers;
        in a series, the patches before it may shift it.
        """
        tree = self.scratch / "trees" / label
        shutil.copytree(self.sources / "stages" / self.stage.name, tree)
        for position, patch in enumerate(patches):
            done = subprocess.run(
                ["patch", "-p1", "--forward", "--no-backup-if-mismatch", "-i", str(patch)],
                cwd=tree,
                capture_output=True,
                text=True,
            )
            shifted = "offset" in done.stdout and (
                len(patches) == 1 or patch.parent.name == "shortcuts"
            )
            if done.returncode != 0 or "fuzz" in done.stdout or shifted:
                raise Failure(
                    f"{patch.name} does not apply cleanly to {label} (after {position} other "
                    f"patches):\n{done.stdout}{done.stderr}"
                )
        sync(tree, self.copy)
        shutil.rmtree(tree)

    def build(self, label: str) -> dict[str, str]:
        """The `make check` build of the work copy, installed privately; the environment for it."""
        dist = self.scratch / "dist" / label
        site = self.scratch / "site" / label
        make = ["make", "--no-print-directory", "-C", str(self.copy), "wheel", "PROFILE=dev"]
        done = subprocess.run(
            [*make, f"DIST={dist}", f"PYTHON={sys.executable}"], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise Failure(f"the build of {label} failed:\n{(done.stdout + done.stderr)[-4000:]}")
        wheels = [str(wheel) for wheel in dist.glob("*.whl")]
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", f"--target={site}"]
        subprocess.run([*pip, *wheels], check=True)
        return {**os.environ, "PYTHONPATH": str(site)}

    def checks(self, env: dict[str, str], label: str) -> dict[str, str]:
        """Each exercise check's outcome (passed/failed/skipped) against the build in `env`."""
        report = self.scratch / f"{label}.xml"
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "exercises"]
        subprocess.run(
            [*pytest, f"--junit-xml={report}"], cwd=self.copy, env=env, capture_output=True
        )
        outcomes = {}
        for case in ET.parse(report).iter("testcase"):
            name = case.get("name", "?")
            if case.find("failure") is not None or case.find("error") is not None:
                outcomes[name] = "failed"
            elif case.find("skipped") is not None:
                outcomes[name] = "skipped"
            else:
                outcomes[name] = "passed"
        return outcomes

    def run(self, what: str, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        """Runs one of the stage's own test commands; a failure shows its output's end."""
        started = time.monotonic()
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise Failure(f"{what} failed:\n{(done.stdout + done.stderr)[-6000:]}")
        self.lines.append(f"  {what}: passed ({time.monotonic() - started:.0f} s)")

    def stage_tests(self, env: dict[str, str], label: str) -> None:
        """The stage's own tests on the built copy: cargo test, then pytest."""
        self.run(f"{label}: cargo test", ["cargo", "test", "--quiet"], self.copy, env)
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"]
        # The `toolchain` tests build the stage again from its sources, in release mode: they
        # check the packaging, which no exercise touches, and run on the stage itself. The
        # `release_build` ones check what only the release profile makes, which this dev build
        # is not.
        pytest += ["-m", "not toolchain and not release_build"]
        self.run(f"{label}: pytest", pytest, self.copy, env)

    def notebook_test(self, env: dict[str, str], label: str) -> None:
        notebook = self.notebook()
        if notebook is None:
            return
        pytest = [sys.executable, "-m", "pytest", "-q", notebook]
        self.run(f"{label}: {notebook}", pytest, self.repo / "notebooks", env)


class Failure(Exception):
    """A proof that did not hold: the message says which and why."""


def exercise_of(check: str) -> int:
    """test_exercise_3_count_ones -> 3."""
    return int(check.removeprefix("test_exercise_").split("_", 1)[0])


def prove(stage: Path, from_head: bool, full: bool) -> list[str]:
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix=f"solutions-{stage.name}-"))
    proof = Proof(stage, scratch / "sources", WORK / stage.name / "repo", scratch)
    try:
        export_sources(proof.sources, from_head)
        shipped = proof.sources / "stages" / stage.name
        patches = sorted((shipped / "solutions").glob("*.patch"))
        shortcuts = sorted((shipped / "solutions" / "shortcuts").glob("*.patch"))
        if not patches:
            return [f"{stage.name}: no solutions to check"]
        # The other stages and the notebooks as they are; this stage is written per proof step.
        for other in sorted((proof.sources / "stages").iterdir()):
            if other.name != stage.name:
                sync(other, proof.repo / "stages" / other.name)
        sync(proof.sources / "notebooks", proof.repo / "notebooks")
        sync(proof.sources / "tools", proof.repo / "tools")
        proof.prepare([], "pristine")
        forget_crate_build(proof.copy)

        # 1. Pristine: every check fails.
        pristine = proof.checks(proof.build("pristine"), "pristine")
        if not pristine:
            raise Failure("the exercise checks collected nothing")
        passing = sorted(name for name, outcome in pristine.items() if outcome != "failed")
        if passing:
            raise Failure(f"these checks do not fail on the stage as shipped: {passing}")
        proof.lines.append(f"  pristine: {len(pristine)} checks fail")

        # 2. Each solution alone.
        for patch in patches:
            number = int(patch.name.split("-", 1)[0])
            label = f"{patch.stem}-alone"
            proof.prepare([patch], label)
            env = proof.build(label)
            outcomes = proof.checks(env, label)
            wrong = sorted(
                name
                for name, outcome in outcomes.items()
                if (outcome == "passed") != (exercise_of(name) == number)
            )
            if wrong or len(outcomes) != len(pristine):
                raise Failure(
                    f"with {patch.name} alone, exercise {number}'s checks must pass and every "
                    f"other must fail; these do not: {wrong}"
                )
            if full:
                proof.stage_tests(env, label)
            proof.notebook_test(env, label)
            proof.lines.append(f"  {label}: exercise {number}'s checks pass, the others fail")

        # 3. All solutions, in order.
        proof.prepare(patches, "all-solutions")
        env = proof.build("all-solutions")
        solved = proof.checks(env, "solved")
        failing = sorted(name for name, outcome in solved.items() if outcome != "passed")
        if failing or len(solved) != len(pristine):
            raise Failure(f"with every solution applied these checks fail: {failing}")
        proof.lines.append(f"  all solutions: {len(solved)} checks pass")
        proof.stage_tests(env, "all-solutions")
        proof.notebook_test(env, "all-solutions")

        # 4. Each shortcut, on top of all the solutions.
        for shortcut in shortcuts:
            number = int(shortcut.name.split("-", 1)[0])
            proof.prepare([*patches, shortcut], shortcut.stem)
            outcomes = proof.checks(proof.build(shortcut.stem), shortcut.stem)
            failed = {name for name, outcome in outcomes.items() if outcome != "passed"}
            lesson = {name for name in outcomes if exercise_of(name) == number}
            if not failed or not failed <= lesson:
                raise Failure(
                    f"with shortcuts/{shortcut.name} the failing checks are {sorted(failed)}; "
                    f"it must fail exercise {number}'s {sorted(lesson)}, and nothing else"
                )
            proof.lines.append(f"  shortcut {shortcut.name}: fails {sorted(failed)}")
    finally:
        if proof.copy.exists():
            forget_crate_build(proof.copy)
        shutil.rmtree(scratch, ignore_errors=True)
    summary = (
        f"{stage.name}: {len(pristine)} checks fail on the stage as shipped; each of "
        f"{len(patches)} solutions passes its own alone, all pass together"
    )
    if shortcuts:
        summary += f"; {len(shortcuts)} shortcuts fail their exercise's check"
    return [*proof.lines, f"{summary} ({time.monotonic() - started:.0f} s)"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stages", nargs="+", type=Path)
    parser.add_argument("--force", action="store_true", help="prove again even if unchanged")
    parser.add_argument(
        "--working-tree", action="store_true", help="prove the files on disk, not git's HEAD"
    )
    parser.add_argument(
        "--full", action="store_true", help="also run the stage's tests on each solution alone"
    )
    args = parser.parse_args()
    # As the root Makefile does: one cargo target folder, whose dependencies are built already.
    os.environ.setdefault("CARGO_TARGET_DIR", str(ROOT / "target"))
    from_head = not args.working_tree and in_git_checkout()
    for stage_arg in args.stages:
        stage = stage_arg.resolve()
        record = WORK / stage.name / "proof.json"
        key = digest(stage, from_head) + (" full" if args.full else "")
        if from_head and (changes := uncommitted_changes(stage)):
            print(
                f"{stage.name}: proving the solutions on the stage as committed; your changes "
                f"({', '.join(changes[:3])}{', ...' if len(changes) > 3 else ''}) are left "
                "alone (--working-tree proves the files on disk)"
            )
        if not args.force and record.exists() and json.loads(record.read_text())["digest"] == key:
            print(f"{stage.name}: solutions proven before on these sources (--force: again)")
            continue
        print(f"{stage.name}: proving the exercises' checks and solutions", flush=True)
        try:
            lines = prove(stage, from_head, args.full)
        except Failure as failure:
            print(f"{stage.name}: {failure}")
            record.unlink(missing_ok=True)
            return 1
        print("\n".join(lines), flush=True)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"digest": key, "summary": lines[-1]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
