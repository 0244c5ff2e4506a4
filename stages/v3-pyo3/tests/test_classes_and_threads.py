"""What stage 4 builds on: a frozen class with native state, exceptions declared in Rust,
state made once per process, and Rust code that lets other Python threads run."""

from __future__ import annotations

import sys
import threading

import pytest

import hello_pyo3
from hello_pyo3 import Gate, Greeter


def test_greeter_holds_its_greeting() -> None:
    greeter = Greeter("Hi")
    assert greeter.greet("Ada") == "Hi, Ada!"
    assert greeter.greeting == "Hi"


def test_greeter_repr_gives_the_object_back() -> None:
    greeter = Greeter('it\'s "quoted"')
    assert repr(greeter) == "Greeter('it\\'s \"quoted\"')"
    assert eval(repr(greeter), {"Greeter": Greeter}).greeting == greeter.greeting


def test_greeter_is_frozen() -> None:
    greeter = Greeter("Hi")
    with pytest.raises(AttributeError):
        greeter.greeting = "Bye"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        greeter.other = 1  # type: ignore[attr-defined]
    assert not hasattr(greeter, "__dict__")


def test_greeter_refuses_what_is_not_a_str() -> None:
    with pytest.raises(TypeError):
        Greeter(b"Hi")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Greeter("Hi").greet(None)  # type: ignore[arg-type]


def test_the_exceptions_form_a_hierarchy() -> None:
    assert hello_pyo3.InputError.__mro__[1:3] == (hello_pyo3.HelloError, Exception)
    assert hello_pyo3.PanicError.__mro__[1:3] == (hello_pyo3.HelloError, Exception)
    for cls in (hello_pyo3.HelloError, hello_pyo3.InputError, hello_pyo3.PanicError):
        assert cls.__module__ == "hello_pyo3"


def test_input_error_names_the_values() -> None:
    limit = hello_pyo3.REPEAT_MAX_BYTES
    with pytest.raises(hello_pyo3.InputError) as caught:
        hello_pyo3.repeat("abc", limit)
    assert str(caught.value) == (
        f"the result would be {3 * limit} bytes, over the limit of {limit} (64 MiB)"
    )


def test_default_greeter_is_made_once() -> None:
    first = hello_pyo3.default_greeter()
    assert first is hello_pyo3.default_greeter()
    assert repr(first) == "Greeter('Hello')"


def test_default_greeter_is_one_object_across_threads() -> None:
    seen: list[Greeter] = []
    threads = [
        threading.Thread(target=lambda: seen.append(hello_pyo3.default_greeter())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(greeter is seen[0] for greeter in seen)


def test_gate_waits_detached_so_another_thread_can_open_it() -> None:
    # The opener waits for `started`, set just before the call: when it runs `gate.open()` the
    # main thread is inside Rust (or about to be, which changes nothing), waiting on the gate.
    # No timing decides the outcome: the gate opens only if the opener got to run.
    gate = Gate()
    started = threading.Event()
    opener = threading.Thread(target=lambda: (started.wait(), gate.open()))
    opener.start()
    started.set()
    assert gate.wait(timeout=30) is True
    opener.join()
    assert repr(gate) == "<Gate open>"


def test_gate_held_blocks_every_other_thread() -> None:
    # With the GIL held, the opener cannot run before the wait times out. A long switch interval
    # keeps this thread from handing the GIL over between `started.set()` and the call.
    saved = sys.getswitchinterval()
    gate = Gate()
    started = threading.Event()
    opener = threading.Thread(target=lambda: (started.wait(), gate.open()))
    opener.start()
    sys.setswitchinterval(1000)
    try:
        started.set()
        assert gate.wait(timeout=0.5, detach=False) is False
    finally:
        sys.setswitchinterval(saved)
    opener.join()
    assert gate.wait(timeout=0) is True


def test_gate_refuses_a_negative_timeout() -> None:
    with pytest.raises(ValueError, match="timeout -1"):
        Gate().wait(-1)


def test_spin_gives_the_same_hash_held_or_detached() -> None:
    assert hello_pyo3.spin(1000) == hello_pyo3.spin(1000, detach=False) != 0
    assert hello_pyo3.spin(0) == 0
    with pytest.raises(OverflowError):
        hello_pyo3.spin(-1)
