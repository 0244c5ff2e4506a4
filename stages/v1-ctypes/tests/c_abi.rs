//! Tests of the C ABI, called the way C would call it: from outside the crate, through the
//! exported functions alone. An integration test links the crate as a Rust library, which is
//! what the `rlib` in Cargo.toml is for.

use std::ffi::CStr;

use hello_ctypes::{add, hello, hello_message};

#[test]
fn add_wraps_instead_of_panicking() {
    assert_eq!(add(2, 40), 42);
    assert_eq!(add(i64::MAX, 1), i64::MIN);
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
