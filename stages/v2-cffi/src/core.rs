//! The core: plain Rust that knows nothing about C or Python, checked by `cargo test` (its tests
//! are in tests/rust_core.rs). Stages 2 and 3 carry this file word for word: what changes is the
//! binding layer around it.

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
