//! The core: plain Rust that knows nothing about C or Python, checked by `cargo test`. Stages 2
//! and 3 carry this file, grown by what they add: what changes is the binding layer around it.

/// Version of the functions' contract. Bump it whenever a signature changes.
pub fn abi_version() -> u32 {
    1
}

/// Adds two 64-bit integers; on overflow the result wraps around (two's complement).
pub fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
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
}
