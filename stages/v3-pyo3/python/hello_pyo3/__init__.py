"""Python face of stage 3: a Rust core exposed with pyo3, built into an abi3 wheel by maturin.

Compare with stages 1 and 2: there is nothing to declare here. The compiled module
``hello_pyo3._native`` already holds Python functions that check and convert their arguments
and raise Python exceptions; this package only re-exports them. Their docstrings come from the
Rust doc comments (``help(hello_pyo3.hello)``), their types from ``_native.pyi``.
"""

from hello_pyo3._native import (
    REPEAT_MAX_BYTES,
    HelloError,
    abi_version,
    add,
    deliberate_panic,
    hello,
    repeat,
)

__all__ = [
    "REPEAT_MAX_BYTES",
    "HelloError",
    "abi_version",
    "add",
    "deliberate_panic",
    "hello",
    "repeat",
]
