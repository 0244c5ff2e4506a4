"""Every exercise has checks, a solution and, where a stage keeps them, one shortcut or more.

tools/check_solutions.py (run by `make test`) builds and proves them; this test only checks that
nothing is missing, so that an exercise added without its solution or its shortcut is noticed
without a build.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGES = sorted(path.parent for path in ROOT.glob("stages/v*/exercises"))
CHECK = re.compile(r"test_exercise_(\d+)_")


def exercise_numbers(stage: Path) -> list[int]:
    """The exercise numbers that the stage's checks name (test_exercise_<n>_..., one or more)."""
    numbers = set()
    for checks in sorted((stage / "exercises").glob("test_*.py")):
        for node in ast.parse(checks.read_text()).body:
            if isinstance(node, ast.FunctionDef) and (match := CHECK.match(node.name)):
                numbers.add(int(match.group(1)))
    return sorted(numbers)


def patch_numbers(folder: Path) -> list[int]:
    return [int(patch.name.split("-", 1)[0]) for patch in sorted(folder.glob("*.patch"))]


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_each_exercise_has_one_check_and_one_solution(stage: Path) -> None:
    numbers = exercise_numbers(stage)
    assert numbers, f"{stage.name}: no test_exercise_<n>_ checks"
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    assert patch_numbers(stage / "solutions") == numbers


@pytest.mark.parametrize(
    "stage",
    [stage for stage in STAGES if (stage / "solutions" / "shortcuts").is_dir()],
    ids=lambda stage: stage.name,
)
def test_each_exercise_has_a_shortcut_that_skips_its_lesson(stage: Path) -> None:
    # An exercise may have several (NN-how.patch): one per way of skipping its lesson.
    assert sorted(set(patch_numbers(stage / "solutions" / "shortcuts"))) == exercise_numbers(stage)


def test_stages_one_and_two_prove_their_checks_with_shortcuts() -> None:
    for name in ("v1-ctypes", "v2-cffi"):
        assert (ROOT / "stages" / name / "solutions" / "shortcuts").is_dir(), name
