//! Tests of the core, as plain Rust: no C, no Python. Stages 2 and 3 grow this file with theirs.

use hello_ctypes::core::*;

#[test]
fn add_adds_and_wraps() {
    assert_eq!(add(2, 40), 42);
    assert_eq!(add(i64::MAX, 1), i64::MIN);
    assert_eq!(add(i64::MIN, -1), i64::MAX);
    assert_eq!(abi_version(), 1);
}
