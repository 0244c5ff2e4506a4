//! Stage 3: the Rust core of `hello_pyo3`, with the Python layer in its own module.
//!
//! `core.rs` is ordinary Rust, the very file stage 2 calls through `extern "C"`: nothing in it
//! knows about Python, and `cargo test` checks it without an interpreter. The thin layer that
//! turns its functions into Python functions lives in `bindings.rs` and is compiled only with the
//! `python` feature, which maturin turns on.

pub mod core;

#[cfg(feature = "python")]
mod bindings;
