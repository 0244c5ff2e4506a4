# Types of the compiled module, for type checkers and editors: they cannot read Rust.
# pyo3 checks the real signatures at run time; keep this file in step with src/bindings.rs
# (`make lint` runs mypy's stubtest to compare the two). It follows the groups of exports of
# `mod _native`: each group's declarations, then their names added to `__all__`.

from typing import Final, NoReturn, final

def abi_version() -> int:
    """Return the version of the functions' contract (1, as in stages 1 and 2)."""

def add(a: int, b: int) -> int:
    """Return ``a + b`` computed in Rust on 64-bit integers; an overflowing sum wraps around."""

__all__ = ["abi_version", "add"]

#: The largest result ``repeat`` builds, in bytes of UTF-8 (64 MiB).
REPEAT_MAX_BYTES: Final[int]

def hello(name: str) -> str:
    """Return the greeting ``Hello, {name}!``."""

def repeat(text: str, count: int) -> str:
    """Return ``text`` repeated ``count`` times (InputError past ``REPEAT_MAX_BYTES``)."""

def deliberate_panic(message: str) -> NoReturn:
    """Panic inside Rust with ``message``: always raises ``PanicError``."""

__all__ += ["REPEAT_MAX_BYTES", "deliberate_panic", "hello", "repeat"]

class HelloError(Exception):
    """Base class of every error hello_pyo3 raises."""

class InputError(HelloError):
    """The core refused an argument; the message says which value and why."""

class PanicError(HelloError):
    """Rust panicked, which is a bug: the message is ``Rust panicked: <why>``."""

__all__ += ["HelloError", "InputError", "PanicError"]

@final
class Gate:
    """A one-way gate between threads: ``wait`` blocks until another thread calls ``open``."""

    def __new__(cls) -> Gate: ...
    def open(self) -> None: ...
    def wait(self, timeout: float, detach: bool = True) -> bool: ...

def spin(rounds: int, detach: bool = True) -> int:
    """Hash the numbers below ``rounds`` (CPU work), detached from the interpreter by default."""

__all__ += ["Gate", "spin"]

@final
class Greeter:
    """A greeting fixed once: ``Greeter("Hi").greet("Ada")`` returns ``"Hi, Ada!"``."""

    def __new__(cls, greeting: str) -> Greeter: ...
    @property
    def greeting(self) -> str: ...
    def greet(self, name: str) -> str: ...

__all__ += ["Greeter"]

def default_greeter() -> Greeter:
    """Return the module's ``Greeter("Hello")``, made once, the same object on every call."""

__all__ += ["default_greeter"]
