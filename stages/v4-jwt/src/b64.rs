//! Strict base64url, as JWS needs it.
//!
//! A token segment has exactly one valid spelling: unpadded (PyJWT tolerates up to two `=` of
//! correct padding, which some issuers add), only the URL-safe alphabet, and no stray bits in the
//! last character. Accepting several spellings of one signature would make tokens malleable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Error, Result};

/// Decodes one token segment; `name` ("header", "payload", "crypto") goes into the error message,
/// worded like PyJWT's.
pub fn decode_segment(segment: &[u8], name: &str) -> Result<Vec<u8>> {
    let invalid = || Error::decode(format!("Invalid {name} padding"));
    let stripped_len = segment.iter().rev().take_while(|&&b| b == b'=').count();
    if stripped_len > 2 {
        return Err(invalid());
    }
    if stripped_len > 0 && !segment.len().is_multiple_of(4) {
        return Err(invalid());
    }
    let body = &segment[..segment.len() - stripped_len];
    // The engine rejects characters outside the alphabet, a dangling 6-bit group and non-zero
    // trailing bits, so a successful decode is also the canonical spelling.
    URL_SAFE_NO_PAD.decode(body).map_err(|_| invalid())
}

pub fn encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Lenient decoding for JWK members (`n`, `e`, ...): some producers pad them.
pub fn decode_jwk_member(value: &str, name: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|_| Error::invalid_key(format!("JWK member '{name}' is not valid base64url")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for len in 0..40 {
            let data: Vec<u8> = (0..len as u8).collect();
            let text = encode(&data);
            assert!(!text.contains('='));
            assert_eq!(decode_segment(text.as_bytes(), "payload").unwrap(), data);
        }
    }

    #[test]
    fn correct_padding_is_tolerated() {
        assert_eq!(decode_segment(b"YQ==", "header").unwrap(), b"a");
        assert_eq!(decode_segment(b"YWI=", "header").unwrap(), b"ab");
    }

    #[test]
    fn bad_spellings_are_rejected() {
        for bad in [
            &b"YQ="[..], // padding but length not a multiple of 4
            b"YQ===",    // too much padding
            b"Y",        // dangling 6-bit group
            b"YR",       // non-zero trailing bits: a second spelling of "a"
            b"a+b/",     // standard alphabet, not URL-safe
            b"ab!c",
            b"ab c",
        ] {
            let err = decode_segment(bad, "crypto").unwrap_err();
            assert_eq!(err.message, "Invalid crypto padding", "{bad:?}");
        }
    }
}
