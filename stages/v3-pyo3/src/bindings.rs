//! The pyo3 layer: turns the core's functions into the Python module `hello_pyo3._native`.
//!
//! This file replaces everything stages 1 and 2 wrote by hand on both sides of a C ABI: the
//! `extern "C"` functions, pointers and lengths, who frees what, and the Python declarations.
//! pyo3 converts the arguments (a Python `str` arrives as text, a Python `int` as `i64`) and
//! raises `TypeError` or `OverflowError` when they do not fit. What is left to write here is the
//! part that is a decision: which Python exception each failure becomes.
//!
//! The doc comments of the functions are their Python docstrings (`help(hello_pyo3.hello)`).

use std::panic::{self, UnwindSafe};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::core::{self, RepeatError};

pyo3::create_exception!(
    hello_pyo3,
    HelloError,
    PyRuntimeError,
    "Raised when the Rust code panics, which is a bug: the message is \"Rust panicked: <why>\"."
);

/// Bad input for `repeat` is the caller's mistake: Python's convention for that is `ValueError`.
/// With this `From`, `?` converts the core's error wherever a `PyResult` is returned.
impl From<RepeatError> for PyErr {
    fn from(error: RepeatError) -> Self {
        PyValueError::new_err(error.to_string())
    }
}

/// Runs `f`, turning a panic into `HelloError("Rust panicked: <the panic's message>")`.
///
/// pyo3 catches a panic too, but raises `pyo3_runtime.PanicException`, which derives from
/// `BaseException`: it slips past `except Exception` the way `KeyboardInterrupt` does, and a
/// user cannot import it to catch it by name. A library owes its users a documented exception.
fn catch_panic<T>(f: impl FnOnce() -> T + UnwindSafe) -> PyResult<T> {
    panic::catch_unwind(f).map_err(|payload| {
        // `panic!("literal")` carries a `&str`, `panic!("{x}")` a `String`.
        let message = if let Some(text) = payload.downcast_ref::<&str>() {
            text
        } else if let Some(text) = payload.downcast_ref::<String>() {
            text.as_str()
        } else {
            "(no message)"
        };
        HelloError::new_err(format!("Rust panicked: {message}"))
    })
}

// The arguments are `PyBackedStr`: it keeps the `str` alive and derefs to `&str`, pointing into
// the UTF-8 form that CPython caches inside the `str` (`PyUnicode_AsUTF8AndSize`, in the stable
// ABI since 3.10, so no copy under abi3-py311; under abi3-py39 it would hold a copy). A `str`
// that has no UTF-8 form (it holds a lone surrogate) fails that conversion with
// `UnicodeEncodeError`, before any of the code below runs.

/// Return the version of the functions' contract (1, as in stages 1 and 2).
#[pyfunction]
fn abi_version() -> u32 {
    core::abi_version()
}

/// Return ``a + b`` computed in Rust on 64-bit integers; an overflowing sum wraps around.
///
/// Raises TypeError if an argument is not an int, OverflowError if it does not fit in 64 bits.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    core::add(a, b)
}

// `add` and `abi_version` cannot panic; the functions below call the core through `catch_panic`.

/// Return the greeting ``Hello, {name}!``.
///
/// Any str that can be encoded as UTF-8 is accepted, "\0" included.
/// Raises TypeError if name is not a str, UnicodeEncodeError (a ValueError) if it holds a
/// lone surrogate.
#[pyfunction]
fn hello(name: PyBackedStr) -> PyResult<String> {
    let name: &str = &name;
    catch_panic(|| core::hello(name))
}

/// Return ``text`` repeated ``count`` times.
///
/// Raises ValueError if count is negative or if the result would be longer than
/// REPEAT_MAX_BYTES bytes of UTF-8, and OverflowError if count does not fit in 64 bits.
#[pyfunction]
fn repeat(py: Python<'_>, text: PyBackedStr, count: i64) -> PyResult<String> {
    let text: &str = &text;
    // Building up to 64 MiB takes a while: detach from the interpreter (release the GIL) so that
    // other Python threads run meanwhile. Only Rust data may cross into the closure.
    let repeated = py.detach(|| catch_panic(|| core::repeat(text, count)))?;
    Ok(repeated?)
}

/// Panic inside Rust with ``message``, on purpose, to show what a bug in Rust code becomes.
///
/// Always raises HelloError (a RuntimeError), "Rust panicked: {message}", never pyo3's
/// PanicException.
/// Rust's panic hook also prints the message to the process's stderr.
#[pyfunction]
fn deliberate_panic(message: PyBackedStr) -> PyResult<()> {
    let message: &str = &message;
    catch_panic(|| core::deliberate_panic(message))
}

/// The compiled half of hello_pyo3. Import from ``hello_pyo3``, which re-exports all of it.
#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{HelloError, abi_version, add, deliberate_panic, hello, repeat};

    /// The largest result ``repeat`` builds, in bytes of UTF-8 (64 MiB).
    #[pymodule_export]
    const REPEAT_MAX_BYTES: usize = crate::core::REPEAT_MAX_BYTES;
}
