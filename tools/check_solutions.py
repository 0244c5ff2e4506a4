"""Prove that a stage's exercise checks can fail and that its solutions pass them.

Usage: python tools/check_solutions.py stages/v1-ctypes

1. The checks in <stage>/exercises run against the pristine stage (installed by `make build`):
   every check must fail, otherwise it does not check anything.
2. The stage is copied to a temporary folder, every patch in <stage>/solutions is applied in
   order, the wheel is built as `make check` builds it (the stage's own `make wheel` with
   cargo's dev profile, PROFILE=dev, where the stage knows it) and installed into a private
   folder (not into the caller's environment, which keeps the pristine package for the
   notebooks), and the checks must all pass.
3. Each patch in <stage>/solutions/shortcuts, NN-how.patch, is a solution to exercise NN that
   skips the lesson (leaks, panics, trusts ctypes...). Applied on top of the solutions, it must
   make exercise NN's check fail (one of them, if it has several), and no other: a check that
   passes it does not check the lesson.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

# Build outputs and caches that must not be copied with the stage.
IGNORED = shutil.ignore_patterns(
    "target", "dist", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache"
)


def run_checks(stage: Path, report: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """Run the exercise checks and return each test's outcome (passed/failed/skipped)."""
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    # The output is kept quiet: failures are expected in the pristine run, and the summary
    # below says what matters. The report file carries each outcome.
    subprocess.run(
        [*pytest, "exercises", f"--junit-xml={report}"],
        cwd=stage,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
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


def forget_crate_build(crate: Path) -> None:
    manifest = tomllib.loads((crate / "Cargo.toml").read_text())
    for profile in ("dev", "release"):
        subprocess.run(
            ["cargo", "clean", "--quiet", "--profile", profile]
            + ["--package", manifest["package"]["name"]],
            cwd=crate,
            check=True,
        )


def build_and_check(work: Path, tmp: Path, label: str) -> dict[str, str]:
    """Build the stage copy in `work` as `make check` does, install it privately, run the checks."""
    dist = tmp / f"dist-{label}"
    try:
        subprocess.run(
            [
                "make",
                "--no-print-directory",
                "wheel",
                # The exercise loop's build (`make check` builds with `make develop`): the
                # checks may rely on what the dev profile adds, such as overflow checks.
                "PROFILE=dev",
                f"DIST={dist}",
                f"PYTHON={sys.executable}",
            ],
            cwd=work,
            check=True,
        )
    finally:
        # cargo's fingerprints do not depend on where a package lives, so in a shared target
        # folder the patched library would pass for an up-to-date build of the pristine
        # stage. Removing this crate's artifacts makes the next build compile it again
        # (the crate only: its dependencies stay built).
        forget_crate_build(work)
    site = tmp / f"site-{label}"
    wheels = [str(wheel) for wheel in dist.glob("*.whl")]
    pip_install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run([*pip_install, f"--target={site}", *wheels], check=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    return run_checks(work, tmp / f"{label}.xml", env)


def apply(patch: Path, work: Path) -> None:
    print(f"applying {patch.relative_to(patch.parents[1])}")
    subprocess.run(["patch", "-p1", "--quiet", "-i", str(patch)], cwd=work, check=True)


def main(stage_arg: str) -> int:
    stage = Path(stage_arg).resolve()
    patches = sorted((stage / "solutions").glob("*.patch"))
    if not patches:
        print(f"{stage.name}: no solutions to check")
        return 0
    shortcuts = sorted((stage / "solutions" / "shortcuts").glob("*.patch"))

    with tempfile.TemporaryDirectory(prefix="solutions-") as tmp_name:
        tmp = Path(tmp_name)

        pristine = run_checks(stage, tmp / "pristine.xml")
        if not pristine:
            print(f"{stage.name}: the exercise checks collected nothing")
            return 1
        not_failing = [name for name, outcome in pristine.items() if outcome != "failed"]
        if not_failing:
            print(f"{stage.name}: these checks do not fail before the exercise: {not_failing}")
            return 1

        solved_tree = tmp / "solved" / stage.name
        shutil.copytree(stage, solved_tree, ignore=IGNORED)
        for patch in patches:
            apply(patch, solved_tree)
        solved = build_and_check(solved_tree, tmp, "solved")
        failing = [name for name, outcome in solved.items() if outcome != "passed"]
        if failing or len(solved) != len(pristine):
            print(f"{stage.name}: with the solutions applied these checks fail: {failing}")
            return 1

        # Each shortcut is a solution that skips its exercise's lesson (NN-…: exercise NN), on
        # top of all the solutions: a check of exercise NN must fail, and no other.
        for shortcut in shortcuts:
            number = int(shortcut.name.split("-", 1)[0])
            work = tmp / shortcut.stem / stage.name
            shutil.copytree(solved_tree, work, ignore=IGNORED)
            apply(shortcut, work)
            outcomes = build_and_check(work, tmp, shortcut.stem)
            failed = {name for name, outcome in outcomes.items() if outcome != "passed"}
            lesson = {name for name in outcomes if name.startswith(f"test_exercise_{number}_")}
            if not failed or not failed <= lesson:
                print(
                    f"{stage.name}: with {shortcut.name} the failing checks are {sorted(failed)}; "
                    f"it must fail exercise {number}'s {sorted(lesson)}, and nothing else"
                )
                return 1
            print(f"{stage.name}: {shortcut.name} fails {sorted(failed)}, as it should")

    print(
        f"{stage.name}: {len(pristine)} checks fail before the exercises and pass after them; "
        f"{len(shortcuts)} solutions that skip a lesson fail its check"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
