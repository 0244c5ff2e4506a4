"""The Go library (hello.go) loaded with cffi in ABI mode, as the Go journey's v3 did:
``ffi.dlopen`` of the library, with the declarations given to ``ffi.cdef``.

:func:`load` returns an object with the functions of the Rust stages: ``abi_version()``,
``add(a, b)``, ``hello(name)``, ``repeat(text, count)`` (``GoError`` on bad input) and
``deliberate_panic(message)``, which a Go panic turns into the end of the process.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import cffi

# What ffi.cdef needs of the header cgo writes (libhello_go.h), without its Go type boilerplate.
CDEF = """
uint32_t abi_version(void);
int64_t add(int64_t a, int64_t b);
char *hello(char *name);
char *repeat(char *text, int64_t count, char **errorOut);
void deliberate_panic(char *message);
void hello_go_string_free(char *s);
"""


class GoError(ValueError):
    """The Go library refused the input; the message is Go's."""


def _to_c_string(value: str, argument: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{argument} contains a NUL character, which a C string cannot carry")
    return value.encode("utf-8")


def load(path: Path) -> SimpleNamespace:
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    library: Any = ffi.dlopen(str(path))

    def take(pointer: Any) -> str:
        if pointer == ffi.NULL:
            raise RuntimeError("the Go library returned NULL")
        try:
            text: bytes = ffi.string(pointer)
        finally:
            library.hello_go_string_free(pointer)
        return text.decode("utf-8")

    def hello(name: str) -> str:
        return take(library.hello(_to_c_string(name, "name")))

    def repeat(text: str, count: int) -> str:
        error = ffi.new("char **")
        result = library.repeat(_to_c_string(text, "text"), count, error)
        if result == ffi.NULL:
            raise GoError(take(error[0]))
        return take(result)

    def add(a: int, b: int) -> int:
        result: int = library.add(a, b)  # cffi checks the int64_t declarations
        return result

    def deliberate_panic(message: str) -> None:
        library.deliberate_panic(_to_c_string(message, "message"))

    return SimpleNamespace(
        lib=library,
        ffi=ffi,
        abi_version=library.abi_version,
        add=add,
        hello=hello,
        repeat=repeat,
        deliberate_panic=deliberate_panic,
    )
