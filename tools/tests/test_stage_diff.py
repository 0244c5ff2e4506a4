"""`make stage-N diff`: consecutive stages share what does not change, and the count says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from stage_diff import ROOT, stage_diff  # noqa: E402

STAGES = ROOT / "stages"

# The most changed lines (both sides counted) each step may take, counting everything under
# src/, the Python package, the headers and the build files. When stages 2 and 3 each carried a
# core of their own (and their Rust tests inside src/), these measured 885 and 998: a quarter
# less is 660 and 750. One core shared by stages 2 and 3 (stage 1 carrying its first part), the
# Rust tests moved to tests/*.rs (they link the crate, as a user does) brought them under it.
# A change that grows a step past these fails here and has to show that its lines are the lesson.
BOUNDS = {"v2-cffi": 660, "v3-pyo3": 750}


def test_stages_2_and_3_share_one_core() -> None:
    cffi = (STAGES / "v2-cffi" / "src" / "core.rs").read_bytes()
    pyo3 = (STAGES / "v3-pyo3" / "src" / "core.rs").read_bytes()
    assert cffi == pyo3
    assert len(cffi.splitlines()) >= 30


@pytest.mark.parametrize("stage", sorted(BOUNDS))
def test_each_step_changes_few_lines(stage: str) -> None:
    lines, removed, added = stage_diff(STAGES / stage)
    assert removed + added <= BOUNDS[stage], f"{stage}: {removed + added} changed lines"
    # The shared core is not part of the step from stage 2 to 3.
    changed_files = [line for line in lines if line.startswith("+++ ")]
    if stage == "v3-pyo3":
        assert not any(line.endswith("/src/core.rs") for line in changed_files)


def make_stage(root: Path, name: str, package: str, files: dict[str, str]) -> Path:
    stage = root / name
    (stage / "python" / package).mkdir(parents=True)
    (stage / "pyproject.toml").write_text(f'[project]\nname = "{package.replace("_", "-")}"\n')
    for relative, text in files.items():
        path = stage / relative.replace("PKG", package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return stage


def test_the_count_normalizes_names_and_counts_rust_tests(tmp_path: Path) -> None:
    rust_tests = "#[cfg(test)]\nmod tests {\n    fn t() {}\n}\n"
    make_stage(
        tmp_path,
        "v1-a",
        "hello_a",
        {
            "python/PKG/__init__.py": "import hello_a\nx = 1\n",
            "src/lib.rs": "fn f() {}\n" + rust_tests,
            "tests/test_a.py": "old\n",
            "Cargo.lock": "old\n",
        },
    )
    second = make_stage(
        tmp_path,
        "v2-b",
        "hello_b",
        {
            "python/PKG/__init__.py": "import hello_b\nx = 2\n",
            "src/lib.rs": "fn f() {}\nfn g() {}\n" + rust_tests.replace("t()", "u()"),
            "src/tests.rs": "fn more() {}\n",
            "tests/test_b.py": "new\n",
            "Cargo.lock": "new\n",
        },
    )
    lines, removed, added = stage_diff(second)
    # `import hello_a` became `import hello_b`, and the pyproject's name: the same lines once
    # names are alike. What is left: x = 1 -> x = 2 (one removed, one added), fn g (added), and
    # the Rust unit tests, which are sources: the test module's changed line, src/tests.rs.
    assert (removed, added) == (1 + 1, 2 + 1 + 1)
    names = [line for line in lines if line.startswith(("+++", "---"))]
    assert any(line.endswith("/src/tests.rs") for line in names)
    assert not any("/tests/" in line for line in names)
    _, removed, added = stage_diff(second, tests=True)
    # With tests: the two pytest files besides.
    assert (removed, added) == (1 + 1 + 1, 2 + 1 + 1 + 1)
