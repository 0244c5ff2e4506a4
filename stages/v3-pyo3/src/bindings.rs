//! The pyo3 layer: turns the core's functions into the Python module `hello_pyo3._native`.
//!
//! This file replaces everything stages 1 and 2 wrote by hand on both sides of a C ABI: the
//! `extern "C"` functions, pointers and lengths, who frees what, and the Python declarations.
//! pyo3 converts the arguments (a Python `str` arrives as text, a Python `int` as `i64`) and
//! raises `TypeError` or `OverflowError` when they do not fit. What is left to write here is the
//! part that is a decision: which Python exception each failure becomes.
//!
//! The doc comments of the functions are their Python docstrings (`help(hello_pyo3.hello)`).

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::core::{self, RepeatError};

// The exception hierarchy: each macro makes a Python class (module `hello_pyo3`) whose base is
// the class named third, so `except HelloError` catches every one.
pyo3::create_exception!(
    hello_pyo3,
    HelloError,
    PyException,
    "Base class of every error hello_pyo3 raises."
);
pyo3::create_exception!(
    hello_pyo3,
    InputError,
    HelloError,
    "The core refused an argument; the message says which value and why."
);
pyo3::create_exception!(
    hello_pyo3,
    PanicError,
    HelloError,
    "Rust panicked, which is a bug: the message is \"Rust panicked: <why>\"."
);

/// With this `From`, `?` turns the core's error into `InputError`, carrying the core's message
/// (which names the count, or the size against the limit), wherever a `PyResult` is returned.
impl From<RepeatError> for PyErr {
    fn from(error: RepeatError) -> Self {
        InputError::new_err(error.to_string())
    }
}

/// Runs `f`, turning a panic into `PanicError("Rust panicked: <the panic's message>")`. pyo3
/// would raise `pyo3_runtime.PanicException`, a `BaseException` that slips past `except
/// Exception` and cannot be imported to catch by name.
fn catch_panic<T>(f: impl FnOnce() -> T) -> PyResult<T> {
    core::catch_panic(f).map_err(|message| PanicError::new_err(format!("Rust panicked: {message}")))
}

// A `&str` argument borrows the UTF-8 form CPython caches inside the `str` (stable ABI since 3.10:
// no copy under abi3-py311). A lone surrogate has no UTF-8 form: pyo3 raises UnicodeEncodeError.

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
fn hello(name: &str) -> PyResult<String> {
    catch_panic(|| core::hello(name))
}

/// Return ``text`` repeated ``count`` times.
///
/// Raises InputError if count is negative or if the result would be longer than
/// REPEAT_MAX_BYTES bytes of UTF-8, and OverflowError if count does not fit in 64 bits.
#[pyfunction]
fn repeat(py: Python<'_>, text: &str, count: i64) -> PyResult<String> {
    // Building up to 64 MiB takes a while: detach from the interpreter (release the GIL) so that
    // other Python threads run meanwhile. Only Rust data may cross into the closure.
    let repeated = py.detach(|| catch_panic(|| core::repeat(text, count)))?;
    Ok(repeated?)
}

/// Panic inside Rust with ``message``, on purpose, to show what a bug in Rust code becomes.
///
/// Always raises PanicError (a HelloError), "Rust panicked: {message}", never pyo3's
/// PanicException. Rust's panic hook also prints the message to the process's stderr.
#[pyfunction]
fn deliberate_panic(message: &str) -> PyResult<()> {
    catch_panic(|| core::deliberate_panic(message))
}

// What stage 4 builds on, none of it in stage 2: a class holding native state, an object made
// once per process, and waiting or working with the GIL released.

/// A greeting fixed once: ``Greeter("Hi").greet("Ada")`` returns ``"Hi, Ada!"``.
///
/// frozen: no method gets `&mut self`, so pyo3 needs no borrow flag. Like every class that is not
/// `unsendable`, frozen or not, it must be `Sync` (any thread may reach it), which a `String` is.
#[pyclass(frozen, module = "hello_pyo3")]
struct Greeter {
    greeting: String,
}

#[pymethods]
impl Greeter {
    #[new]
    fn new(greeting: String) -> Self {
        Self { greeting }
    }

    /// The greeting this Greeter was made with (read-only).
    #[getter]
    fn greeting(&self) -> &str {
        &self.greeting
    }

    /// Return ``{greeting}, {name}!``.
    fn greet(&self, name: &str) -> String {
        format!("{}, {name}!", self.greeting)
    }

    /// ``Greeter('Hi')``: Python's repr of the greeting, so that eval() gives the object back.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let greeting = self.greeting.as_str().into_pyobject(py)?.repr()?;
        Ok(format!("Greeter({greeting})"))
    }
}

/// Return the ``Greeter("Hello")`` of this module: made on the first call, the same object on
/// every later one.
#[pyfunction]
fn default_greeter(py: Python<'_>) -> PyResult<Py<Greeter>> {
    // PyOnceLock, not std's OnceLock: a thread that finds another one initializing it waits
    // detached from the interpreter, so the initializing thread can take the GIL and finish.
    static DEFAULT: PyOnceLock<Py<Greeter>> = PyOnceLock::new();
    let greeter = DEFAULT.get_or_try_init(py, || Py::new(py, Greeter::new("Hello".into())))?;
    Ok(greeter.clone_ref(py))
}

/// A one-way gate between threads: ``wait`` blocks until another thread calls ``open``.
#[pyclass(frozen, module = "hello_pyo3")]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

#[pymethods]
impl Gate {
    #[new]
    fn new() -> Self {
        Self {
            open: Mutex::new(false),
            opened: Condvar::new(),
        }
    }

    /// Open the gate, waking every thread in ``wait``.
    fn open(&self) {
        *self.open.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.opened.notify_all();
    }

    /// Wait up to ``timeout`` seconds for ``open()``; return whether the gate is open.
    ///
    /// Detached from the interpreter (the GIL released) unless ``detach=False``: only then can
    /// another Python thread run, and so open the gate, while this one waits in Rust.
    #[pyo3(signature = (timeout, detach = true))]
    fn wait(&self, py: Python<'_>, timeout: f64, detach: bool) -> PyResult<bool> {
        let timeout = Duration::try_from_secs_f64(timeout)
            .map_err(|error| PyValueError::new_err(format!("timeout {timeout}: {error}")))?;
        // The closure borrows `self`: `&Gate` may cross into a detached closure because a Gate
        // is `Sync` (a `Mutex` and a `Condvar`). A `Bound` or `Python` could not: not `Send`.
        let wait = || {
            let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
            let waited = self.opened.wait_timeout_while(open, timeout, |open| !*open);
            *waited.unwrap_or_else(PoisonError::into_inner).0
        };
        Ok(if detach { py.detach(wait) } else { wait() })
    }

    fn __repr__(&self) -> String {
        let open = *self.open.lock().unwrap_or_else(PoisonError::into_inner);
        format!("<Gate {}>", if open { "open" } else { "closed" })
    }
}

/// Hash the numbers below ``rounds`` (CPU work, no memory) and return the hash, detached from the
/// interpreter unless ``detach=False``: the benchmark of what releasing the GIL buys threads.
#[pyfunction]
#[pyo3(signature = (rounds, detach = true))]
fn spin(py: Python<'_>, rounds: u64, detach: bool) -> u64 {
    let work = move || (0..rounds).fold(0, |hash: u64, i| (hash ^ i).wrapping_mul(0x100_0000_01b3));
    if detach { py.detach(work) } else { work() }
}

/// The compiled half of hello_pyo3. Import from ``hello_pyo3``, which re-exports all of it.
#[pymodule]
mod _native {
    // Stage 1's functions.
    #[pymodule_export]
    use super::{abi_version, add};
    // Stage 2's: text in and out, and a panic caught before it reaches Python.
    #[pymodule_export]
    use super::{deliberate_panic, hello, repeat};
    // The exceptions, declared in Rust.
    #[pymodule_export]
    use super::{HelloError, InputError, PanicError};
    // Waiting, and working, with the GIL released.
    #[pymodule_export]
    use super::{Gate, spin};
    // A class that owns Rust state.
    #[pymodule_export]
    use super::Greeter;
    // An object made once.
    #[pymodule_export]
    use super::default_greeter;

    /// The largest result ``repeat`` builds, in bytes of UTF-8 (64 MiB).
    #[pymodule_export]
    const REPEAT_MAX_BYTES: usize = crate::core::REPEAT_MAX_BYTES;
}
