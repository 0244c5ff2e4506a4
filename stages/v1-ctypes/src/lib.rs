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
//! Nothing here allocates or can panic: ownership and error handling are stage 2's lessons.

use std::ffi::{CStr, c_char};
use std::io::Write;

/// The greeting, stored once in the library's read-only data, NUL-terminated for C.
const MESSAGE: &CStr = c"Hello from Rust!";

/// Version of this C ABI. Bump it whenever a signature changes, so that an old Python package
/// refuses a new library (and vice versa) instead of calling it with the wrong types.
#[unsafe(no_mangle)]
pub extern "C" fn abi_version() -> u32 {
    1
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
/// `wrapping_add` keeps the function total: a plain `+` panics on overflow in debug builds, and a
/// panic may not unwind out of an `extern "C"` function (Rust aborts the process instead).
#[unsafe(no_mangle)]
pub extern "C" fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// Returns a pointer to a static, NUL-terminated UTF-8 message.
///
/// The memory belongs to the library and lives as long as it is loaded: the caller reads it and
/// must never free it.
#[unsafe(no_mangle)]
pub extern "C" fn hello_message() -> *const c_char {
    MESSAGE.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_adds() {
        assert_eq!(add(2, 40), 42);
        assert_eq!(add(-5, 5), 0);
    }

    #[test]
    fn add_wraps_instead_of_panicking() {
        assert_eq!(add(i64::MAX, 1), i64::MIN);
        assert_eq!(add(i64::MIN, -1), i64::MAX);
    }

    #[test]
    fn message_is_static_and_nul_terminated() {
        let ptr = hello_message();
        assert!(!ptr.is_null());
        // SAFETY: hello_message returns a pointer into a 'static C string.
        let text = unsafe { CStr::from_ptr(ptr) };
        assert_eq!(text.to_str(), Ok("Hello from Rust!"));
        // The same address every time: nothing is allocated per call.
        assert_eq!(ptr, hello_message());
    }

    #[test]
    fn hello_does_not_panic() {
        hello();
    }
}
