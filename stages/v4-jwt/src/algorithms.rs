//! Signing and verifying: RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS, salt
//! as long as the digest, like PyJWT).
//!
//! Algorithm names come from `jsonwebtoken`. RSA goes to aws-lc-rs directly with the key objects
//! cached in `keys::RsaPrivate`/`RsaPublic`, because the `jsonwebtoken` signer re-parses the DER
//! key on every call. `none` is not an algorithm here. HS256/384/512 are in `algorithms/hmac.rs`,
//! keys under 2048 bits in `algorithms/legacy.rs`.

mod hmac;
mod legacy;

use std::str::FromStr;

use aws_lc_rs::signature::{self as lc, RsaEncoding, RsaParameters};
use jsonwebtoken::Algorithm;

use crate::error::{Error, Result};
use crate::keys::{RsaPrivate, RsaPublic, Signer};

pub use hmac::{sign_hmac, verify_hmac};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Hmac,
    Rsa,
}

/// Looks up an HMAC or RSA algorithm by its JOSE name: the nine this module signs with. `none`,
/// the curve algorithms (`curves.rs`) and every other name are refused here, before any key is
/// touched.
pub fn algorithm_from_name(name: &str) -> Result<(Algorithm, Family)> {
    let refuse = || Error::invalid_algorithm("Algorithm not supported");
    let alg = Algorithm::from_str(name).map_err(|_| refuse())?;
    let family = match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => Family::Hmac,
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => Family::Rsa,
        _ => return Err(refuse()),
    };
    Ok((alg, family))
}

/// The aws-lc-rs padding for signing, and the verification parameters with the slot of the
/// cached `ParsedPublicKey` in `RsaPublic`.
fn rsa_params(alg: Algorithm) -> Result<(&'static dyn RsaEncoding, &'static RsaParameters, usize)> {
    Ok(match alg {
        Algorithm::RS256 => (&lc::RSA_PKCS1_SHA256, &lc::RSA_PKCS1_2048_8192_SHA256, 0),
        Algorithm::RS384 => (&lc::RSA_PKCS1_SHA384, &lc::RSA_PKCS1_2048_8192_SHA384, 1),
        Algorithm::RS512 => (&lc::RSA_PKCS1_SHA512, &lc::RSA_PKCS1_2048_8192_SHA512, 2),
        Algorithm::PS256 => (&lc::RSA_PSS_SHA256, &lc::RSA_PSS_2048_8192_SHA256, 3),
        Algorithm::PS384 => (&lc::RSA_PSS_SHA384, &lc::RSA_PSS_2048_8192_SHA384, 4),
        Algorithm::PS512 => (&lc::RSA_PSS_SHA512, &lc::RSA_PSS_2048_8192_SHA512, 5),
        _ => return Err(Error::invalid_algorithm("not an RSA algorithm")),
    })
}

pub fn sign_rsa(alg: Algorithm, key: &RsaPrivate, message: &[u8]) -> Result<Vec<u8>> {
    let (encoding, _, _) = rsa_params(alg)?;
    let failed = || {
        Error::invalid_key(format!(
            "{alg:?} signing failed: a {}-bit key is too small for this algorithm",
            key.public().bits()
        ))
    };
    match &key.signer {
        Signer::Fast(pair) => {
            let mut signature = vec![0; pair.public_modulus_len()];
            // aws-lc-rs ignores the RNG argument (it draws PSS salt from its own DRBG).
            pair.sign(
                encoding,
                &aws_lc_rs::rand::SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| failed())?;
            Ok(signature)
        }
        // Keys under 2048 bits, which aws-lc-rs refuses: the `rsa` crate (`legacy.rs`).
        Signer::Legacy(private) => legacy::sign(alg, private, message).ok_or_else(failed),
    }
}

/// `Ok(false)` for a signature that does not match; errors only for unusable keys or algorithms.
pub fn verify_rsa(
    alg: Algorithm,
    key: &RsaPublic,
    message: &[u8],
    signature: &[u8],
) -> Result<bool> {
    let (_, params, slot) = rsa_params(alg)?;
    if key.bits() >= crate::keys::MIN_RECOMMENDED_BITS {
        let parsed = key
            .parsed(slot, params)
            .ok_or_else(|| Error::invalid_key("RSA public key rejected by aws-lc-rs"))?;
        return Ok(parsed.verify_sig(message, signature).is_ok());
    }
    legacy::verify(alg, key, message, signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::b64;
    use crate::error::ErrorKind;
    use crate::keys::{RsaKey, parse_rsa_key, rsa_key_from_jwk};

    const PKCS8: &str = include_str!("../tests/keys/rsa2048.pkcs8.pem");
    const PKCS1: &str = include_str!("../tests/keys/rsa2048.pkcs1.pem");
    const SPKI: &str = include_str!("../tests/keys/rsa2048.pub.pem");
    const PUB_PKCS1: &str = include_str!("../tests/keys/rsa2048.pub.pkcs1.pem");
    const SSH: &str = include_str!("../tests/keys/rsa2048.pub.ssh");
    const OTHER_SPKI: &str = include_str!("../tests/keys/other2048.pub.pem");
    const SMALL: &str = include_str!("../tests/keys/rsa1024.pkcs8.pem");
    const ENCRYPTED: &str = include_str!("../tests/keys/rsa2048.encrypted.pem");
    const EC: &str = include_str!("../tests/keys/ec256.pem");
    const RSA_ALGS: [&str; 6] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    fn private(pem: &str) -> crate::keys::RsaPrivate {
        match parse_rsa_key(pem.as_bytes()).unwrap() {
            RsaKey::Private(key) => key,
            RsaKey::Public(_) => panic!("expected a private key"),
        }
    }

    fn alg(name: &str) -> Algorithm {
        algorithm_from_name(name).unwrap().0
    }

    #[test]
    fn every_public_form_is_the_same_key() {
        let reference = private(PKCS8);
        for pem in [PKCS1, SPKI, PUB_PKCS1, SSH] {
            let key = parse_rsa_key(pem.as_bytes()).unwrap();
            assert_eq!(key.public().modulus(), reference.public().modulus());
            assert_eq!(key.public().exponent(), [1, 0, 1]);
            assert_eq!(key.bits(), 2048);
        }
    }

    #[test]
    fn sign_then_verify_all_rsa_algorithms_and_key_forms() {
        let key = private(PKCS8);
        for name in RSA_ALGS {
            let signature = sign_rsa(alg(name), &key, b"header.payload").unwrap();
            assert_eq!(signature.len(), 256);
            for pem in [SPKI, PUB_PKCS1, SSH, PKCS1] {
                let public = parse_rsa_key(pem.as_bytes()).unwrap();
                let public = public.public();
                assert!(verify_rsa(alg(name), public, b"header.payload", &signature).unwrap());
                assert!(!verify_rsa(alg(name), public, b"header.payloaX", &signature).unwrap());
            }
            let mut tampered = signature.clone();
            tampered[17] ^= 1;
            assert!(!verify_rsa(alg(name), key.public(), b"header.payload", &tampered).unwrap());
            assert!(
                !verify_rsa(alg(name), key.public(), b"header.payload", &signature[1..]).unwrap()
            );
            let other = parse_rsa_key(OTHER_SPKI.as_bytes()).unwrap();
            assert!(!verify_rsa(alg(name), other.public(), b"header.payload", &signature).unwrap());
        }
    }

    #[test]
    fn pkcs1_and_pss_are_not_interchangeable() {
        let key = private(PKCS8);
        let signature = sign_rsa(alg("RS256"), &key, b"m").unwrap();
        assert!(!verify_rsa(alg("PS256"), key.public(), b"m", &signature).unwrap());
        assert!(!verify_rsa(alg("RS384"), key.public(), b"m", &signature).unwrap());
    }

    /// Cross-check against jsonwebtoken's own decoder: a token we sign must verify there.
    #[test]
    fn jsonwebtoken_accepts_our_tokens() {
        let key = private(PKCS8);
        for name in RSA_ALGS {
            let header = b64::encode(format!(r#"{{"alg":"{name}","typ":"JWT"}}"#).as_bytes());
            let claims = b64::encode(br#"{"sub":"ferris","exp":4102444800}"#);
            let signing_input = format!("{header}.{claims}");
            let signature = sign_rsa(alg(name), &key, signing_input.as_bytes()).unwrap();
            let token = format!("{signing_input}.{}", b64::encode(&signature));
            let public = key.public();
            let decoding_key = jsonwebtoken::DecodingKey::from_rsa_raw_components(
                public.modulus(),
                public.exponent(),
            );
            let mut validation = jsonwebtoken::Validation::new(alg(name));
            validation.required_spec_claims.clear();
            let data =
                jsonwebtoken::decode::<serde_json::Value>(&token, &decoding_key, &validation)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(data.claims["sub"], "ferris");
        }
    }

    #[test]
    fn small_keys_take_the_legacy_path_and_ps512_fails_cleanly() {
        let key = private(SMALL);
        assert_eq!(key.public().bits(), 1024);
        for name in ["RS256", "RS512", "PS256", "PS384"] {
            let signature = sign_rsa(alg(name), &key, b"m").unwrap();
            assert!(verify_rsa(alg(name), key.public(), b"m", &signature).unwrap());
            assert!(!verify_rsa(alg(name), key.public(), b"n", &signature).unwrap());
        }
        // 64-byte salt + 64-byte digest + 2 do not fit in a 128-byte modulus.
        let err = sign_rsa(alg("PS512"), &key, b"m").unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidKey);
        assert!(!verify_rsa(alg("PS512"), key.public(), b"m", &[0; 128]).unwrap());
    }

    #[test]
    fn bad_key_material_is_an_invalid_key_error() {
        let truncated = &PKCS8[..PKCS8.len() / 2];
        let garbage = "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n";
        for bad in [
            ENCRYPTED,
            EC,
            truncated,
            garbage,
            "",
            "secret",
            "ssh-rsa AAAA",
            "ssh-rsa !!",
        ] {
            let err = parse_rsa_key(bad.as_bytes()).err().expect(bad);
            assert_eq!(err.kind, ErrorKind::InvalidKey, "{bad}");
        }
    }

    #[test]
    fn names_outside_hmac_and_rsa_are_refused() {
        for name in ["none", "None", "NONE", "ES256", "EdDSA", "HS1", "", "rs256"] {
            let err = algorithm_from_name(name).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidAlgorithm, "{name}");
        }
    }

    #[test]
    fn hmac_round_trip_and_rfc7515_vector() {
        // RFC 7515 appendix A.1: HS256 with a published key, input and signature.
        let key = b64::decode_jwk_member(
            "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
            "k",
        )
        .unwrap();
        let input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let signature = sign_hmac(alg("HS256"), &key, input.as_bytes()).unwrap();
        assert_eq!(
            b64::encode(&signature),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert!(verify_hmac(alg("HS256"), &key, input.as_bytes(), &signature).unwrap());
        assert!(!verify_hmac(alg("HS256"), b"other", input.as_bytes(), &signature).unwrap());
        assert!(!verify_hmac(alg("HS384"), &key, input.as_bytes(), &signature).unwrap());
    }

    #[test]
    fn jwk_round_trip_through_private_members() {
        let key = private(PKCS1);
        let members = crate::keys::private_jwk_members(&key).unwrap();
        let get = |name: &str| {
            members
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str())
        };
        let n = b64::encode(key.public().modulus());
        let rebuilt = rsa_key_from_jwk(&n, "AQAB", get("d"), get("p"), get("q")).unwrap();
        let RsaKey::Private(rebuilt) = rebuilt else {
            panic!("expected private")
        };
        let signature = sign_rsa(alg("RS256"), &rebuilt, b"m").unwrap();
        assert!(verify_rsa(alg("RS256"), key.public(), b"m", &signature).unwrap());
        // Without p and q the rsa crate recovers them.
        let recovered = rsa_key_from_jwk(&n, "AQAB", get("d"), None, None).unwrap();
        assert!(recovered.is_private());
        let public = rsa_key_from_jwk(&n, "AQAB", None, None, None).unwrap();
        assert!(!public.is_private());
        assert!(rsa_key_from_jwk(&n, "AQAB", get("d"), get("p"), None).is_err());
        assert!(rsa_key_from_jwk("!!", "AQAB", None, None, None).is_err());
    }

    #[test]
    fn pem_export_round_trips() {
        let key = private(PKCS1);
        let again = private(&key.to_pem().unwrap());
        assert_eq!(again.public().modulus(), key.public().modulus());
        let public = parse_rsa_key(key.public().to_pem().unwrap().as_bytes()).unwrap();
        assert_eq!(public.public().modulus(), key.public().modulus());
        assert_eq!(key.public().to_pem().unwrap().trim(), SPKI.trim());
    }
}
