"""Python face of stage 1: a Rust shared library loaded with ctypes.

ctypes knows nothing about the library's functions: it cannot read Rust or C signatures, so every
function gets its ``argtypes`` and ``restype`` declared here, by hand, once. The typed wrappers
below are what the rest of Python calls.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

#: The version of the library's C ABI that the declarations below were written for.
ABI_VERSION = 1

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_LIBRARY_SUFFIXES = {".so", ".dylib", ".dll", ".pyd"}


def _find_library() -> Path:
    """Return the path of the shared library that ships inside this package.

    The library is looked up next to this file, never in the current directory or on the
    loader's search path, so the installed package always loads its own copy.
    """
    here = Path(__file__).resolve().parent
    # setuptools-rust names the file like an extension module of the Python that built the
    # wheel: libhello_ctypes.cpython-311-x86_64-linux-gnu.so on Linux, ….cpython-311-darwin.so
    # on macOS, ….cp311-win_amd64.pyd on Windows. ctypes does not care about the name, and the
    # wheel serves every Python 3, so any of those suffixes will do.
    matches = sorted(
        path for path in here.glob("libhello_ctypes*") if path.suffix in _LIBRARY_SUFFIXES
    )
    if not matches:
        raise ImportError(
            f"libhello_ctypes is missing from {here}: "
            "build and install the package (make stage-1 build) instead of importing the sources"
        )
    return matches[0]


LIBRARY_PATH = _find_library()
lib = ctypes.CDLL(str(LIBRARY_PATH))

# uint32_t abi_version(void)
lib.abi_version.argtypes = []
lib.abi_version.restype = ctypes.c_uint32
if lib.abi_version() != ABI_VERSION:
    raise ImportError(
        f"{LIBRARY_PATH.name} has C ABI version {lib.abi_version()}, "
        f"but this package was written for version {ABI_VERSION}: reinstall hello_ctypes"
    )

# void hello(void)
lib.hello.argtypes = []
lib.hello.restype = None

# int64_t add(int64_t a, int64_t b)
lib.add.argtypes = [ctypes.c_int64, ctypes.c_int64]
lib.add.restype = ctypes.c_int64

# const char *hello_message(void)
# Without this line ctypes assumes the result is a C int and keeps only the low 32 bits of the
# 64-bit address. c_char_p copies the bytes into a Python bytes object; the memory is static
# and stays owned by the library, so there is nothing to free.
lib.hello_message.argtypes = []
lib.hello_message.restype = ctypes.c_char_p


def hello() -> None:
    """Print a greeting from Rust.

    Rust writes straight to the process's file descriptor 1, bypassing ``sys.stdout``: the text
    shows in a terminal and in a Jupyter cell (ipykernel copies descriptor 1 into the cell, a
    moment later), but not under ``contextlib.redirect_stdout`` or pytest's ``capsys``.
    """
    lib.hello()


def add(a: int, b: int) -> int:
    """Return ``a + b`` computed in Rust on 64-bit integers.

    Raises:
        TypeError: if an argument is not an ``int``.
        OverflowError: if an argument does not fit in a signed 64-bit integer. A sum that
            overflows wraps around, as it does in C.
    """
    _check_int64(a, b)
    return int(lib.add(a, b))


def _check_int64(*values: int) -> None:
    # ctypes would silently wrap or reject such values with a less helpful ArgumentError.
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected integers, not {type(value).__name__}")
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise OverflowError(f"{value} does not fit in a signed 64-bit integer")


def hello_message() -> str:
    """Return the greeting that Rust keeps as a static, NUL-terminated string."""
    raw: bytes = lib.hello_message()
    return raw.decode("utf-8")
