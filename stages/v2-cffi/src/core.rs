//! The core: plain Rust that knows nothing about C or Python, checked by `cargo test`. Stages 2
//! and 3 carry this file word for word: what changes is the binding layer around it.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};

/// The largest string `repeat` builds: 64 MiB of UTF-8 (more is an error, not an allocation).
// Not `64 * 1024 * 1024`: cbindgen copies the expression into a #define, and cffi's cdef accepts
// only a plain number there.
pub const REPEAT_MAX_BYTES: usize = 67108864;

/// Version of the functions' contract. Bump it whenever a signature changes.
pub fn abi_version() -> u32 {
    1
}

/// Adds two 64-bit integers; on overflow the result wraps around (two's complement).
pub fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// Returns the greeting `Hello, {name}!`.
pub fn hello(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Returns `text` repeated `count` times, or why not (checked before anything is allocated).
pub fn repeat(text: &str, count: i64) -> Result<String, RepeatError> {
    let count = u64::try_from(count).map_err(|_| RepeatError::NegativeCount { count })?;
    // u128 cannot overflow here (at most 2**64 * 2**64), so the check itself never panics.
    let bytes = text.len() as u128 * u128::from(count);
    if bytes > REPEAT_MAX_BYTES as u128 {
        return Err(RepeatError::TooLong { bytes });
    }
    // count <= bytes <= REPEAT_MAX_BYTES fits in usize, unless text is empty: then nothing does.
    Ok(text.repeat(count as usize))
}

/// Why [`repeat`] refused to build a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepeatError {
    /// The count was negative.
    NegativeCount { count: i64 },
    /// The result would be `bytes` long, more than [`REPEAT_MAX_BYTES`].
    TooLong { bytes: u128 },
}

impl fmt::Display for RepeatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NegativeCount { count } => {
                write!(f, "`count` must not be negative, got {count}")
            }
            Self::TooLong { bytes } => write!(
                f,
                "the result would be {bytes} bytes, over the limit of {REPEAT_MAX_BYTES} (64 MiB)"
            ),
        }
    }
}

impl std::error::Error for RepeatError {}

/// Panics with `message`, on purpose: the stand-in for a bug, which must not crash the caller.
pub fn deliberate_panic(message: &str) -> ! {
    panic!("{message}")
}

/// Runs `f`; if it panics, returns the panic's message instead of letting the panic unwind on.
/// Both binding layers call the core through it: a panic must cross neither into C nor Python.
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    // AssertUnwindSafe: after a panic nothing `f` touched is used again, only its message.
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        // `panic!("literal")` carries a `&str`, `panic!("{x}")` a `String`.
        if let Some(text) = payload.downcast_ref::<&str>() {
            (*text).to_owned()
        } else if let Some(text) = payload.downcast_ref::<String>() {
            text.clone()
        } else {
            "a panic without a message".to_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
