//! Tests of the C ABI, called the way C would call it: from outside the crate, through the
//! exported functions alone. An integration test links the crate as a Rust library, which is
//! what the `rlib` in Cargo.toml is for.

use std::ffi::{CStr, c_char};
use std::ptr;

use hello_cffi::{add, deliberate_panic, hello, hello_string_free, last_error_message, repeat};

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
