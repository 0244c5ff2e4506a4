//! RS* and PS* with keys under 2048 bits, through the `rsa` crate: aws-lc-rs refuses such keys,
//! and PyJWT still signs and verifies with them (after warning). Its arithmetic is constant-time
//! since 0.10 (`crypto-bigint`).

use jsonwebtoken::Algorithm;
use rsa::signature::{SignatureEncoding, Signer as _, Verifier as _};

use crate::error::{Error, Result};
use crate::keys::RsaPublic;

/// `None` when the key is too small for the algorithm (PS512 needs more than 1024 bits).
pub(super) fn sign(alg: Algorithm, private: &rsa::PrivateKey, message: &[u8]) -> Option<Vec<u8>> {
    let private = private.clone();
    match alg {
        Algorithm::RS256 => legacy_pkcs1_sign::<rsa::sha2::Sha256>(private, message),
        Algorithm::RS384 => legacy_pkcs1_sign::<rsa::sha2::Sha384>(private, message),
        Algorithm::RS512 => legacy_pkcs1_sign::<rsa::sha2::Sha512>(private, message),
        Algorithm::PS256 => legacy_pss_sign::<rsa::sha2::Sha256>(private, message),
        Algorithm::PS384 => legacy_pss_sign::<rsa::sha2::Sha384>(private, message),
        _ => legacy_pss_sign::<rsa::sha2::Sha512>(private, message),
    }
}

fn legacy_pkcs1_sign<D>(key: rsa::PrivateKey, message: &[u8]) -> Option<Vec<u8>>
where
    D: rsa::sha2::Digest + rsa::pkcs8::AssociatedOid,
{
    let signer = rsa::pkcs1v15::SigningKey::<D>::new(key);
    signer.try_sign(message).ok().map(|s| s.to_vec())
}

fn legacy_pss_sign<D>(key: rsa::PrivateKey, message: &[u8]) -> Option<Vec<u8>>
where
    D: rsa::sha2::Digest + rsa::sha2::digest::FixedOutputReset,
{
    let signer = rsa::pss::SigningKey::<D>::new(key);
    signer.try_sign(message).ok().map(|s| s.to_vec())
}

pub(super) fn verify(
    alg: Algorithm,
    key: &RsaPublic,
    message: &[u8],
    signature: &[u8],
) -> Result<bool> {
    let public = key
        .legacy()
        .ok_or_else(|| Error::invalid_key("RSA public key rejected"))?
        .clone();
    Ok(match alg {
        Algorithm::RS256 => legacy_pkcs1_verify::<rsa::sha2::Sha256>(public, message, signature),
        Algorithm::RS384 => legacy_pkcs1_verify::<rsa::sha2::Sha384>(public, message, signature),
        Algorithm::RS512 => legacy_pkcs1_verify::<rsa::sha2::Sha512>(public, message, signature),
        Algorithm::PS256 => legacy_pss_verify::<rsa::sha2::Sha256>(public, message, signature),
        Algorithm::PS384 => legacy_pss_verify::<rsa::sha2::Sha384>(public, message, signature),
        _ => legacy_pss_verify::<rsa::sha2::Sha512>(public, message, signature),
    })
}

fn legacy_pkcs1_verify<D>(key: rsa::PublicKey, message: &[u8], signature: &[u8]) -> bool
where
    D: rsa::sha2::Digest + rsa::pkcs8::AssociatedOid,
{
    let Ok(signature) = rsa::pkcs1v15::Signature::try_from(signature) else {
        return false;
    };
    rsa::pkcs1v15::VerifyingKey::<D>::new(key)
        .verify(message, &signature)
        .is_ok()
}

fn legacy_pss_verify<D>(key: rsa::PublicKey, message: &[u8], signature: &[u8]) -> bool
where
    D: rsa::sha2::Digest + rsa::sha2::digest::FixedOutputReset,
{
    let Ok(signature) = rsa::pss::Signature::try_from(signature) else {
        return false;
    };
    rsa::pss::VerifyingKey::<D>::new(key)
        .verify(message, &signature)
        .is_ok()
}
