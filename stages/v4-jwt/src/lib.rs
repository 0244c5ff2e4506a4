//! ferrojwt: the Rust core of a PyJWT-compatible JWT library.
//!
//! Three layers, as in pyca/cryptography:
//! - the core (`error`, `b64`, `keys`, `curves`, `algorithms`, `jws`, `json`, `claims`): plain Rust, tested with `cargo test`;
//! - `bindings`: the thin pyo3 layer, built only with the `python` feature (maturin sets it);
//! - `python/ferrojwt/`: the public API, docstrings and the exception hierarchy.

pub mod algorithms;
pub mod b64;
pub mod claims;
pub mod curves;
pub mod error;
pub mod json;
pub mod jws;
pub mod keys;

#[cfg(feature = "python")]
mod bindings;
