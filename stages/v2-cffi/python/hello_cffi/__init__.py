"""Python face of stage 2: a Rust library with a string-passing C ABI, called through cffi.

Unlike stage 1, nothing here declares a C signature by hand: maturin ran cbindgen on the Rust
code, gave the header to cffi and shipped ``hello_cffi._native``, whose ``ffi`` holds the
declarations and ``lib`` the library. What a header cannot say is added here: which Python
types are accepted, who frees each returned string, and which exception each error becomes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from hello_cffi import _native
from hello_cffi._native import ffi, lib

__all__ = [
    "HelloError",
    "ABI_VERSION",
    "LIBRARY_PATH",
    "REPEAT_MAX_BYTES",
    "ffi",
    "lib",
    "add",
    "deliberate_panic",
    "hello",
    "repeat",
]

#: The version of the library's C ABI that the declarations below were written for.
ABI_VERSION = 1

#: The shared library next to the cffi declarations (the benchmark also loads it with ctypes).
LIBRARY_PATH = next(Path(_native.__file__).resolve().parent.glob("lib_native.*"))

#: The longest string :func:`repeat` builds, in bytes of UTF-8 (a ``#define`` in the header).
REPEAT_MAX_BYTES: int = lib.REPEAT_MAX_BYTES

if lib.abi_version() != ABI_VERSION:
    raise ImportError(
        f"{LIBRARY_PATH.name} has C ABI version {lib.abi_version()}, "
        f"but this package was written for version {ABI_VERSION}: reinstall hello_cffi"
    )


class HelloError(Exception):
    """The Rust library reported an error; the message is Rust's.

    Raised for input that Rust refuses (a negative count, a result over
    :data:`REPEAT_MAX_BYTES`) and for a panic, a bug, whose message starts "Rust panicked: ".
    """


def hello(name: str) -> str:
    """Return ``"Hello, {name}!"``, built by Rust.

    Raises TypeError if ``name`` is not a ``str``, ValueError if it holds a NUL character or a
    lone surrogate (which has no UTF-8: ``UnicodeEncodeError``).
    """
    return _take_string(lib.hello(_to_c_string(name, "name")))


def repeat(text: str, count: int) -> str:
    """Return ``text`` repeated ``count`` times, built by Rust.

    Raises HelloError if ``count`` is negative or the result would be longer than
    :data:`REPEAT_MAX_BYTES` bytes, OverflowError if ``count`` does not fit in 64 bits, and
    TypeError or ValueError for ``text`` as :func:`hello` does for ``name``.
    """
    return _take_string(lib.repeat(_to_c_string(text, "text"), count))


def add(a: int, b: int) -> int:
    """Return ``a + b`` computed in Rust on 64-bit integers.

    cffi checks the arguments against the ``int64_t`` declarations (TypeError, OverflowError),
    so this needs none of stage 1's hand-written checks. A sum that overflows wraps around.
    """
    result: int = lib.add(a, b)
    return result


def deliberate_panic(message: str) -> NoReturn:
    """Make the Rust library panic with ``message``, to show what becomes of a panic.

    Always raises HelloError, ``"Rust panicked: {message}"``: the panic was caught at the C
    boundary, and the library and the interpreter keep working.
    """
    if lib.deliberate_panic(_to_c_string(message, "message")) != 0:
        raise _last_error()
    raise AssertionError("deliberate_panic returned without panicking")


def _to_c_string(value: str, argument: str) -> bytes:
    """Encode a ``str`` as the UTF-8 bytes a ``const char *`` parameter expects (cffi passes
    them NUL-terminated). A NUL inside would end the C string early: refuse it.
    """
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be str, not {type(value).__name__}")
    nul = value.find("\0")
    if nul != -1:
        raise ValueError(
            f"{argument} contains a NUL character at index {nul}, which a C string cannot carry"
        )
    return value.encode("utf-8")


def _take_string(pointer: Any) -> str:
    """Copy a string the library returned into Python, then give it back to Rust to free.

    ``finally`` frees it whatever happens while copying; the pointer never leaves this function.
    """
    if pointer == ffi.NULL:
        raise _last_error()
    try:
        text: bytes = ffi.string(pointer)
    finally:
        lib.hello_string_free(pointer)
    return text.decode("utf-8")


def _last_error() -> HelloError:
    """Take the calling thread's last error message from the library, as an exception."""
    message = lib.last_error_message()
    if message == ffi.NULL:
        return HelloError("the Rust library reported a failure without a message")
    return HelloError(_take_string(message))
