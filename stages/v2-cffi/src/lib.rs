//! Stage 2: strings across the C ABI, who frees them, and errors that never crash the caller.
//!
//! Two layers, one file each:
//! 1. `core.rs`: plain Rust functions that know nothing about C and report failure with
//!    [`Result`]; stage 3 carries the same file.
//! 2. this file, the binding layer: turning C strings into `&str` and back, keeping the last
//!    error per thread, [`ffi_boundary`], which catches panics, and thin `extern "C"` functions,
//!    each one core call wrapped in [`ffi_boundary`].
//!
//! Ownership, the rule the header repeats: every `char *` this library returns was allocated
//! here with [`CString::into_raw`] and must come back to [`hello_string_free`] exactly once;
//! every `const char *` it receives is only borrowed for the duration of the call.

pub mod core;

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::ptr;

use crate::core::RepeatError;

// ---------------------------------------------------------------------------------------------
// 1. The boundary: errors, conversions, the per-thread last error, and the panic guard.
// ---------------------------------------------------------------------------------------------

/// Everything that can go wrong in this library, as the caller will read it: the core's errors
/// and those of the C boundary itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A pointer argument was NULL.
    NullArgument { argument: &'static str },
    /// A string argument was not valid UTF-8; the first `valid_up_to` bytes were.
    InvalidUtf8 {
        argument: &'static str,
        valid_up_to: usize,
    },
    /// [`core::repeat`] refused: the message is the core's.
    Repeat(RepeatError),
    /// A result held a NUL byte, which a C string cannot carry (C would stop reading there).
    InteriorNul { position: usize },
    /// Rust code panicked; the panic's message, if it had one.
    Panic { message: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NullArgument { argument } => write!(f, "`{argument}` is a NULL pointer"),
            Error::InvalidUtf8 {
                argument,
                valid_up_to,
            } => write!(
                f,
                "`{argument}` is not valid UTF-8 (invalid byte at index {valid_up_to})"
            ),
            Error::Repeat(error) => error.fmt(f),
            Error::InteriorNul { position } => write!(
                f,
                "the result has a NUL byte at index {position}, which a C string cannot carry"
            ),
            Error::Panic { message } => write!(f, "Rust panicked: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// Lets `?` turn the core's error into this one.
impl From<RepeatError> for Error {
    fn from(error: RepeatError) -> Self {
        Error::Repeat(error)
    }
}

thread_local! {
    /// The message of the last failure on this thread, until [`last_error_message`] takes it.
    /// Thread-local, so two threads that fail at once each read their own message.
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
        return Err(Error::NullArgument { argument });
    }
    // SAFETY: `ptr` is not NULL, and the caller promises a NUL-terminated string valid for 'a.
    let c_str = unsafe { CStr::from_ptr(ptr) };
    c_str.to_str().map_err(|error| Error::InvalidUtf8 {
        argument,
        valid_up_to: error.valid_up_to(),
    })
}

/// Hands a Rust string to C: the caller now owns it and returns it to [`hello_string_free`].
fn into_c_string(text: String) -> Result<*mut c_char, Error> {
    CString::new(text)
        .map(CString::into_raw)
        .map_err(|error| Error::InteriorNul {
            position: error.nul_position(),
        })
}

/// Runs `body` and returns its value; if it fails *or panics*, records the error for
/// [`last_error_message`] and returns `on_error` (NULL, or -1) instead.
///
/// A panic must not unwind out of an `extern "C"` function: Rust aborts the process when one
/// tries (since 1.81), which would kill the Python interpreter that called us.
fn ffi_boundary<T>(on_error: T, body: impl FnOnce() -> Result<T, Error>) -> T {
    // AssertUnwindSafe: if `body` panics, nothing it touched is used again; only the payload's
    // message survives, into the thread-local error.
    let outcome = panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let message = if let Some(text) = payload.downcast_ref::<&str>() {
            (*text).to_owned()
        } else if let Some(text) = payload.downcast_ref::<String>() {
            text.clone()
        } else {
            "a panic without a message".to_owned()
        };
        Err(Error::Panic { message })
    });
    outcome.unwrap_or_else(|error| {
        set_last_error(&error);
        on_error
    })
}

// ---------------------------------------------------------------------------------------------
// 2. The C ABI. cbindgen turns these signatures and doc comments into include/hello_cffi.h.
// ---------------------------------------------------------------------------------------------

/// Version of this C ABI. Bump it whenever a signature changes, so that an old Python package
/// refuses a new library (and vice versa).
#[unsafe(no_mangle)]
pub extern "C" fn abi_version() -> u32 {
    core::abi_version()
}

/// Adds two 64-bit integers; on overflow the result wraps around (two's complement).
/// Cannot fail or panic.
#[unsafe(no_mangle)]
pub extern "C" fn add(a: i64, b: i64) -> i64 {
    core::add(a, b)
}

/// Returns a new string "Hello, <name>!". The caller frees it with hello_string_free().
///
/// Returns NULL if `name` is NULL or not UTF-8; last_error_message() says which.
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

/// Returns a new string: `text` repeated `count` times. The caller frees it with
/// hello_string_free().
///
/// Returns NULL if `text` is NULL or not UTF-8, if `count` is negative, or if the result would
/// be longer than REPEAT_MAX_BYTES; last_error_message() says which.
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

/// Panics with `message`, on purpose, to show that a panic becomes an error at the boundary.
///
/// Always returns -1: the panic (or a NULL or non-UTF-8 `message`) is recorded for
/// last_error_message().
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

/// Takes the message of the last failure on the calling thread, or returns NULL if there was
/// none since the last call. The caller frees the message with hello_string_free().
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

/// Frees a string returned by any function of this library (hello(), repeat(),
/// last_error_message()). NULL is ignored. Cannot fail or panic.
///
/// # Safety
///
/// `string` is NULL or a pointer returned by this library and not freed yet. It must not be
/// used afterwards. Pointers from any other allocator (Python, C's malloc) must never come here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hello_string_free(string: *mut c_char) {
    if !string.is_null() {
        // SAFETY: the caller returns a pointer made by CString::into_raw, exactly once.
        drop(unsafe { CString::from_raw(string) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes ownership of a returned string, as a C caller would, and frees it.
    fn take(ptr: *mut c_char) -> Option<String> {
        if ptr.is_null() {
            return None;
        }
        // SAFETY: non-NULL results of this library are valid C strings, read once here...
        let text = unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned();
        // SAFETY: ...and freed exactly once.
        unsafe { hello_string_free(ptr) };
        Some(text)
    }

    fn last_error() -> Option<String> {
        take(last_error_message())
    }

    #[test]
    fn add_wraps_instead_of_panicking() {
        assert_eq!(add(2, 40), 42);
        assert_eq!(add(i64::MAX, 1), i64::MIN);
    }

    #[test]
    fn hello_returns_an_owned_string() {
        assert_eq!(
            take(unsafe { hello(c"Zoë".as_ptr()) }).as_deref(),
            Some("Hello, Zoë!")
        );
        assert_eq!(last_error(), None);
    }

    #[test]
    fn null_argument_is_an_error_not_a_crash() {
        assert_eq!(take(unsafe { hello(ptr::null()) }), None);
        assert_eq!(last_error().as_deref(), Some("`name` is a NULL pointer"));
        // Taking the message cleared it.
        assert_eq!(last_error(), None);
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let bytes = c"ok\xff";
        assert_eq!(take(unsafe { repeat(bytes.as_ptr(), 2) }), None);
        assert_eq!(
            last_error().as_deref(),
            Some("`text` is not valid UTF-8 (invalid byte at index 2)")
        );
    }

    #[test]
    fn core_errors_cross_as_messages() {
        assert_eq!(take(unsafe { repeat(c"ab".as_ptr(), -3) }), None);
        assert_eq!(
            last_error().as_deref(),
            Some("`count` must not be negative, got -3")
        );
    }

    #[test]
    fn a_panic_becomes_an_error() {
        assert_eq!(unsafe { deliberate_panic(c"on purpose".as_ptr()) }, -1);
        assert_eq!(last_error().as_deref(), Some("Rust panicked: on purpose"));
    }

    #[test]
    fn a_nul_in_a_panic_message_is_escaped() {
        assert_eq!(ffi_boundary(0, || core::deliberate_panic("a\0b")), 0);
        assert_eq!(last_error().as_deref(), Some("Rust panicked: a\\0b"));
    }

    #[test]
    fn each_thread_keeps_its_own_error() {
        assert_eq!(take(unsafe { hello(ptr::null()) }), None);
        let other = std::thread::spawn(|| {
            let before = last_error();
            assert_eq!(take(unsafe { repeat(c"x".as_ptr(), -1) }), None);
            (before, last_error())
        })
        .join()
        .unwrap();
        assert_eq!(other.0, None);
        assert_eq!(
            other.1.as_deref(),
            Some("`count` must not be negative, got -1")
        );
        assert_eq!(last_error().as_deref(), Some("`name` is a NULL pointer"));
    }

    #[test]
    fn freeing_null_is_a_no_op() {
        unsafe { hello_string_free(ptr::null_mut()) };
    }

    /// The committed header must be what cbindgen generates from this file today: the Python
    /// package's cffi declarations are made from the same generation.
    /// `UPDATE_HEADER=1 cargo test` rewrites it after a change to the C ABI.
    #[test]
    fn committed_header_is_up_to_date() {
        let crate_dir = env!("CARGO_MANIFEST_DIR");
        let header = std::path::Path::new(crate_dir).join("include/hello_cffi.h");
        let mut fresh = Vec::new();
        cbindgen::Builder::new()
            .with_config(cbindgen::Config::from_root_or_default(crate_dir))
            .with_crate(crate_dir)
            .generate()
            .expect("cbindgen could not generate the header")
            .write(&mut fresh);
        if std::env::var_os("UPDATE_HEADER").is_some() {
            std::fs::write(&header, &fresh).expect("could not write the header");
        }
        let committed = std::fs::read(&header).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} differs from a fresh cbindgen run: regenerate it with `UPDATE_HEADER=1 cargo test`",
            header.display()
        );
    }
}
