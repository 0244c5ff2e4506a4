"""Python face of stage 3: a Rust core exposed with pyo3, built into an abi3 wheel by maturin.

Compare with stages 1 and 2: there is nothing to declare here. The compiled module
``hello_pyo3._native`` already holds Python functions, classes and exceptions that check and
convert their arguments; this package only re-exports them. Their docstrings come from the
Rust doc comments (``help(hello_pyo3.hello)``), their types from ``_native.pyi``.
"""

# The compiled module lists its functions, classes and constants in its own __all__.
from hello_pyo3._native import *  # noqa: F403
from hello_pyo3._native import __all__ as __all__
