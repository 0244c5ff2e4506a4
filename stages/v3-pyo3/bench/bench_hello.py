"""Nanoseconds per call: hello_pyo3 against pure-Python functions doing the same work.

Run it with `make bench` (it builds and installs the package first). It is a measurement, not a
test: the numbers depend on the machine and on what else runs on it. Every pair is measured in
the same run, interleaved, so that a busy machine slows both sides alike; the table shows the
fastest repeat (the least disturbed) and the median one.
"""

from __future__ import annotations

import platform
import statistics
import sys
import timeit
from collections.abc import Callable

import hello_pyo3

REPEATS = 15
TARGET_SECONDS = 0.1  # per measurement: long enough to swamp timer overhead


def python_hello(name: str) -> str:
    """The pure-Python function that hello_pyo3.hello is compared with."""
    return f"Hello, {name}!"


def python_abi_version() -> int:
    """A call that does no work: what remains is the cost of calling a function."""
    return 1


def calls_per_measurement(call: Callable[[], object]) -> int:
    number, _ = timeit.Timer(call).autorange()
    seconds = timeit.Timer(call).timeit(number)
    return max(number, int(number * TARGET_SECONDS / max(seconds, 1e-9)))


def measure(calls: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Time every call REPEATS times, taking turns, and return the ns per call of each repeat."""
    numbers = {label: calls_per_measurement(call) for label, call in calls.items()}
    results: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(REPEATS):
        for label, call in calls.items():
            seconds = timeit.Timer(call).timeit(numbers[label])
            results[label].append(seconds / numbers[label] * 1e9)
    return results


def main() -> None:
    short = "World"
    long = "Zoë 🦀 " * 150  # 1050 characters, 1650 bytes of UTF-8
    assert hello_pyo3.hello(short) == python_hello(short)
    assert hello_pyo3.hello(long) == python_hello(long)

    pairs = [
        ("hello('World')", lambda: hello_pyo3.hello(short), lambda: python_hello(short)),
        ("hello(1050 chars)", lambda: hello_pyo3.hello(long), lambda: python_hello(long)),
        ("abi_version()", hello_pyo3.abi_version, python_abi_version),
    ]
    calls: dict[str, Callable[[], object]] = {}
    for name, rust_call, python_call in pairs:
        calls[f"{name} pyo3"] = rust_call
        calls[f"{name} python"] = python_call
    results = measure(calls)

    print(f"Python {platform.python_version()} on {platform.machine()}, {REPEATS} repeats")
    print(
        f"{'call':<20} {'pyo3 min':>9} {'python min':>11} {'ratio':>6}   "
        f"{'pyo3 med':>9} {'python med':>11} {'ratio':>6}"
    )
    for name, _, _ in pairs:
        rust, python = results[f"{name} pyo3"], results[f"{name} python"]
        rust_min, python_min = min(rust), min(python)
        rust_med, python_med = statistics.median(rust), statistics.median(python)
        print(
            f"{name:<20} {rust_min:>6.1f} ns {python_min:>8.1f} ns {rust_min / python_min:>5.2f}x"
            f"   {rust_med:>6.1f} ns {python_med:>8.1f} ns {rust_med / python_med:>5.2f}x"
        )
    print("ratio = pyo3 time / pure-Python time (below 1 means pyo3 is faster)")


if __name__ == "__main__":
    sys.exit(main())
