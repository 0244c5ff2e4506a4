"""Code that uses hello_pyo3 the way a caller would, for the type checker only.

`make lint` runs `mypy --strict` on this file against the installed package: it proves that
py.typed and _native.pyi reach the caller and say what the functions really take and return.
The `type: ignore[...]` lines must stay errors: with --strict mypy reports an ignore comment
that no longer suppresses anything, so a stub that became too permissive fails the check.
"""

from __future__ import annotations

from typing import NoReturn

import hello_pyo3


def greet_all(names: list[str]) -> list[str]:
    return [hello_pyo3.hello(name) for name in names]


def total(numbers: list[int]) -> int:
    result = 0
    for number in numbers:
        result = hello_pyo3.add(result, number)
    return result


def banner(text: str, width: int) -> str:
    if len(text.encode()) * width > hello_pyo3.REPEAT_MAX_BYTES:
        raise ValueError("too wide")
    return hello_pyo3.repeat(text, count=width)


def fail(message: str) -> NoReturn:
    hello_pyo3.deliberate_panic(message)


def describe(error: Exception) -> str:
    if isinstance(error, hello_pyo3.PanicError):
        base: hello_pyo3.HelloError = error  # PanicError is a HelloError
        return f"a bug: {base}"
    return str(error)


version: int = hello_pyo3.abi_version()
greeter: hello_pyo3.Greeter = hello_pyo3.default_greeter()
greeting: str = greeter.greet("Ada") + greeter.greeting
opened: bool = hello_pyo3.Gate().wait(0.1, detach=False)
hashed: int = hello_pyo3.spin(10)

greeter.greeting = "Hi"  # type: ignore[misc]
hello_pyo3.Gate().wait("1")  # type: ignore[arg-type]

hello_pyo3.hello(b"bytes")  # type: ignore[arg-type]
hello_pyo3.add(1.5, 2)  # type: ignore[arg-type]
hello_pyo3.repeat("ab", "3")  # type: ignore[arg-type]
hello_pyo3.REPEAT_MAX_BYTES = 1  # type: ignore[misc]
length: str = hello_pyo3.abi_version()  # type: ignore[assignment]
