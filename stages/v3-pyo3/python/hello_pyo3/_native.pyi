# Types of the compiled module, for type checkers and editors: they cannot read Rust.
# pyo3 checks the real signatures at run time; keep this file in step with src/bindings.rs
# (`make lint` runs mypy's stubtest to compare the two).

from typing import Final, NoReturn

__all__ = [
    "REPEAT_MAX_BYTES",
    "HelloError",
    "abi_version",
    "add",
    "deliberate_panic",
    "hello",
    "repeat",
]

#: The largest result ``repeat`` builds, in bytes of UTF-8 (64 MiB).
REPEAT_MAX_BYTES: Final[int]

class HelloError(RuntimeError):
    """Raised when the Rust code panics, which is a bug: the message is ``Rust panicked: <why>``."""

def abi_version() -> int:
    """Return the version of the functions' contract (1, as in stages 1 and 2)."""

def add(a: int, b: int) -> int:
    """Return ``a + b`` computed in Rust on 64-bit integers; an overflowing sum wraps around."""

def hello(name: str) -> str:
    """Return the greeting ``Hello, {name}!``."""

def repeat(text: str, count: int) -> str:
    """Return ``text`` repeated ``count`` times (ValueError past ``REPEAT_MAX_BYTES``)."""

def deliberate_panic(message: str) -> NoReturn:
    """Panic inside Rust with ``message``: always raises ``HelloError``."""
