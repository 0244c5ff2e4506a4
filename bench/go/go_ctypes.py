"""The Go library (hello.go) loaded with ctypes, as the Go journey's v1 did: ``ctypes.CDLL``
and every signature declared by hand (``argtypes``/``restype``).

:func:`load` returns an object with the functions of the Rust stages: ``abi_version()``,
``add(a, b)``, ``hello(name)``, ``repeat(text, count)`` (``GoError`` on bad input) and
``deliberate_panic(message)``, which a Go panic turns into the end of the process.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from types import SimpleNamespace


class GoError(ValueError):
    """The Go library refused the input; the message is Go's."""


def _to_c_string(value: str, argument: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{argument} contains a NUL character, which a C string cannot carry")
    return value.encode("utf-8")


def load(path: Path) -> SimpleNamespace:
    library = ctypes.CDLL(str(path))
    library.abi_version.argtypes = []
    library.abi_version.restype = ctypes.c_uint32
    library.add.argtypes = [ctypes.c_int64, ctypes.c_int64]
    library.add.restype = ctypes.c_int64
    # c_void_p, not c_char_p: c_char_p would copy the bytes and lose the pointer to free.
    library.hello.argtypes = [ctypes.c_char_p]
    library.hello.restype = ctypes.c_void_p
    library.repeat.argtypes = [ctypes.c_char_p, ctypes.c_int64, ctypes.POINTER(ctypes.c_void_p)]
    library.repeat.restype = ctypes.c_void_p
    library.deliberate_panic.argtypes = [ctypes.c_char_p]
    library.deliberate_panic.restype = None
    library.hello_go_string_free.argtypes = [ctypes.c_void_p]
    library.hello_go_string_free.restype = None

    def take(pointer: int | None) -> str:
        if pointer is None:
            raise RuntimeError("the Go library returned NULL")
        try:
            return ctypes.string_at(pointer).decode("utf-8")
        finally:
            library.hello_go_string_free(pointer)

    def hello(name: str) -> str:
        return take(library.hello(_to_c_string(name, "name")))

    def repeat(text: str, count: int) -> str:
        error = ctypes.c_void_p()
        result = library.repeat(_to_c_string(text, "text"), count, ctypes.byref(error))
        if result is None:
            raise GoError(take(error.value))
        return take(result)

    def add(a: int, b: int) -> int:
        for value in (a, b):
            if not isinstance(value, int):
                raise TypeError(f"add takes int, not {type(value).__name__}")
            if not -(2**63) <= value < 2**63:
                raise OverflowError(f"{value} does not fit in a signed 64-bit integer")
        return int(library.add(a, b))

    def deliberate_panic(message: str) -> None:
        library.deliberate_panic(_to_c_string(message, "message"))

    return SimpleNamespace(
        lib=library,
        abi_version=library.abi_version,
        add=add,
        hello=hello,
        repeat=repeat,
        deliberate_panic=deliberate_panic,
    )
