//! The uniffi layer over the stages' Rust core: what stage 3's `bindings.rs` does with pyo3,
//! done with uniffi's proc macros. uniffi generates the Python module (and could generate
//! Kotlin and Swift from the same library); this file only says what to export and which
//! error type crosses.

// The very file stages 2 and 3 compile (stages/v3-pyo3/src/core.rs), included by path rather
// than copied, so the core this row measures cannot drift from theirs.
#[expect(
    dead_code,
    reason = "uniffi turns a panic into InternalError itself: the core's catch_panic, which the C layer needs, is unused here"
)]
#[path = "../../../stages/v3-pyo3/src/core.rs"]
mod core;

uniffi::setup_scaffolding!();

/// The error Python sees: uniffi turns each variant into an exception class
/// (`HelloError.NegativeCount`, a subclass of `HelloError`) carrying the core's message. The
/// variants are the core's; uniffi needs its derive on the type it exports, and the core
/// (shared with stages 2 and 3, which know nothing of uniffi) stays untouched.
#[derive(Debug, uniffi::Error)]
#[uniffi(flat_error)]
pub enum HelloError {
    NegativeCount(String),
    TooLong(String),
}

impl std::fmt::Display for HelloError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NegativeCount(message) | Self::TooLong(message) => f.write_str(message),
        }
    }
}

impl From<core::RepeatError> for HelloError {
    fn from(error: core::RepeatError) -> Self {
        let message = error.to_string();
        match error {
            core::RepeatError::NegativeCount { .. } => Self::NegativeCount(message),
            core::RepeatError::TooLong { .. } => Self::TooLong(message),
        }
    }
}

#[uniffi::export]
pub fn abi_version() -> u32 {
    core::abi_version()
}

#[uniffi::export]
pub fn add(a: i64, b: i64) -> i64 {
    core::add(a, b)
}

#[uniffi::export]
pub fn hello(name: String) -> String {
    core::hello(&name)
}

#[uniffi::export]
pub fn repeat(text: String, count: i64) -> Result<String, HelloError> {
    Ok(core::repeat(&text, count)?)
}

/// uniffi's scaffolding catches the panic and raises `InternalError` in Python.
#[uniffi::export]
pub fn deliberate_panic(message: String) {
    core::deliberate_panic(&message)
}
