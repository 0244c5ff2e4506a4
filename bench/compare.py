"""Call overhead of each binding approach, measured in one run against floors from the same run.

Usage: python bench/compare.py    (or `make bench`, which builds and installs the stages first)

Two operations, each through every approach:

- ``abi_version()``: no argument, returns an int — the cost of crossing the boundary at all;
- ``hello(name)``: a str in, a new str out — encoding, allocation, copying and freeing.

The floors are a pure-Python function doing the same work and a call of a C builtin. Each row
is timed ``REPEATS`` times; the table shows the minimum (the least disturbed run) and the
median, and ratios of the medians to the pure-Python floor. Absolute numbers belong to this
machine and this moment: compare ratios within one run, never numbers across runs.
"""

from __future__ import annotations

import ctypes
import os
import statistics
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hello_cffi
import hello_ctypes
import hello_pyo3

NAME = "workshop"
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))
# Each timed run lasts at least this long, so the timer's resolution does not matter.
MIN_RUN_SECONDS = float(os.environ.get("BENCH_MIN_RUN_SECONDS", "0.2"))


@dataclass
class Row:
    operation: str
    approach: str
    min_ns: float
    median_ns: float
    ratio: float = 0.0  # median / median of the pure-Python floor


def python_abi_version() -> int:
    return 1


def python_hello(name: str) -> str:
    return f"Hello, {name}!"


def ctypes_hello_stage1_style() -> Callable[[str], str]:
    """hello() through ctypes, declared by hand the stage 1 way, on stage 2's library.

    Stage 1's library returns no owned strings, so this loads the library hello_cffi ships
    (same Rust function) and does what a careful ctypes caller must: declare ``c_void_p`` to
    keep the pointer, copy the bytes, and free the pointer with the library's free function.
    """
    library = ctypes.CDLL(str(hello_cffi.LIBRARY_PATH))
    library.hello.argtypes = [ctypes.c_char_p]
    library.hello.restype = ctypes.c_void_p
    library.hello_string_free.argtypes = [ctypes.c_void_p]
    library.hello_string_free.restype = None

    def hello(name: str) -> str:
        if "\0" in name:
            raise ValueError("name contains a NUL character")
        pointer = library.hello(name.encode("utf-8"))
        if pointer is None:
            raise RuntimeError("hello failed")
        try:
            return ctypes.string_at(pointer).decode("utf-8")
        finally:
            library.hello_string_free(pointer)

    return hello


def time_call(
    function: Callable[..., Any], args: tuple[Any, ...], repeats: int, min_run_seconds: float
) -> tuple[float, float]:
    """(min, median) nanoseconds per call of ``function(*args)``."""
    timer = timeit.Timer("function(*args)", globals={"function": function, "args": args})
    number, _ = timer.autorange()  # calls that take at least 0.2 s
    number = max(1, int(number * min_run_seconds / 0.2))
    per_call = [run / number * 1e9 for run in timer.repeat(repeat=repeats, number=number)]
    return min(per_call), statistics.median(per_call)


def cases() -> dict[str, dict[str, tuple[Callable[..., Any], tuple[Any, ...]]]]:
    """operation -> approach -> (function, arguments). The first two rows are the floors."""
    format_hello = "Hello, {}!".format
    return {
        "abi_version()": {
            "pure Python": (python_abi_version, ()),
            "C builtin (sys.getrecursionlimit)": (sys.getrecursionlimit, ()),
            "ctypes (stage 1)": (hello_ctypes.lib.abi_version, ()),
            "cffi (stage 2)": (hello_cffi.lib.abi_version, ()),
            "pyo3 (stage 3)": (hello_pyo3.abi_version, ()),
        },
        "hello(name)": {
            "pure Python": (python_hello, (NAME,)),
            "C builtin (str.format)": (format_hello, (NAME,)),
            "ctypes, stage 1 style": (ctypes_hello_stage1_style(), (NAME,)),
            "cffi (stage 2)": (hello_cffi.hello, (NAME,)),
            "pyo3 (stage 3)": (hello_pyo3.hello, (NAME,)),
        },
    }


def measure(repeats: int = REPEATS, min_run_seconds: float = MIN_RUN_SECONDS) -> list[Row]:
    rows = []
    for operation, approaches in cases().items():
        results = []
        (python_function, python_args), *_ = approaches.values()
        expected = python_function(*python_args)
        for approach, (function, args) in approaches.items():
            # The C builtin floor only stands for the cost of a call; the rest must agree.
            if not approach.startswith("C builtin") and function(*args) != expected:
                raise AssertionError(f"{approach} computes something else than pure Python")
            timing = time_call(function, args, repeats, min_run_seconds)
            results.append(Row(operation, approach, *timing))
        floor = results[0].median_ns
        for row in results:
            row.ratio = row.median_ns / floor
        rows.extend(results)
    return rows


def format_table(rows: list[Row]) -> str:
    header = f"{'operation':<14} {'approach':<34} {'min ns':>8} {'median ns':>10} {'× Python':>9}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.operation:<14} {row.approach:<34} {row.min_ns:>8.0f} {row.median_ns:>10.0f}"
            f" {row.ratio:>9.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    print(f"Python {sys.version.split()[0]}, {REPEATS} repeats per row")
    print(format_table(measure()))


if __name__ == "__main__":
    main()
