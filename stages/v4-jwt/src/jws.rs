//! The fast path for the common case: an ordinary RS*/PS*/ES*/EdDSA token checked in one native
//! call.
//!
//! PyJWT's behaviour on *bad* tokens is defined by its Python code (which check fails first,
//! which message), so this module does not try to reproduce it. It answers "is this a
//! well-formed token, with an allowed algorithm of the key's family (and curve), and is its
//! signature valid?" and gives up
//! (`Unusual`) on anything else. The caller then takes the general Python path, which raises the
//! exact PyJWT exception. A valid token never needs that path, and neither does a forged one:
//! once everything before the signature check passed here, PyJWT's answer to a wrong signature
//! can only be `InvalidSignatureError`, so `BadSignature` is final (a forged token costs one
//! signature check, not two).

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::algorithms::{self, Family};
use crate::curves::{self, CurveKey};
use crate::keys::{MIN_RECOMMENDED_BITS, RsaPublic};
use crate::{b64, json};

/// The key a token is checked with.
#[derive(Clone, Copy)]
pub enum VerifyingKey<'a> {
    Rsa(&'a RsaPublic),
    /// EC or EdDSA: the token's algorithm must be one that signs on the key's curve.
    Curve(&'a CurveKey),
}

/// The decoded segments of a verified token.
#[derive(Debug)]
pub struct Verified {
    pub header_json: Vec<u8>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// The header members this path reads. Other members are checked for JSON syntax only; a
/// member named twice fails to parse, which sends the token to the general path.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    alg: Cow<'a, str>,
    #[expect(
        dead_code,
        reason = "parsed only to check that it is a string when present"
    )]
    #[serde(default, deserialize_with = "json::present")]
    kid: Option<String>,
    /// Extensions: present at all (even `null`) means the general path.
    #[serde(default, deserialize_with = "json::present")]
    crit: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "json::present")]
    b64: Option<IgnoredAny>,
}

/// What the fast path found.
#[derive(Debug)]
pub enum Outcome {
    Verified(Verified),
    /// Well-formed and ordinary, but the signature does not match.
    BadSignature,
    /// Anything else: the general path decides.
    Unusual,
}

/// Verifies `token` if it is an ordinary compact JWS whose header is a JSON object with a string
/// `alg` listed in `allowed` and usable with `key` (an RSA algorithm for an RSA key, the
/// algorithm of its curve for an EC or EdDSA key), a string `kid` if any, and no `crit` or
/// `b64` (extensions stay with the general path), and an RSA `key` has at least 2048 bits (PyJWT
/// warns about smaller keys before verifying, so those stay with the general path too).
pub fn verify_compact(token: &[u8], allowed: &[String], key: VerifyingKey<'_>) -> Outcome {
    parse_and_verify(token, allowed, key).unwrap_or(Outcome::Unusual)
}

fn parse_and_verify(token: &[u8], allowed: &[String], key: VerifyingKey<'_>) -> Option<Outcome> {
    if let VerifyingKey::Rsa(rsa) = key
        && rsa.bits() < MIN_RECOMMENDED_BITS
    {
        return None;
    }
    let dot = token.iter().rposition(|&b| b == b'.')?;
    let (signing_input, signature_segment) = (&token[..dot], &token[dot + 1..]);
    let first = signing_input.iter().position(|&b| b == b'.')?;
    let (header_segment, payload_segment) = (&signing_input[..first], &signing_input[first + 1..]);

    let header_json = b64::decode_segment(header_segment, "header").ok()?;
    let Header {
        alg,
        crit: None,
        b64: None,
        ..
    } = json::from_object(&header_json)?
    else {
        return None;
    };
    // The caller hands this header to Python's `json`, which refuses some JSON serde skips.
    if !json::flat_for_python(&header_json) || !allowed.iter().any(|name| *name == alg) {
        return None;
    }
    // A key of another family or curve is the general path's to refuse (InvalidKeyError).
    let rsa_algorithm = match key {
        VerifyingKey::Rsa(_) => match algorithms::algorithm_from_name(&alg).ok()? {
            (algorithm, Family::Rsa) => Some(algorithm),
            _ => return None,
        },
        VerifyingKey::Curve(curve_key) => {
            if !curves::signs_for(&alg, curve_key.curve()) {
                return None;
            }
            None
        }
    };

    let payload = b64::decode_segment(payload_segment, "payload").ok()?;
    let signature = b64::decode_segment(signature_segment, "crypto").ok()?;
    let valid = match (key, rsa_algorithm) {
        (VerifyingKey::Rsa(rsa), Some(algorithm)) => {
            algorithms::verify_rsa(algorithm, rsa, signing_input, &signature).ok()?
        }
        (VerifyingKey::Curve(curve_key), _) => {
            curves::verify(&alg, curve_key, signing_input, &signature).ok()?
        }
        (VerifyingKey::Rsa(_), None) => return None,
    };
    if !valid {
        return Some(Outcome::BadSignature);
    }
    Some(Outcome::Verified(Verified {
        header_json,
        payload,
        signature,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{RsaKey, parse_rsa_key};
    use serde_json::Value;

    const PKCS8: &str = include_str!("../tests/keys/rsa2048.pkcs8.pem");

    fn signed(header: &str, payload: &str) -> (String, RsaKey) {
        signed_with(PKCS8, header, payload)
    }

    fn signed_with(pem: &str, header: &str, payload: &str) -> (String, RsaKey) {
        let key = parse_rsa_key(pem.as_bytes()).unwrap();
        let RsaKey::Private(private) = &key else {
            panic!("private key expected")
        };
        let input = format!(
            "{}.{}",
            b64::encode(header.as_bytes()),
            b64::encode(payload.as_bytes())
        );
        let alg = serde_json::from_str::<Value>(header).unwrap()["alg"]
            .as_str()
            .unwrap()
            .to_owned();
        let (alg, _) = algorithms::algorithm_from_name(&alg).unwrap();
        let signature = algorithms::sign_rsa(alg, private, input.as_bytes()).unwrap();
        (format!("{input}.{}", b64::encode(&signature)), key)
    }

    fn allowed(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ordinary_token_is_verified() {
        let (token, key) = signed(r#"{"alg":"PS256","kid":"k"}"#, r#"{"sub":"x"}"#);
        let outcome = verify_compact(
            token.as_bytes(),
            &allowed(&["PS256"]),
            VerifyingKey::Rsa(key.public()),
        );
        let Outcome::Verified(verified) = outcome else {
            panic!("valid token refused: {outcome:?}")
        };
        assert_eq!(verified.payload, br#"{"sub":"x"}"#);
        assert_eq!(verified.signature.len(), 256);
    }

    #[test]
    fn anything_unusual_falls_back() {
        let cases = [
            (r#"{"alg":"RS256","crit":["b64"]}"#, &["RS256"][..]),
            (r#"{"alg":"RS256","b64":true}"#, &["RS256"]),
            (r#"{"alg":"RS256","kid":1}"#, &["RS256"]),
            (r#"{"alg":"RS256","kid":null}"#, &["RS256"]),
            (r#"{"alg":"RS256","crit":null}"#, &["RS256"]),
            (r#"{"alg":"RS256","alg":"RS256"}"#, &["RS256"]),
            (r#"{"alg":"RS256"}"#, &["PS256"]),
            (r#"{"alg":"RS256"}"#, &[]),
            (r#"{"alg":"RS256","x":[[]]}"#, &["RS256"]),
        ];
        for (header, names) in cases {
            let (token, key) = signed(header, "{}");
            let outcome = verify_compact(
                token.as_bytes(),
                &allowed(names),
                VerifyingKey::Rsa(key.public()),
            );
            assert!(matches!(outcome, Outcome::Unusual), "{header}: {outcome:?}");
        }
        let (token, key) = signed(r#"{"alg":"RS256"}"#, "{}");
        for bad in ["", "a.b", "a.b.c.d", "e30.e30.!"] {
            let outcome = verify_compact(
                bad.as_bytes(),
                &allowed(&["RS256"]),
                VerifyingKey::Rsa(key.public()),
            );
            assert!(matches!(outcome, Outcome::Unusual), "{bad}: {outcome:?}");
        }
        let hs = allowed(&["HS256"]);
        let outcome = verify_compact(token.as_bytes(), &hs, VerifyingKey::Rsa(key.public()));
        assert!(matches!(outcome, Outcome::Unusual));
    }

    #[test]
    fn small_keys_fall_back() {
        let small = include_str!("../tests/keys/rsa1024.pkcs8.pem");
        let (token, key) = signed_with(small, r#"{"alg":"RS256"}"#, "{}");
        let outcome = verify_compact(
            token.as_bytes(),
            &allowed(&["RS256"]),
            VerifyingKey::Rsa(key.public()),
        );
        assert!(matches!(outcome, Outcome::Unusual), "{outcome:?}");
    }

    #[test]
    fn curve_keys_take_the_same_path() {
        use crate::curves::{Curve, generate_curve_key, sign};
        let key = generate_curve_key(Curve::P256).unwrap();
        let input = format!(
            "{}.{}",
            b64::encode(br#"{"alg":"ES256"}"#),
            b64::encode(br#"{"a":1}"#)
        );
        let signature = sign("ES256", &key, input.as_bytes()).unwrap();
        let token = format!("{input}.{}", b64::encode(&signature));
        let es256 = allowed(&["ES256", "EdDSA"]);
        let outcome = verify_compact(token.as_bytes(), &es256, VerifyingKey::Curve(&key));
        assert!(matches!(outcome, Outcome::Verified(_)), "{outcome:?}");
        let forged = format!("{input}.{}", b64::encode(&[1; 64]));
        let outcome = verify_compact(forged.as_bytes(), &es256, VerifyingKey::Curve(&key));
        assert!(matches!(outcome, Outcome::BadSignature), "{outcome:?}");
        // Another curve, or another family, is the general path's to refuse.
        let other = generate_curve_key(Curve::P384).unwrap();
        let outcome = verify_compact(token.as_bytes(), &es256, VerifyingKey::Curve(&other));
        assert!(matches!(outcome, Outcome::Unusual), "{outcome:?}");
        let rsa = parse_rsa_key(PKCS8.as_bytes()).unwrap();
        let outcome = verify_compact(token.as_bytes(), &es256, VerifyingKey::Rsa(rsa.public()));
        assert!(matches!(outcome, Outcome::Unusual), "{outcome:?}");
    }

    #[test]
    fn wrong_signature_is_final() {
        let (token, key) = signed(r#"{"alg":"RS256"}"#, r#"{"a":1}"#);
        let [header, payload, signature] = token.split('.').collect::<Vec<_>>()[..] else {
            panic!("three segments expected")
        };
        let tampered = format!("{header}.{}.{signature}", b64::encode(br#"{"a":2}"#));
        let outcome = verify_compact(
            tampered.as_bytes(),
            &allowed(&["RS256"]),
            VerifyingKey::Rsa(key.public()),
        );
        assert!(matches!(outcome, Outcome::BadSignature), "{outcome:?}");
        // A signature of the wrong length is just as wrong.
        let short = format!("{header}.{payload}.{}", b64::encode(&[7; 100]));
        let outcome = verify_compact(
            short.as_bytes(),
            &allowed(&["RS256"]),
            VerifyingKey::Rsa(key.public()),
        );
        assert!(matches!(outcome, Outcome::BadSignature), "{outcome:?}");
    }
}
