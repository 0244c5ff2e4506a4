"""The Python wrappers, and the ctypes declarations they depend on."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hello_ctypes

STAGE_DIR = Path(__file__).resolve().parent.parent


def test_hello_prints_to_the_process_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    hello_ctypes.hello()
    assert capfd.readouterr().out == "Hello from Rust!\n"


def test_hello_bypasses_sys_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    # capsys replaces sys.stdout only: Rust writes to file descriptor 1 and is not seen.
    hello_ctypes.hello()
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(2, 40, 42), (-7, 7, 0), (0, 0, 0), (2**62, 2**62 - 1, 2**63 - 1)],
)
def test_add(a: int, b: int, expected: int) -> None:
    result = hello_ctypes.add(a, b)
    assert result == expected
    assert type(result) is int


def test_add_wraps_like_c() -> None:
    assert hello_ctypes.add(2**63 - 1, 1) == -(2**63)


@pytest.mark.parametrize("bad", [2**63, -(2**63) - 1, 10**30])
def test_add_refuses_numbers_that_do_not_fit(bad: int) -> None:
    with pytest.raises(OverflowError, match="64-bit"):
        hello_ctypes.add(bad, 1)


@pytest.mark.parametrize("bad", ["1", 1.5, None, True])
def test_add_refuses_non_integers(bad: object) -> None:
    with pytest.raises(TypeError, match="integers"):
        hello_ctypes.add(bad, 1)  # type: ignore[arg-type]


def test_library_matches_the_declarations() -> None:
    assert hello_ctypes.lib.abi_version() == hello_ctypes.ABI_VERSION == 1


def test_hello_message() -> None:
    message = hello_ctypes.hello_message()
    assert message == "Hello from Rust!"
    assert type(message) is str


def test_library_is_loaded_from_the_installed_package() -> None:
    package_dir = Path(hello_ctypes.__file__).resolve().parent
    assert hello_ctypes.LIBRARY_PATH.parent == package_dir
    # The sources under python/ hold no library: importing them would have failed.
    assert STAGE_DIR / "python" not in package_dir.parents


@pytest.mark.parametrize(
    "file_name",
    [
        "libhello_ctypes.cpython-312-x86_64-linux-gnu.so",  # what setuptools-rust writes on Linux
        "libhello_ctypes.cpython-311-darwin.so",  # … on macOS
        "libhello_ctypes.cp311-win_amd64.pyd",  # … on Windows
        "libhello_ctypes.dylib",  # a plain cargo build on macOS
    ],
)
def test_the_loader_finds_every_platforms_file_name(tmp_path: Path, file_name: str) -> None:
    """A copy of the installed package whose library has another platform's name still loads.

    The file is this machine's library under a foreign name: ctypes loads by path, not by name.
    """
    package_dir = Path(hello_ctypes.__file__).resolve().parent
    copy = tmp_path / "hello_ctypes"
    copy.mkdir()
    shutil.copy(package_dir / "__init__.py", copy)
    shutil.copy(hello_ctypes.LIBRARY_PATH, copy / file_name)
    probe = "import hello_ctypes as h; print(h.LIBRARY_PATH.name, h.add(40, 2))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout == f"{file_name} 42\n"


def test_every_function_has_declared_types() -> None:
    for name in ("abi_version", "hello", "add", "hello_message"):
        function = getattr(hello_ctypes.lib, name)
        assert function.argtypes is not None, name
    assert hello_ctypes.lib.hello.restype is None
    assert hello_ctypes.lib.add.restype is ctypes.c_int64
    assert hello_ctypes.lib.hello_message.restype is ctypes.c_char_p


# The pitfalls. A fresh CDLL handle has fresh function objects with ctypes' defaults
# (restype c_int, no argtypes), so these tests cannot disturb the package's declarations.


def _undeclared() -> ctypes.CDLL:
    return ctypes.CDLL(str(hello_ctypes.LIBRARY_PATH))


def test_missing_restype_truncates_the_pointer() -> None:
    declared = _undeclared()
    declared.hello_message.restype = ctypes.c_void_p
    address = declared.hello_message()
    if address < 2**32:
        pytest.skip("the library happens to be mapped below 4 GiB: nothing to truncate")

    truncated = _undeclared().hello_message()  # restype defaults to c_int

    assert truncated != address
    assert truncated == ctypes.c_int32(address & 0xFFFF_FFFF).value
    assert ctypes.string_at(address) == b"Hello from Rust!"


def test_missing_restype_truncates_a_64_bit_result() -> None:
    undeclared = _undeclared()
    undeclared.add.argtypes = [ctypes.c_int64, ctypes.c_int64]
    # 2**31 does not fit in the default c_int result: only the low 32 bits come back.
    assert undeclared.add(2**31 - 1, 1) == -(2**31)
    assert hello_ctypes.add(2**31 - 1, 1) == 2**31


def test_missing_argtypes_truncates_arguments_silently() -> None:
    undeclared = _undeclared()
    undeclared.add.restype = ctypes.c_int64
    # Without argtypes a Python int is passed as a C int: 2**40 arrives as its low 32 bits, 0.
    assert undeclared.add(2**40, 1) == 1
    assert hello_ctypes.add(2**40, 1) == 2**40 + 1
