"""tools/test_cache.py: a command that passed is not run again until one of its inputs changes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "test_cache.py"
REPO = TOOL.parents[1]
sys.path.insert(0, str(TOOL.parent))

from test_cache import PROBED  # noqa: E402


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "stage").mkdir(parents=True)
    (root / "stage" / "core.rs").write_text("fn main() {}\n")
    (root / "stage" / "Makefile").write_text("export FUZZ_EXAMPLES ?= 10\n")
    return root


def cached(root: Path, *extra: str, command: str = "pass", env: dict | None = None):
    """Runs the tool on `stage`; the command counts its runs in runs.txt beside the project."""
    counter = root.parent / "runs.txt"
    script = f"open({str(counter)!r}, 'a').write('run\\n'); {command}"
    environment = {**os.environ, "CARGO_TARGET_DIR": str(root.parent / "target"), **(env or {})}
    return subprocess.run(
        [
            sys.executable,
            TOOL,
            "stage",
            "--root",
            root,
            "--inputs",
            "stage",
            *extra,
            "--",
            sys.executable,
            "-c",
            script,
        ],
        capture_output=True,
        text=True,
        env=environment,
    )


def runs(root: Path) -> int:
    counter = root.parent / "runs.txt"
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def test_a_passing_command_is_not_run_again_on_the_same_inputs(project):
    assert cached(project).returncode == 0
    second = cached(project)
    assert second.returncode == 0
    assert "passed before on these inputs" in second.stdout
    assert "FRESH=1" in second.stdout
    assert runs(project) == 1


def test_a_changed_new_or_deleted_file_runs_it_again(project):
    cached(project)
    (project / "stage" / "core.rs").write_text("fn main() { }\n")
    cached(project)
    (project / "stage" / "extra.py").write_text("")
    cached(project)
    (project / "stage" / "extra.py").unlink()
    cached(project)
    assert runs(project) == 4


def test_build_outputs_are_not_inputs(project):
    cached(project)
    for name in ("target", "__pycache__", "build", "pkg.egg-info"):
        (project / "stage" / name).mkdir()
        (project / "stage" / name / "output").write_text("built")
    cached(project)
    assert runs(project) == 1


def test_git_decides_what_is_a_source_in_a_checkout(project):
    git = ["git", "-C", str(project)]
    subprocess.run([*git, "init", "-q"], check=True)
    (project / ".gitignore").write_text("*.log\n")
    cached(project)
    (project / "stage" / "run.log").write_text("ignored by git")
    cached(project)
    assert runs(project) == 1
    (project / "stage" / "notes.md").write_text("new, not ignored")
    cached(project)
    assert runs(project) == 2


def test_a_setting_the_makefile_takes_from_the_environment_counts(project):
    cached(project)
    cached(project, env={"FUZZ_EXAMPLES": "3000"})
    cached(project, env={"FUZZ_EXAMPLES": "3000"})
    cached(project, env={"FUZZ_EXAMPLES": "3000", "SOMETHING_ELSE": "1"})
    assert runs(project) == 2


def test_a_failure_is_not_recorded_and_its_exit_code_is_kept(project):
    failed = cached(project, command="raise SystemExit(3)")
    assert failed.returncode == 3
    cached(project, command="raise SystemExit(3)")
    assert runs(project) == 2


def test_force_runs_it_anyway(project):
    cached(project)
    cached(project, "--force")
    assert runs(project) == 2


def test_every_program_a_suite_looks_for_is_probed():
    """A suite that skips without a program must run again once PATH finds it. (A lookup in a
    folder of its own, `path=`, is in the environment, which the digest covers already.)"""
    tests = [*REPO.glob("stages/*/tests/*.py"), *REPO.glob("bench/*/tests/*.py")]
    asked = {
        name
        for path in tests
        for name in re.findall(r"""shutil\.which\(\s*["']([^"']+)["']\s*\)""", path.read_text())
    }
    assert asked, "no shutil.which call found: the pattern is out of date"
    assert asked <= set(PROBED), f"add {sorted(asked - set(PROBED))} to PROBED"


def test_a_path_of_links_to_the_same_programs_is_the_same(project, tmp_path):
    """tools/bare.py hides Go behind a fresh folder of links each run: not a change."""
    real = shutil.which("python3") or sys.executable
    paths = []
    for name in ("links-1", "links-2"):
        links = tmp_path / name
        links.mkdir()
        (links / "python3.11").symlink_to(real)
        paths.append(str(links))
    cached(project, env={"PATH": paths[0] + os.pathsep + os.environ["PATH"]})
    cached(project, env={"PATH": paths[1] + os.pathsep + os.environ["PATH"]})
    assert runs(project) == 1
