//! Tests of the core, as plain Rust: no C, no Python. Stage 3 carries this file word for word.

use hello_cffi::core::*;

#[test]
fn add_adds_and_wraps() {
    assert_eq!(add(2, 40), 42);
    assert_eq!(add(i64::MAX, 1), i64::MIN);
    assert_eq!(add(i64::MIN, -1), i64::MAX);
    assert_eq!(abi_version(), 1);
}

#[test]
fn hello_greets_any_text() {
    assert_eq!(hello(""), "Hello, !");
    assert_eq!(hello("Zoë 🦀"), "Hello, Zoë 🦀!");
    // NUL is an ordinary character in a Rust string.
    assert_eq!(hello("a\0b"), "Hello, a\0b!");
}

#[test]
fn repeat_repeats() {
    assert_eq!(repeat("ab", 3).as_deref(), Ok("ababab"));
    assert_eq!(repeat("ab", 0).as_deref(), Ok(""));
    assert_eq!(repeat("", i64::MAX).as_deref(), Ok(""));
}

#[test]
fn repeat_refuses_negative_counts() {
    let error = repeat("ab", -1).unwrap_err();
    assert_eq!(error, RepeatError::NegativeCount { count: -1 });
    assert_eq!(error.to_string(), "`count` must not be negative, got -1");
}

#[test]
fn repeat_limit_counts_utf8_bytes() {
    // "é" is 2 bytes of UTF-8: half the limit in characters is exactly the limit in bytes.
    let half = (REPEAT_MAX_BYTES / 2) as i64;
    assert_eq!(repeat("é", half).map(|s| s.len()), Ok(REPEAT_MAX_BYTES));
    assert_eq!(
        repeat("é", half + 1),
        Err(RepeatError::TooLong {
            bytes: REPEAT_MAX_BYTES as u128 + 2
        })
    );
    // Would overflow a u64 multiplication: the check must not.
    assert!(matches!(
        repeat("abcd", i64::MAX),
        Err(RepeatError::TooLong { .. })
    ));
}

#[test]
fn a_panic_becomes_its_message() {
    assert_eq!(
        catch_panic(|| deliberate_panic("on purpose")),
        Err("on purpose".into())
    );
    assert_eq!(catch_panic(|| panic!("{}", 42)), Err::<(), _>("42".into()));
    assert_eq!(catch_panic(|| 7), Ok(7));
}
