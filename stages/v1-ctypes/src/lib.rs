//! Stage 1: the smallest useful C ABI, written in Rust and loaded from Python with `ctypes`.
//!
//! Three functions, one per thing a caller has to get right, and a fourth for the caller's checks:
//! - [`hello`] has a side effect (it prints) and no arguments or result;
//! - [`add`] passes integers both ways, so the caller must declare their C types;
//! - [`hello_message`] returns a pointer, which the caller must declare as a pointer or it is
//!   truncated to a C `int`.
//!
//! [`abi_version`] lets the Python side check that the library it loaded is the one its
//! declarations were written for: ctypes cannot check signatures, so this is the next best thing.
//!
//! `core.rs` is plain Rust that knows nothing about C (stages 2 and 3 grow the same file). This
//! file is the binding layer: the `extern "C"` functions, each a call into the core or a static
//! string. Nothing here allocates or can panic: ownership and error handling are stage 2's lessons.

pub mod core;

use std::ffi::{CStr, c_char};
use std::io::Write;

/// The greeting, stored once in the library's read-only data, NUL-terminated for C.
const MESSAGE: &CStr = c"Hello from Rust!";

/// Version of this C ABI, bumped whenever a signature changes (the Python side checks it).
#[unsafe(no_mangle)]
pub extern "C" fn abi_version() -> u32 {
    core::abi_version()
}

/// Prints the greeting to the process's standard output.
///
/// This writes to file descriptor 1 directly, not through Python's `sys.stdout`: a terminal shows
/// it, and so does a Jupyter cell (the kernel reads descriptor 1 itself), but a redirected
/// `sys.stdout` never sees it. Stage 2 returns strings instead, which the caller can use.
#[unsafe(no_mangle)]
pub extern "C" fn hello() {
    let mut out = std::io::stdout().lock();
    // A closed or full stdout is not worth aborting the caller's process for: ignore the error.
    let _ = writeln!(out, "{}", MESSAGE.to_string_lossy());
    let _ = out.flush();
}

/// Adds two 64-bit integers; on overflow the result wraps around (two's complement).
///
/// The core's `wrapping_add` keeps the function total: a plain `+` panics on overflow in debug
/// builds, and a panic may not unwind out of an `extern "C"` function (Rust aborts the process).
#[unsafe(no_mangle)]
pub extern "C" fn add(a: i64, b: i64) -> i64 {
    core::add(a, b)
}

/// Returns a pointer to a static, NUL-terminated UTF-8 message.
///
/// The memory belongs to the library and lives as long as it is loaded: the caller reads it and
/// must never free it.
#[unsafe(no_mangle)]
pub extern "C" fn hello_message() -> *const c_char {
    MESSAGE.as_ptr()
}
