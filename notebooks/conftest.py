"""nbval runs each notebook in a Jupyter kernel: let that kernel show what Jupyter shows.

ipykernel (6 and later) copies what is written to file descriptors 1 and 2, such as Rust's
`println!`, into the cell's output, except when it finds PYTEST_CURRENT_TEST in its environment:
then it assumes pytest captures those descriptors and leaves them alone. nbval starts the kernel
during a test, so the kernel would inherit the variable, and the checked outputs would lack what
a reader sees in JupyterLab. The kernel is started with an environment that leaves it out.
"""

from __future__ import annotations

import os
from typing import Any

import nbval.kernel

_start_new_kernel = nbval.kernel.start_new_kernel


def _start_kernel_as_jupyter_does(**kwargs: Any) -> Any:
    env = {name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"}
    return _start_new_kernel(env=env, **kwargs)


nbval.kernel.start_new_kernel = _start_kernel_as_jupyter_does
