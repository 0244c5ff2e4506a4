"""nbval runs each notebook in a Jupyter kernel: let that kernel show what Jupyter shows.

ipykernel (6 and later) copies what is written to file descriptors 1 and 2, such as Rust's
`println!`, into the cell's output, except when it finds PYTEST_CURRENT_TEST in its environment:
then it assumes pytest captures those descriptors and leaves them alone. nbval starts the kernel
during a test, so the kernel would inherit the variable, and the checked outputs would lack what
a reader sees in JupyterLab. The kernel is started with an environment that leaves it out.

Two more things a reader of a failure needs:

- A cell that uses an optional piece (tools/optional.py) carries a tag saying so: `needs-go`
  or `needs-aarch64-target`. Its stored output shows what the piece gives; on a machine
  without it nbval skips the cell, with the reason (run by hand, it prints that it is left out).
- When a notebook fails while its stage has uncommitted changes (exercise work, usually), the
  report says so: the notebook shows the stage as it is on disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbval.kernel
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from optional import go_missing, rust_target_missing  # noqa: E402

_start_new_kernel = nbval.kernel.start_new_kernel


def _start_kernel_as_jupyter_does(**kwargs: Any) -> Any:
    env = {name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"}
    return _start_new_kernel(env=env, **kwargs)


nbval.kernel.start_new_kernel = _start_kernel_as_jupyter_does

# Each tag a cell may carry, and what tells whether this machine has the piece.
OPTIONAL_TAGS = {"needs-go": go_missing, "needs-aarch64-target": rust_target_missing}


def pytest_collection_modifyitems(items: list[Any]) -> None:
    missing = {tag: check() for tag, check in OPTIONAL_TAGS.items()}
    for item in items:
        cell = getattr(item, "cell", None)
        tags = cell.metadata.get("tags", []) if cell is not None else []
        reasons = [missing[tag] for tag in tags if missing.get(tag)]
        if reasons:
            item.add_marker(pytest.mark.skip(reason="left out: " + "; ".join(reasons)))


def _stage_of(notebook: Path) -> Path | None:
    """notebooks/03-pyo3.ipynb -> stages/v3-*, the stage the notebook belongs to."""
    found = sorted(notebook.parent.parent.glob(f"stages/v{notebook.name[1]}-*"))
    return found[0] if notebook.name[0] == "0" and found else None


def pytest_runtest_makereport(item: Any, call: Any) -> None:
    if call.when != "call" or call.excinfo is None or not hasattr(item, "cell"):
        return
    stage = _stage_of(Path(str(item.fspath)))
    if stage is None:
        return
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "python", "include"],
            cwd=stage,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git (a container, a copied stage): the failure speaks for itself
        return
    changed = status.stdout.splitlines()
    if status.returncode == 0 and changed:
        item.add_report_section(
            "call",
            "exercise work?",
            f"{stage.name} has changes that are not committed ({len(changed)} "
            f"file{'s' if len(changed) > 1 else ''}, such as {changed[0][3:]}): this notebook "
            "shows the stage as it is now, built from them. "
            f"To see the stage as shipped: `git stash`, `make stage-{stage.name[1]} build`, "
            "rerun, then `git stash pop`.",
        )
