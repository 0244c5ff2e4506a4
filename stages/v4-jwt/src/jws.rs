//! The fast path for the common case: an ordinary RS*/PS* token checked in one native call.
//!
//! PyJWT's behaviour on *bad* tokens is defined by its Python code (which check fails first,
//! which message), so this module does not try to reproduce it. It only answers "is this a
//! well-formed token, with an allowed RSA algorithm and a valid signature?" and gives up
//! (`None`) on anything unusual, including a wrong signature. The caller then takes the general
//! Python path, which raises the exact PyJWT exception. A valid token never needs that path.

use serde_json::{Map, Value};

use crate::algorithms::{self, Family};
use crate::b64;
use crate::keys::RsaPublic;

/// The decoded segments of a verified token.
#[derive(Debug)]
pub struct Verified {
    pub header_json: Vec<u8>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// Verifies `token` if it is an ordinary compact JWS whose header is a JSON object with a string
/// `alg` listed in `allowed` and of the RSA family, a string `kid` if any, and no `crit` or `b64`
/// (extensions stay with the general path).
pub fn verify_rsa_compact(token: &[u8], allowed: &[String], key: &RsaPublic) -> Option<Verified> {
    let dot = token.iter().rposition(|&b| b == b'.')?;
    let (signing_input, signature_segment) = (&token[..dot], &token[dot + 1..]);
    let first = signing_input.iter().position(|&b| b == b'.')?;
    let (header_segment, payload_segment) = (&signing_input[..first], &signing_input[first + 1..]);

    let header_json = b64::decode_segment(header_segment, "header").ok()?;
    let header: Map<String, Value> = serde_json::from_slice(&header_json).ok()?;
    if header.contains_key("crit") || header.contains_key("b64") {
        return None;
    }
    if header.get("kid").is_some_and(|kid| !kid.is_string()) {
        return None;
    }
    let alg = header.get("alg")?.as_str()?;
    if !allowed.iter().any(|name| name == alg) {
        return None;
    }
    let (algorithm, Family::Rsa) = algorithms::algorithm_from_name(alg).ok()? else {
        return None;
    };

    let payload = b64::decode_segment(payload_segment, "payload").ok()?;
    let signature = b64::decode_segment(signature_segment, "crypto").ok()?;
    if !algorithms::verify_rsa(algorithm, key, signing_input, &signature).ok()? {
        return None;
    }
    Some(Verified {
        header_json,
        payload,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{RsaKey, parse_rsa_key};

    const PKCS8: &str = include_str!("../tests/keys/rsa2048.pkcs8.pem");

    fn signed(header: &str, payload: &str) -> (String, RsaKey) {
        let key = parse_rsa_key(PKCS8.as_bytes()).unwrap();
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
        let verified = verify_rsa_compact(token.as_bytes(), &allowed(&["PS256"]), key.public());
        let verified = verified.expect("valid token");
        assert_eq!(verified.payload, br#"{"sub":"x"}"#);
        assert_eq!(verified.signature.len(), 256);
    }

    #[test]
    fn anything_unusual_falls_back() {
        let cases = [
            (r#"{"alg":"RS256","crit":["b64"]}"#, &["RS256"][..]),
            (r#"{"alg":"RS256","b64":true}"#, &["RS256"]),
            (r#"{"alg":"RS256","kid":1}"#, &["RS256"]),
            (r#"{"alg":"RS256"}"#, &["PS256"]),
            (r#"{"alg":"RS256"}"#, &[]),
        ];
        for (header, names) in cases {
            let (token, key) = signed(header, "{}");
            assert!(verify_rsa_compact(token.as_bytes(), &allowed(names), key.public()).is_none());
        }
        let (token, key) = signed(r#"{"alg":"RS256"}"#, "{}");
        let tampered = token.replacen("e30", "e31", 1);
        for bad in [
            &tampered[..],
            "",
            "a.b",
            "a.b.c.d",
            &token[..token.len() - 3],
        ] {
            assert!(
                verify_rsa_compact(bad.as_bytes(), &allowed(&["RS256"]), key.public()).is_none()
            );
        }
        let hs = allowed(&["HS256"]);
        let (token, key) = signed(r#"{"alg":"RS256"}"#, "{}");
        assert!(verify_rsa_compact(token.as_bytes(), &hs, key.public()).is_none());
    }
}
