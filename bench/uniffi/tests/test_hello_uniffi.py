"""The stages' Rust core under maturin's uniffi binding: strings, errors, a panic, the build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

UNIFFI = Path(__file__).resolve().parents[1]
REPO = UNIFFI.parents[1]


def test_the_generator_and_the_crate_have_one_version():
    """uniffi-bindgen (PyPI) writes Python for the metadata the uniffi crate compiled in: the
    two must be the same release, or the generated module refuses the library."""
    crate = re.search(r'^uniffi = "=([\d.]+)"', (UNIFFI / "Cargo.toml").read_text(), re.M)
    bindgen = shutil.which("uniffi-bindgen", path=str(Path(sys.executable).parent))
    assert crate and bindgen
    output = subprocess.run([bindgen, "--version"], capture_output=True, text=True, check=True)
    assert output.stdout.split()[-1] == crate.group(1)


def test_the_core_is_the_stages_file():
    """The core is compiled from stage 3's core.rs (the one stage 2 shares), not a copy."""
    source = (UNIFFI / "src" / "lib.rs").read_text()
    (path,) = re.findall(r'#\[path = "([^"]+)"\]\s*mod core;', source)
    assert (UNIFFI / "src" / path).resolve() == REPO / "stages" / "v3-pyo3" / "src" / "core.rs"
    assert not (UNIFFI / "src" / "core.rs").exists()


def test_plain_calls(hello_uniffi):
    assert hello_uniffi.abi_version() == 1
    assert hello_uniffi.add(2, 40) == 42
    assert hello_uniffi.add(2**63 - 1, 1) == -(2**63)  # the core's wrapping_add


def test_strings_cross_both_ways(hello_uniffi):
    assert hello_uniffi.hello("World") == "Hello, World!"
    assert hello_uniffi.hello("Zoë 🦀") == "Hello, Zoë 🦀!"
    assert hello_uniffi.hello("") == "Hello, !"
    # uniffi passes a length with the bytes (a RustBuffer), so NUL is an ordinary character.
    assert hello_uniffi.hello("a\0b") == "Hello, a\0b!"
    assert hello_uniffi.repeat("é", 3) == "ééé"


def test_wrong_types_are_type_errors(hello_uniffi):
    with pytest.raises(TypeError):
        hello_uniffi.hello(42)
    with pytest.raises(TypeError):
        hello_uniffi.add("1", 2)


def test_core_errors_are_python_exceptions(hello_uniffi):
    # Each variant of the Rust error enum is a subclass of the exception named after the enum.
    assert issubclass(hello_uniffi.HelloError, Exception)
    with pytest.raises(hello_uniffi.HelloError.TooLong) as error:
        hello_uniffi.repeat("ab", 2**62)
    assert "67108864" in str(error.value)
    with pytest.raises(hello_uniffi.HelloError.NegativeCount, match="got -1"):
        hello_uniffi.repeat("ab", -1)


def test_a_panic_is_an_internal_error_and_the_process_goes_on(site):
    """uniffi's scaffolding catches the panic (catch_unwind) and raises InternalError, an
    ordinary Exception; Rust's panic hook still prints to stderr. Run in a child, in case."""
    code = f"""
    import sys
    sys.path.insert(0, {str(site)!r})
    import hello_uniffi
    try:
        hello_uniffi.deliberate_panic("boom")
    except Exception as error:
        print(type(error).__name__, error)
    print(hello_uniffi.hello("after"))
    """
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines() == ["InternalError boom", "Hello, after!"]
    assert "panicked" in child.stderr
