//! Stage 2: strings across the C ABI, who frees them, and errors that never crash the caller.
//!
//! `core.rs` is plain Rust that knows nothing about C (stage 3 carries the same file). This file
//! is the binding layer: C strings to `&str` and back, the last error per thread, and thin
//! `extern "C"` functions, each one core call wrapped in [`ffi_boundary`], which catches panics.
//!
//! Ownership, the rule the header repeats: every `char *` this library returns was allocated
//! here with [`CString::into_raw`] and must come back to [`hello_string_free`] exactly once;
//! every `const char *` it receives is only borrowed for the duration of the call.

pub mod core;

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::ptr;

/// Any failure, as the caller reads it: `?` converts the core's `RepeatError`; the boundary's own
/// failures (a NULL pointer, bad UTF-8) are messages.
type Error = Box<dyn std::error::Error>;

thread_local! {
    /// This thread's last failure, until [`last_error_message`] takes it: one per thread.
    static LAST_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn set_last_error(error: &Error) {
    LAST_ERROR.with_borrow_mut(|slot| *slot = Some(error.to_string()));
}

/// Borrows a C string argument as `&str`.
///
/// # Safety
///
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and unchanged for `'a`.
unsafe fn borrow_str<'a>(ptr: *const c_char, argument: &'static str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(format!("`{argument}` is a NULL pointer").into());
    }
    // SAFETY: `ptr` is not NULL, and the caller promises a NUL-terminated string valid for 'a.
    let c_str = unsafe { CStr::from_ptr(ptr) };
    c_str.to_str().map_err(|error| {
        let index = error.valid_up_to();
        format!("`{argument}` is not valid UTF-8 (invalid byte at index {index})").into()
    })
}

/// Hands a Rust string to C: the caller now owns it and returns it to [`hello_string_free`].
fn into_c_string(text: String) -> Result<*mut c_char, Error> {
    let text = CString::new(text).map_err(|error| {
        let index = error.nul_position();
        format!("the result has a NUL byte at index {index}, which a C string cannot carry")
    })?;
    Ok(text.into_raw())
}

/// Runs `body`; if it fails *or panics*, records the error for [`last_error_message`] and
/// returns `on_error` (NULL, or -1). A panic must not unwind out of an `extern "C"` function:
/// Rust aborts the process when one tries (since 1.81), killing the Python that called us.
fn ffi_boundary<T>(on_error: T, body: impl FnOnce() -> Result<T, Error>) -> T {
    let outcome =
        core::catch_panic(body).unwrap_or_else(|why| Err(format!("Rust panicked: {why}").into()));
    outcome.unwrap_or_else(|error| {
        set_last_error(&error);
        on_error
    })
}

/// Version of this C ABI, bumped whenever a signature changes (the Python side checks it).
#[unsafe(no_mangle)]
pub extern "C" fn abi_version() -> u32 {
    core::abi_version()
}

/// Adds two 64-bit integers; on overflow the result wraps around (two's complement).
#[unsafe(no_mangle)]
pub extern "C" fn add(a: i64, b: i64) -> i64 {
    core::add(a, b)
}

/// Returns a new string "Hello, <name>!", or NULL on error; free it with hello_string_free().
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string that stays valid during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hello(name: *const c_char) -> *mut c_char {
    ffi_boundary(ptr::null_mut(), || {
        // SAFETY: this function's own contract.
        let name = unsafe { borrow_str(name, "name") }?;
        into_c_string(core::hello(name))
    })
}

/// Returns a new string, `text` repeated `count` times, or NULL on error; free it likewise.
///
/// The errors: `text` is NULL or not UTF-8, `count` is negative, or the result would be longer
/// than REPEAT_MAX_BYTES.
///
/// # Safety
///
/// `text` is NULL or a NUL-terminated string that stays valid during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn repeat(text: *const c_char, count: i64) -> *mut c_char {
    ffi_boundary(ptr::null_mut(), || {
        // SAFETY: this function's own contract.
        let text = unsafe { borrow_str(text, "text") }?;
        into_c_string(core::repeat(text, count)?)
    })
}

/// Panics with `message`, on purpose, and returns -1: the panic became an error here.
///
/// # Safety
///
/// `message` is NULL or a NUL-terminated string that stays valid during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn deliberate_panic(message: *const c_char) -> i32 {
    ffi_boundary(-1, || {
        // SAFETY: this function's own contract.
        let message = unsafe { borrow_str(message, "message") }?;
        core::deliberate_panic(message)
    })
}

/// Takes the calling thread's last error message (NULL if none); free it with hello_string_free().
///
/// Call it right after a function returned NULL (or -1), on the same thread: each thread keeps
/// its own message, and a later failure replaces it.
#[unsafe(no_mangle)]
pub extern "C" fn last_error_message() -> *mut c_char {
    ffi_boundary(ptr::null_mut(), || {
        let Some(message) = LAST_ERROR.take() else {
            return Ok(ptr::null_mut());
        };
        // A panic message may contain NUL; escape it rather than lose the message.
        into_c_string(message.replace('\0', "\\0"))
    })
}

/// Frees a string that this library returned; NULL is ignored.
///
/// # Safety
///
/// `string` is NULL or a pointer this library returned and not freed yet, never used again after.
/// Pointers from any other allocator (Python, C's malloc) must never come here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hello_string_free(string: *mut c_char) {
    if !string.is_null() {
        // SAFETY: the caller returns a pointer made by CString::into_raw, exactly once.
        drop(unsafe { CString::from_raw(string) });
    }
}

// Not reachable from tests/c_abi.rs: only a panic's message can hold a NUL.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_in_a_panic_message_is_escaped() {
        assert_eq!(ffi_boundary(0, || core::deliberate_panic("a\0b")), 0);
        // SAFETY: a message was recorded: a string this library made, taken back once.
        let message = unsafe { CString::from_raw(last_error_message()) };
        assert_eq!(message.to_str(), Ok("Rust panicked: a\\0b"));
    }
}
