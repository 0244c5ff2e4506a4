//! ferrojwt: the Rust core of a PyJWT-compatible JWT library.
//!
//! Three layers, as in pyca/cryptography:
//! - the core (`error`, `b64`, `keys`, `curves`, `algorithms`, `jws`, `json`, `claims`): plain Rust, tested with `cargo test`;
//! - `bindings`: the thin pyo3 layer, built only with the `python` feature (maturin sets it);
//! - `python/ferrojwt/`: the public API, docstrings and the exception hierarchy.
//!
//! `error`, `keys`, `algorithms` and `bindings` carry the lesson (the README's reading path); their
//! submodules (`keys/`, `algorithms/`, `bindings/`) and the other modules are the library's.

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
