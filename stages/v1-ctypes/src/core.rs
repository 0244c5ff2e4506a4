//! The core: plain Rust that knows nothing about C or Python, checked by `cargo test` (its tests
//! are in tests/rust_core.rs). Stages 2 and 3 grow this file: what changes is the binding layer.

/// Version of the functions' contract. Bump it whenever a signature changes.
pub fn abi_version() -> u32 {
    1
}

/// Adds two 64-bit integers; on overflow the result wraps around (two's complement).
pub fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}
