# Types of the compiled module, for type checkers and editors: they cannot read Rust.
# pyo3 checks the real signatures at run time; keep this file in step with src/bindings.rs
# (`make lint` runs mypy's stubtest to compare the two).

from typing import Final, NoReturn

#: The largest result ``repeat`` builds, in bytes of UTF-8 (64 MiB).
MAX_REPEAT_BYTES: Final[int]

class HelloError(RuntimeError):
    """Raised when the Rust code fails unexpectedly (a panic); the message is the panic's."""

def abi_version() -> int:
    """Return the version of the functions' contract (1, as in stages 1 and 2)."""

def add(a: int, b: int) -> int:
    """Return ``a + b`` computed in Rust on 64-bit integers; an overflowing sum wraps around."""

def hello(name: str) -> str:
    """Return the greeting ``Hello, {name}!``."""

def repeat(text: str, count: int) -> str:
    """Return ``text`` repeated ``count`` times (ValueError past ``MAX_REPEAT_BYTES``)."""

def deliberate_panic(message: str) -> NoReturn:
    """Panic inside Rust with ``message``: always raises ``HelloError``."""
