//! HS256/384/512 through `jsonwebtoken` (aws-lc-rs HMAC underneath).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

use crate::b64;
use crate::error::{Error, Result};

fn hmac_only(alg: Algorithm) -> Result<Algorithm> {
    match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => Ok(alg),
        _ => Err(Error::invalid_algorithm("not an HMAC algorithm")),
    }
}

pub fn sign_hmac(alg: Algorithm, secret: &[u8], message: &[u8]) -> Result<Vec<u8>> {
    let alg = hmac_only(alg)?;
    let encoded = jsonwebtoken::crypto::sign(message, &EncodingKey::from_secret(secret), alg)
        .map_err(|e| Error::invalid_key(format!("HMAC signing failed: {e}")))?;
    b64::decode_segment(encoded.as_bytes(), "crypto")
}

/// Constant-time comparison (aws-lc-rs `hmac::verify` under `jsonwebtoken`).
pub fn verify_hmac(
    alg: Algorithm,
    secret: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<bool> {
    let alg = hmac_only(alg)?;
    jsonwebtoken::crypto::verify(
        &b64::encode(signature),
        message,
        &DecodingKey::from_secret(secret),
        alg,
    )
    .map_err(|e| Error::invalid_key(format!("HMAC verification failed: {e}")))
}
