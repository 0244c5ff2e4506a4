"""nbval runs each notebook in a Jupyter kernel: let that kernel show what Jupyter shows.

ipykernel (6 and later) copies what is written to file descriptors 1 and 2, such as Rust's
`println!`, into the cell's output, except when it finds PYTEST_CURRENT_TEST in its environment:
then it assumes pytest captures those descriptors and leaves them alone. nbval starts the kernel
during a test, so the kernel would inherit the variable, and the checked outputs would lack what
a reader sees in JupyterLab. The kernel is started with an environment that leaves it out.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import nbval.kernel
import pytest

_start_new_kernel = nbval.kernel.start_new_kernel


def _start_kernel_as_jupyter_does(**kwargs: Any) -> Any:
    env = {name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"}
    return _start_new_kernel(env=env, **kwargs)


nbval.kernel.start_new_kernel = _start_kernel_as_jupyter_does


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Notebook 05 measures the journey's Go build beside the Rust ones: without Go its stored
    rows cannot match, so it is skipped with the way to get Go, rather than failing cell by cell.
    """
    if shutil.which("go"):
        return
    reason = (
        "notebook 05 builds the Go library it compares: install Go "
        "(Debian/Ubuntu: apt-get install golang-go; `make doctor` says more)"
    )
    for item in items:
        if item.path.name.startswith("05-"):
            item.add_marker(pytest.mark.skip(reason=reason))
