"""Nanoseconds per hello() call: ctypes the stage 1 way against this stage's cffi wrapper.

Both call the same function in the same library (the one hello_cffi installed), and both do
the same Python-side work per call: check the argument, encode it, copy the result into a str,
and free Rust's string. What differs is how the call crosses into C.

    python bench/bench_hello.py [--readme README.md]

`make bench` runs it without --readme and prints; `make bench-readme` adds --readme.

With --readme, the table replaces the one between the `bench-hello` markers in that file. It is
not a test: the numbers belong to the machine; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import ctypes
import platform
import statistics
import timeit
from collections.abc import Callable
from pathlib import Path

import hello_cffi
from hello_cffi import ffi, lib

NAME = "bench"
CALLS = 200_000
REPEATS = 7
BEGIN, END = "<!-- bench-hello:begin -->", "<!-- bench-hello:end -->"


def ctypes_hello_factory() -> Callable[[str], str]:
    """A hello() wrapper written the stage 1 way: hand-declared types, c_void_p, explicit free."""
    library = ctypes.CDLL(str(hello_cffi.LIBRARY_PATH))
    library.hello.argtypes = [ctypes.c_char_p]
    # c_void_p, not c_char_p: we need the pointer itself back to free it.
    library.hello.restype = ctypes.c_void_p
    library.hello_string_free.argtypes = [ctypes.c_void_p]
    library.hello_string_free.restype = None

    def hello(name: str) -> str:
        if not isinstance(name, str):
            raise TypeError(f"name must be str, not {type(name).__name__}")
        if "\0" in name:
            raise ValueError("name contains a NUL character")
        pointer = library.hello(name.encode("utf-8"))
        if pointer is None:
            raise RuntimeError("hello failed")
        try:
            text = ctypes.string_at(pointer)
        finally:
            library.hello_string_free(pointer)
        return text.decode("utf-8")

    return hello


def cffi_raw_hello(name: str) -> str:
    """The cffi call with no checks at all: the floor under the wrapper."""
    pointer = lib.hello(name.encode("utf-8"))
    try:
        text: bytes = ffi.string(pointer)
    finally:
        lib.hello_string_free(pointer)
    return text.decode("utf-8")


def nanoseconds_per_call(function: Callable[[str], str]) -> tuple[float, float]:
    """(min, median) over REPEATS runs of CALLS calls each, in ns per call."""
    assert function(NAME) == f"Hello, {NAME}!"
    runs = timeit.repeat(lambda: function(NAME), number=CALLS, repeat=REPEATS)
    per_call = [run / CALLS * 1e9 for run in runs]
    return min(per_call), statistics.median(per_call)


def table() -> str:
    """Time every variant, in one run, and lay the results out as a text table."""
    variants = {
        "ctypes, stage 1 style": ctypes_hello_factory(),
        "hello_cffi.hello (wrapper)": hello_cffi.hello,
        "cffi lib.hello, no checks": cffi_raw_hello,
    }
    results = {label: nanoseconds_per_call(function) for label, function in variants.items()}
    _, baseline = results["hello_cffi.hello (wrapper)"]
    python = f"{platform.python_implementation()} {platform.python_version()}"
    lines = [
        f"hello({NAME!r}) on {python}, {platform.machine()}: "
        f"{CALLS:,} calls x {REPEATS} repeats, ns per call",
        f"{'variant':<28} {'min':>8} {'median':>8} {'median / cffi wrapper':>22}",
    ]
    for label, (fastest, median) in results.items():
        lines.append(f"{label:<28} {fastest:>8.0f} {median:>8.0f} {median / baseline:>22.2f}")
    return "\n".join(lines)


def write_readme(readme: Path, text: str) -> None:
    content = readme.read_text()
    start, end = content.index(BEGIN) + len(BEGIN), content.index(END)
    readme.write_text(content[:start] + "\n```text\n" + text + "\n```\n" + content[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, help="write the table into this file")
    args = parser.parse_args()
    text = table()
    print(text)
    if args.readme:
        write_readme(args.readme, text)
        print(f"written to {args.readme}")


if __name__ == "__main__":
    main()
