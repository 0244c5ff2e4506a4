"""The Python functions that pyo3 generates: conversions, errors, panics, threads."""

from __future__ import annotations

import inspect
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hello_pyo3

STAGE_DIR = Path(__file__).resolve().parent.parent


def test_abi_version_matches_stages_1_and_2() -> None:
    assert hello_pyo3.abi_version() == 1


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(2, 40, 42), (-7, 7, 0), (0, 0, 0), (2**62, 2**62 - 1, 2**63 - 1)],
)
def test_add(a: int, b: int, expected: int) -> None:
    result = hello_pyo3.add(a, b)
    assert result == expected
    assert type(result) is int


def test_add_wraps_like_stages_1_and_2() -> None:
    assert hello_pyo3.add(2**63 - 1, 1) == -(2**63)
    assert hello_pyo3.add(-(2**63), -1) == 2**63 - 1


@pytest.mark.parametrize("bad", [2**63, -(2**63) - 1, 10**30])
def test_add_refuses_numbers_that_do_not_fit(bad: int) -> None:
    with pytest.raises(OverflowError):
        hello_pyo3.add(bad, 1)


@pytest.mark.parametrize("bad", ["1", 1.5, None])
def test_add_refuses_non_integers(bad: object) -> None:
    with pytest.raises(TypeError):
        hello_pyo3.add(bad, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    ["", "World", "Zoë", "日本語", "🦀 Ferris", "tab\tand\nnewline", "a\0b", "\0"],
    ids=["empty", "ascii", "latin-1", "cjk", "emoji", "control", "embedded-nul", "only-nul"],
)
def test_hello(name: str) -> None:
    result = hello_pyo3.hello(name)
    assert result == f"Hello, {name}!"
    assert type(result) is str


def test_hello_keeps_embedded_nul() -> None:
    # Stage 2 must refuse "\0": a C string ends at the first NUL. A Rust &str carries its length,
    # so here NUL is an ordinary character and nothing after it is lost.
    result = hello_pyo3.hello("before\0after")
    assert result == "Hello, before\0after!"
    assert len(result) == len("Hello, before\0after!")


def test_hello_one_megabyte() -> None:
    name = "x" * 1_000_000
    result = hello_pyo3.hello(name)
    assert len(result) == 1_000_008
    assert result == f"Hello, {name}!"


def test_hello_one_megabyte_of_multibyte_text() -> None:
    name = "é🦀" * 200_000  # 1.2 MB of UTF-8
    assert hello_pyo3.hello(name) == f"Hello, {name}!"


@pytest.mark.parametrize("name", ["\ud800", "a\udfffb", "\udc80"])
def test_hello_refuses_lone_surrogates(name: str) -> None:
    # A lone surrogate is a valid Python str but not Unicode text: it has no UTF-8 encoding,
    # so pyo3 cannot hand it to Rust as a &str. UnicodeEncodeError is a ValueError.
    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
        hello_pyo3.hello(name)
    assert issubclass(UnicodeEncodeError, ValueError)


@pytest.mark.parametrize("bad", [b"bytes", 42, None, ["World"]])
def test_hello_refuses_non_str(bad: object) -> None:
    with pytest.raises(TypeError, match="str"):
        hello_pyo3.hello(bad)  # type: ignore[arg-type]


def test_arguments_can_be_passed_by_keyword() -> None:
    assert hello_pyo3.hello(name="Ada") == "Hello, Ada!"
    assert hello_pyo3.repeat(text="ab", count=2) == "abab"
    with pytest.raises(TypeError):
        hello_pyo3.hello()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        hello_pyo3.hello("a", "b")  # type: ignore[call-arg]


@given(st.text())
def test_hello_formats_any_text(name: str) -> None:
    assert hello_pyo3.hello(name) == f"Hello, {name}!"


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [("ab", 3, "ababab"), ("ab", 0, ""), ("", 10, ""), ("🦀", 2, "🦀🦀"), ("a\0", 2, "a\0a\0")],
)
def test_repeat(text: str, count: int, expected: str) -> None:
    assert hello_pyo3.repeat(text, count) == expected


@given(st.text(max_size=20), st.integers(min_value=0, max_value=50))
def test_repeat_matches_python(text: str, count: int) -> None:
    assert hello_pyo3.repeat(text, count) == text * count


@pytest.mark.parametrize("count", [-1, -(2**63)])
def test_repeat_refuses_negative_counts(count: int) -> None:
    with pytest.raises(hello_pyo3.InputError, match="must not be negative"):
        hello_pyo3.repeat("ab", count)


def test_repeat_limit_is_64_mib_of_utf8() -> None:
    assert hello_pyo3.REPEAT_MAX_BYTES == 64 * 1024 * 1024
    limit = hello_pyo3.REPEAT_MAX_BYTES
    # "é" is 2 bytes of UTF-8: the limit counts bytes, not characters.
    assert len(hello_pyo3.repeat("é", limit // 2)) == limit // 2
    with pytest.raises(hello_pyo3.InputError, match=rf"would be {limit + 2} bytes, over the"):
        hello_pyo3.repeat("é", limit // 2 + 1)
    with pytest.raises(hello_pyo3.InputError, match="over the limit"):
        hello_pyo3.repeat("x", limit + 1)


def test_repeat_checks_the_size_before_allocating() -> None:
    # 2 * sys.maxsize bytes is far over the limit: refused at once, without trying to allocate it.
    with pytest.raises(hello_pyo3.InputError, match="over the limit"):
        hello_pyo3.repeat("ab", sys.maxsize)
    # Nothing to repeat is never too long.
    assert hello_pyo3.repeat("", sys.maxsize) == ""


def test_repeat_count_must_fit_in_64_bits() -> None:
    # Like Python's own "ab" * 2**63.
    with pytest.raises(OverflowError):
        hello_pyo3.repeat("ab", 2**63)


def test_deliberate_panic_raises_hello_error(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(hello_pyo3.HelloError) as caught:
        hello_pyo3.deliberate_panic("something broke")
    assert str(caught.value) == "Rust panicked: something broke"
    assert caught.value.args == ("Rust panicked: something broke",)
    # Rust's default panic hook still reports the panic on the process's stderr.
    assert "something broke" in capfd.readouterr().err


def test_a_panic_is_an_ordinary_exception() -> None:
    # pyo3's own PanicException derives from BaseException, so `except Exception` would miss it.
    # PanicError is a HelloError, an Exception: the usual handlers catch it.
    assert issubclass(hello_pyo3.PanicError, hello_pyo3.HelloError)
    assert issubclass(hello_pyo3.HelloError, Exception)
    try:
        hello_pyo3.deliberate_panic("caught by except Exception")
    except Exception as error:  # noqa: BLE001 - catching broadly is the point
        caught: BaseException = error
    assert type(caught) is hello_pyo3.PanicError
    assert type(caught).__name__ != "PanicException"
    assert "pyo3_runtime" not in type(caught).__module__


def test_a_panic_leaves_the_module_working() -> None:
    for attempt in range(3):
        with pytest.raises(hello_pyo3.HelloError, match=f"panic {attempt}"):
            hello_pyo3.deliberate_panic(f"panic {attempt}")
    assert hello_pyo3.hello("still here") == "Hello, still here!"


def test_deliberate_panic_with_unicode_message() -> None:
    with pytest.raises(hello_pyo3.HelloError, match="🦀 panicked: Zoë"):
        hello_pyo3.deliberate_panic("🦀 panicked: Zoë")


def test_panic_error_is_public_and_documented() -> None:
    error = hello_pyo3.PanicError
    assert error.__module__ == "hello_pyo3"
    assert error.__name__ == "PanicError"
    assert error.__doc__ and "panicked" in error.__doc__


def test_functions_are_native_with_signatures_and_docstrings() -> None:
    expected = {
        "abi_version": "()",
        "add": "(a, b)",
        "hello": "(name)",
        "repeat": "(text, count)",
        "deliberate_panic": "(message)",
    }
    for name, signature in expected.items():
        function = getattr(hello_pyo3, name)
        assert inspect.isbuiltin(function), name  # compiled, not a Python wrapper
        assert str(inspect.signature(function)) == signature
        assert function.__doc__, name


def test_package_reexports_the_whole_native_module() -> None:
    # pyo3 lists a declarative module's exports in its __all__.
    assert sorted(hello_pyo3.__all__) == sorted(hello_pyo3._native.__all__)
    assert "hello" in hello_pyo3.__all__
    for name in hello_pyo3.__all__:
        assert getattr(hello_pyo3, name) is getattr(hello_pyo3._native, name)


def test_module_is_loaded_from_the_installed_package() -> None:
    native = Path(hello_pyo3._native.__file__).resolve()
    # abi3: one file name for every Python version, instead of _native.cpython-311-....so
    assert native.name == "_native.abi3.so"
    assert native.parent == Path(hello_pyo3.__file__).resolve().parent
    assert STAGE_DIR / "python" not in native.parents
    assert (native.parent / "_native.pyi").is_file()
    assert (native.parent / "py.typed").is_file()


def test_eight_threads_get_their_own_results() -> None:
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def check(worker: int) -> None:
        barrier.wait()  # start together, so the calls really overlap
        for i in range(2_000):
            name = f"thread {worker} call {i} 🦀"
            if hello_pyo3.hello(name) != f"Hello, {name}!":
                errors.append(f"hello in thread {worker}, call {i}")
            if hello_pyo3.add(worker, i) != worker + i:
                errors.append(f"add in thread {worker}, call {i}")
            if i % 100 == 0:
                # repeat detaches from the interpreter: other threads run in the meantime.
                if hello_pyo3.repeat(name, 10_000) != name * 10_000:
                    errors.append(f"repeat in thread {worker}, call {i}")
                try:
                    hello_pyo3.deliberate_panic(f"thread {worker}")
                except hello_pyo3.HelloError as error:
                    if str(error) != f"Rust panicked: thread {worker}":
                        errors.append(f"panic in thread {worker} reported {error}")
                else:
                    errors.append(f"deliberate_panic returned in thread {worker}")

    def work(worker: int) -> None:
        # An exception in a thread is only printed: record it, so that the test fails.
        try:
            check(worker)
        except BaseException as error:  # noqa: BLE001
            errors.append(f"thread {worker} raised {error!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
