"""The Python wrappers: strings both ways, ownership, and errors that become exceptions."""

from __future__ import annotations

from pathlib import Path

import cffi
import pytest
from cffi import recompiler

import hello_cffi
from hello_cffi import HelloError, ffi, lib

STAGE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "name",
    ["", "Ada", "Zoë", "日本語", "🦀🐍", "e\u0301", "tab\tnew\nline", "x" * 1_000_000],
    ids=["empty", "ascii", "latin", "cjk", "emoji", "combining", "control", "1-MB"],
)
def test_hello_round_trips(name: str) -> None:
    greeting = hello_cffi.hello(name)
    assert greeting == f"Hello, {name}!"
    assert type(greeting) is str


def test_repeat() -> None:
    assert hello_cffi.repeat("ab", 3) == "ababab"
    assert hello_cffi.repeat("🦀", 2) == "🦀🦀"
    assert hello_cffi.repeat("ab", 0) == ""
    assert hello_cffi.repeat("", 2**63 - 1) == ""


def test_repeat_up_to_the_limit() -> None:
    limit = hello_cffi.REPEAT_MAX_BYTES
    assert limit == 64 * 1024 * 1024
    assert len(hello_cffi.repeat("x", limit)) == limit
    # The limit counts UTF-8 bytes, not characters: "é" is 2 bytes.
    with pytest.raises(HelloError, match=rf"would be {limit + 2} bytes, over the limit"):
        hello_cffi.repeat("é", limit // 2 + 1)


@pytest.mark.parametrize("count", [-1, -(2**63)])
def test_repeat_refuses_negative_counts(count: int) -> None:
    with pytest.raises(HelloError, match=rf"^`count` must not be negative, got {count}$"):
        hello_cffi.repeat("ab", count)


def test_repeat_refuses_huge_results_without_trying() -> None:
    with pytest.raises(HelloError, match="over the limit of 67108864"):
        hello_cffi.repeat("ab", 2**62)


def test_repeat_count_must_be_a_64_bit_integer() -> None:
    with pytest.raises(OverflowError):
        hello_cffi.repeat("ab", 2**63)
    with pytest.raises(TypeError):
        hello_cffi.repeat("ab", 1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [b"Ada", None, 42])
def test_only_str_is_accepted(bad: object) -> None:
    with pytest.raises(TypeError, match="name must be str"):
        hello_cffi.hello(bad)  # type: ignore[arg-type]


def test_embedded_nul_is_refused_not_truncated() -> None:
    with pytest.raises(ValueError, match="NUL character at index 3"):
        hello_cffi.hello("Ada\0Lovelace")
    with pytest.raises(ValueError, match="NUL character at index 0"):
        hello_cffi.repeat("\0", 2)


def test_embedded_nul_would_truncate_through_the_raw_library() -> None:
    # What the check above prevents: C stops reading at the first NUL.
    pointer = lib.hello(b"Ada\0Lovelace")
    try:
        assert ffi.string(pointer) == b"Hello, Ada!"
    finally:
        lib.hello_string_free(pointer)


def test_lone_surrogate_is_a_value_error() -> None:
    # A str can hold a lone surrogate, which has no UTF-8 encoding: Python refuses it first.
    with pytest.raises(UnicodeEncodeError):
        hello_cffi.hello("\ud800")
    assert issubclass(UnicodeEncodeError, ValueError)


def _take_last_error() -> str | None:
    message = lib.last_error_message()
    if message == ffi.NULL:
        return None
    try:
        text: bytes = ffi.string(message)
    finally:
        lib.hello_string_free(message)
    return text.decode()


def test_invalid_utf8_from_c_is_an_error_in_rust() -> None:
    # The wrappers only send UTF-8 they encoded themselves; any other C caller may not.
    assert lib.hello(b"caf\xe9") == ffi.NULL
    assert _take_last_error() == "`name` is not valid UTF-8 (invalid byte at index 3)"


def test_null_from_c_is_an_error_in_rust() -> None:
    assert lib.repeat(ffi.NULL, 2) == ffi.NULL
    assert _take_last_error() == "`text` is a NULL pointer"
    # Reading the message took it: the next read finds none.
    assert _take_last_error() is None


def test_freeing_null_is_allowed() -> None:
    lib.hello_string_free(ffi.NULL)


def test_deliberate_panic_becomes_an_exception(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(HelloError, match=r"^Rust panicked: on purpose$"):
        hello_cffi.deliberate_panic("on purpose")
    # Rust's panic hook reported it on the process's stderr, like any Rust panic...
    assert "panicked at" in capfd.readouterr().err
    # ...and the library and the interpreter carry on.
    assert hello_cffi.hello("after") == "Hello, after!"
    with pytest.raises(HelloError, match="Rust panicked: again"):
        hello_cffi.deliberate_panic("again")


def test_deliberate_panic_argument_errors() -> None:
    with pytest.raises(ValueError, match="NUL"):
        hello_cffi.deliberate_panic("a\0b")
    assert lib.deliberate_panic(ffi.NULL) == -1
    assert _take_last_error() == "`message` is a NULL pointer"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(2, 40, 42), (-7, 7, 0), (2**62, 2**62 - 1, 2**63 - 1), (2**63 - 1, 1, -(2**63))],
)
def test_add(a: int, b: int, expected: int) -> None:
    result = hello_cffi.add(a, b)
    assert result == expected
    assert type(result) is int


def test_add_arguments_are_checked_by_cffi() -> None:
    # Stage 1 checked these by hand; cffi knows the parameters are int64_t from the header.
    with pytest.raises(OverflowError):
        hello_cffi.add(2**63, 1)
    with pytest.raises(TypeError):
        hello_cffi.add("1", 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hello_cffi.add(1.5, 1)  # type: ignore[arg-type]


def test_library_matches_the_declarations() -> None:
    assert lib.abi_version() == hello_cffi.ABI_VERSION == 1


def test_library_is_loaded_from_the_installed_package() -> None:
    package_dir = Path(hello_cffi.__file__).resolve().parent
    assert hello_cffi.LIBRARY_PATH.parent == package_dir / "_native"
    assert STAGE_DIR / "python" not in package_dir.parents


def test_declarations_come_from_the_committed_header(tmp_path: Path) -> None:
    # maturin ran cbindgen and fed the header to cffi; doing the same with the committed
    # header must give the installed ffi.py byte for byte. Together with the cargo test that
    # compares the committed header with src/lib.rs, the chain is checked end to end.
    header = (STAGE_DIR / "include" / "hello_cffi.h").read_text()
    declarations = cffi.FFI()
    declarations.cdef(header)
    expected = tmp_path / "ffi.py"
    recompiler.make_py_source(declarations, "ffi", str(expected))
    installed = Path(hello_cffi.__file__).resolve().parent / "_native" / "ffi.py"
    assert installed.read_text() == expected.read_text()


def test_signatures_as_cffi_sees_them() -> None:
    # cffi drops `const`; everything else is the header's.
    assert ffi.typeof(lib.hello).cname == "char *(*)(char *)"
    assert ffi.typeof(lib.repeat).cname == "char *(*)(char *, int64_t)"
    assert ffi.typeof(lib.add).cname == "int64_t(*)(int64_t, int64_t)"
    assert ffi.typeof(lib.deliberate_panic).cname == "int32_t(*)(char *)"
    assert ffi.typeof(lib.last_error_message).cname == "char *(*)()"
    assert ffi.typeof(lib.hello_string_free).cname == "void(*)(char *)"
