//! Stage 3: the Rust core of `hello_pyo3`, with the Python layer in its own module.
//!
//! Everything in this file is ordinary Rust: `&str` in, `String` or `Result` out, no pointers,
//! no `unsafe`, nothing that knows about Python. `cargo test` checks it without a Python
//! interpreter. The thin layer that turns these functions into Python functions lives in
//! `bindings.rs` and is compiled only with the `python` feature, which maturin turns on.

use std::fmt;

#[cfg(feature = "python")]
mod bindings;

/// Version of the functions' contract, the same number stages 1 and 2 export. pyo3 checks the
/// signatures at every call, so nothing depends on it here: it stays for comparing the cost of
/// a call that does no work across the stages.
pub fn abi_version() -> u32 {
    1
}

/// Adds two 64-bit integers; on overflow the result wraps around (two's complement), like the
/// `add` of stages 1 and 2.
pub fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// Returns the greeting `Hello, {name}!`.
///
/// A `&str` carries its length, so any valid UTF-8 is accepted, NUL characters included: unlike
/// the C strings of stages 1 and 2, nothing here needs a terminator.
pub fn hello(name: &str) -> String {
    format!("Hello, {name}!")
}

/// The largest result [`repeat`] builds: 64 MiB of UTF-8, the limit stage 2 uses as well.
pub const REPEAT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// Returns `text` repeated `count` times, or an error if the result would exceed
/// [`REPEAT_MAX_BYTES`] (checked before anything is allocated).
pub fn repeat(text: &str, count: usize) -> Result<String, RepeatError> {
    match text.len().checked_mul(count) {
        Some(bytes) if bytes <= REPEAT_MAX_BYTES => Ok(text.repeat(count)),
        _ => Err(RepeatError::TooLong {
            text_bytes: text.len(),
            count,
        }),
    }
}

/// Why [`repeat`] refused to build a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepeatError {
    /// `text_bytes * count` is more than [`REPEAT_MAX_BYTES`] (or does not even fit in `usize`).
    TooLong { text_bytes: usize, count: usize },
}

impl fmt::Display for RepeatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { text_bytes, count } => write!(
                f,
                "repeating {text_bytes} bytes {count} times exceeds the limit of \
                 {REPEAT_MAX_BYTES} bytes"
            ),
        }
    }
}

impl std::error::Error for RepeatError {}

/// Panics with `message`, on purpose: the stand-in for a bug in Rust code.
///
/// Real code reports expected failures as `Result` (see [`repeat`]); a panic means something is
/// broken. The lesson is what the caller sees then: the binding layer catches the panic and
/// raises a regular Python exception instead of letting pyo3 raise `PanicException`.
pub fn deliberate_panic(message: &str) -> ! {
    panic!("{message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_adds_and_wraps() {
        assert_eq!(add(2, 40), 42);
        assert_eq!(add(i64::MAX, 1), i64::MIN);
        assert_eq!(add(i64::MIN, -1), i64::MAX);
    }

    #[test]
    fn abi_version_is_the_one_of_stages_1_and_2() {
        assert_eq!(abi_version(), 1);
    }

    #[test]
    fn hello_greets_any_text() {
        assert_eq!(hello("World"), "Hello, World!");
        assert_eq!(hello(""), "Hello, !");
        assert_eq!(hello("Zoë 🦀"), "Hello, Zoë 🦀!");
        // NUL is an ordinary character in a Rust string.
        assert_eq!(hello("a\0b"), "Hello, a\0b!");
    }

    #[test]
    fn repeat_repeats() {
        assert_eq!(repeat("ab", 3).as_deref(), Ok("ababab"));
        assert_eq!(repeat("ab", 0).as_deref(), Ok(""));
        assert_eq!(repeat("", usize::MAX).as_deref(), Ok(""));
    }

    #[test]
    fn repeat_limit_counts_utf8_bytes() {
        // "é" is 2 bytes of UTF-8: half the limit in characters is exactly the limit in bytes.
        let half = REPEAT_MAX_BYTES / 2;
        assert_eq!(repeat("é", half).map(|s| s.len()), Ok(REPEAT_MAX_BYTES));
        assert_eq!(
            repeat("é", half + 1),
            Err(RepeatError::TooLong {
                text_bytes: 2,
                count: half + 1
            })
        );
    }

    #[test]
    fn repeat_refuses_sizes_that_overflow_usize() {
        let error = repeat("ab", usize::MAX).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "repeating 2 bytes {} times exceeds the limit of 67108864 bytes",
                usize::MAX
            )
        );
    }

    #[test]
    #[should_panic(expected = "on purpose")]
    fn deliberate_panic_panics() {
        deliberate_panic("on purpose");
    }
}
