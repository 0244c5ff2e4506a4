//! RSA keys, parsed once into the objects aws-lc-rs signs and verifies with.
//!
//! A parsed key keeps what the crypto library needs ready (an aws-lc-rs `RsaKeyPair`, and a
//! `ParsedPublicKey` per algorithm built on first use), so signing and verifying never re-parse.
//! That is where the speed over naive `jsonwebtoken` use comes from: its aws-lc-rs signer parses
//! the private key from DER on every signature.
//!
//! This file reads the two standard PEM forms, PKCS#8 private and SubjectPublicKeyInfo public.
//! The other forms PyJWT accepts (PKCS#1, OpenSSH, JWK), keys under 2048 bits (which aws-lc-rs
//! refuses, so the `rsa` crate handles them), generation and export are in `keys/forms.rs`; the
//! reading of key text (PEM layouts, OpenSSH blobs) and the DER check of the HMAC-secret guard
//! are in `keys/text.rs`.

mod forms;
mod text;

use std::sync::OnceLock;

use aws_lc_rs::signature::{
    KeyPair, ParsedPublicKey, RsaKeyPair, RsaParameters, RsaPublicKeyComponents,
};
use pkcs1::der::Decode;

use crate::error::{Error, Result};

pub(crate) use forms::pem_encode;
pub use forms::{check_jwk_crt, generate_rsa_key, private_jwk_members, rsa_key_from_jwk};
pub use text::is_der_key;
pub(crate) use text::{KeyText, SshStrings, classify_key_text, decode_pem};

/// The smallest key PyJWT accepts without warning (NIST SP 800-131A).
pub const MIN_RECOMMENDED_BITS: usize = 2048;
/// The largest modulus aws-lc-rs verifies; larger keys are refused rather than half-supported.
pub const MAX_BITS: usize = 8192;

/// The public half: modulus and exponent (big-endian, no leading zeros) plus lazily parsed
/// verifiers, one per RSA algorithm, because an aws-lc-rs `ParsedPublicKey` is bound to one.
pub struct RsaPublic {
    n: Vec<u8>,
    e: Vec<u8>,
    bits: usize,
    parsed: [OnceLock<Option<ParsedPublicKey>>; 6],
    legacy: OnceLock<Option<rsa::PublicKey>>,
}

pub(crate) enum Signer {
    Fast(RsaKeyPair),
    Legacy(Box<rsa::PrivateKey>),
}

pub struct RsaPrivate {
    pub(crate) signer: Signer,
    public: RsaPublic,
}

/// A parsed RSA key: the private form can sign and verify, the public form only verify.
pub enum RsaKey {
    Private(RsaPrivate),
    Public(RsaPublic),
}

impl RsaPublic {
    fn from_components(n: &[u8], e: &[u8]) -> Result<Self> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        if n.is_empty() || e.is_empty() {
            return Err(Error::invalid_key(
                "RSA modulus and exponent must not be zero",
            ));
        }
        // Keys no RSA key pair can have: refused here, where every key form passes, so that a
        // misconfigured key is reported when it is loaded rather than as a bad signature on
        // every token. (The same rules as cryptography's RSAPublicNumbers, plus an odd modulus.)
        if !is_odd(n) {
            return Err(Error::invalid_key("RSA modulus must be odd"));
        }
        if !is_odd(e) || e == [1] || !less_than(e, n) {
            return Err(Error::invalid_key(
                "RSA public exponent must be odd, at least 3 and below the modulus",
            ));
        }
        let bits = n.len() * 8 - n[0].leading_zeros() as usize;
        if bits > MAX_BITS {
            return Err(Error::invalid_key(format!(
                "RSA keys above {MAX_BITS} bits are not supported (got {bits})"
            )));
        }
        Ok(Self {
            n: n.to_vec(),
            e: e.to_vec(),
            bits,
            parsed: Default::default(),
            legacy: OnceLock::new(),
        })
    }

    pub fn bits(&self) -> usize {
        self.bits
    }

    pub fn modulus(&self) -> &[u8] {
        &self.n
    }

    pub fn exponent(&self) -> &[u8] {
        &self.e
    }

    /// The aws-lc-rs verifier for `params`, built once per key and algorithm.
    pub(crate) fn parsed(
        &self,
        slot: usize,
        params: &'static RsaParameters,
    ) -> Option<&ParsedPublicKey> {
        self.parsed[slot]
            .get_or_init(|| {
                RsaPublicKeyComponents {
                    n: &self.n[..],
                    e: &self.e[..],
                }
                .to_parsed_public_key(params)
                .ok()
            })
            .as_ref()
    }
}

impl RsaPrivate {
    fn from_aws_lc(pair: RsaKeyPair) -> Result<Self> {
        let public = pair.public_key();
        let public = RsaPublic::from_components(
            public.modulus().big_endian_without_leading_zero(),
            public.exponent().big_endian_without_leading_zero(),
        )?;
        Ok(Self {
            signer: Signer::Fast(pair),
            public,
        })
    }

    pub fn public(&self) -> &RsaPublic {
        &self.public
    }
}

impl RsaKey {
    pub fn public(&self) -> &RsaPublic {
        match self {
            RsaKey::Private(key) => &key.public,
            RsaKey::Public(key) => key,
        }
    }

    pub fn is_private(&self) -> bool {
        matches!(self, RsaKey::Private(_))
    }

    pub fn bits(&self) -> usize {
        self.public().bits
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// For big-endian integers without leading zeros.
fn is_odd(value: &[u8]) -> bool {
    value.last().is_some_and(|&b| b & 1 == 1)
}

/// `a < b` for big-endian integers without leading zeros: the shorter is smaller, and equal
/// lengths compare byte by byte.
fn less_than(a: &[u8], b: &[u8]) -> bool {
    (a.len(), a) < (b.len(), b)
}

fn parse_error(detail: impl std::fmt::Display) -> Error {
    Error::invalid_key(format!("Could not parse the provided RSA key: {detail}"))
}

fn private_from_pkcs8_der(der: &[u8]) -> Result<RsaPrivate> {
    match RsaKeyPair::from_pkcs8(der) {
        Ok(pair) => RsaPrivate::from_aws_lc(pair),
        // aws-lc-rs refuses keys under 2048 bits; the rsa crate takes them (`forms.rs`), and
        // only them: a larger key it refuses (inconsistent CRT values) stays refused.
        Err(refused) => forms::small_private_from_pkcs8_der(der, refused),
    }
}

fn public_from_spki_der(der: &[u8]) -> Result<RsaPublic> {
    let spki = pkcs8::spki::SubjectPublicKeyInfoRef::from_der(der).map_err(parse_error)?;
    if spki.algorithm.oid != pkcs1::ALGORITHM_OID {
        return Err(Error::invalid_key(
            "The provided public key is not an RSA key",
        ));
    }
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| parse_error("public key bit string is not byte-aligned"))?;
    let key = pkcs1::RsaPublicKeyRef::from_der(bits).map_err(parse_error)?;
    RsaPublic::from_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

/// Parses any key text PyJWT's RSA algorithms accept: PEM (PKCS#8 here, PKCS#1 in `forms`) or
/// an OpenSSH `ssh-rsa` public key. Encrypted keys are refused: PyJWT loads PEM without a
/// password too.
pub fn parse_rsa_key(data: &[u8]) -> Result<RsaKey> {
    let data = match classify_key_text(data) {
        Some(KeyText::Ssh(text)) => return forms::public_from_ssh(text).map(RsaKey::Public),
        Some(KeyText::Pem(text)) => text,
        // PyJWT's words for text that is no key at all.
        None => {
            return Err(Error::invalid_key(
                "Could not parse the provided public key.",
            ));
        }
    };
    if data.windows(9).any(|w| w == b"ENCRYPTED") {
        return Err(Error::invalid_key(
            "Encrypted private keys are not supported",
        ));
    }
    let (label, der) = decode_pem(data).map_err(parse_error)?;
    match label.as_str() {
        "RSA PRIVATE KEY" => forms::private_from_pkcs1_der(&der).map(RsaKey::Private),
        "PRIVATE KEY" => private_from_pkcs8_der(&der).map(RsaKey::Private),
        "PUBLIC KEY" => public_from_spki_der(&der).map(RsaKey::Public),
        "RSA PUBLIC KEY" => forms::public_from_pkcs1_der(&der).map(RsaKey::Public),
        other => Err(parse_error(format!("unsupported PEM block '{other}'"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::b64;

    #[test]
    fn generated_keys_sign_with_aws_lc_and_export() {
        let key = generate_rsa_key(2048).unwrap();
        assert_eq!(key.public().bits(), 2048);
        assert!(matches!(key.signer, Signer::Fast(_)));
        assert!(
            key.to_pem()
                .unwrap()
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        assert!(generate_rsa_key(1024).is_err());
        assert!(generate_rsa_key(16384).is_err());
    }

    const SSH: &str = include_str!("../tests/keys/rsa2048.pub.ssh");
    const SPKI: &str = include_str!("../tests/keys/rsa2048.pub.pem");

    #[test]
    fn key_text_is_read_as_cryptography_reads_it() {
        // Whitespace after a key is ignored; before an OpenSSH line it is not, and a PEM block
        // may follow any text.
        for text in [
            SSH.to_string(),
            format!("{SSH}\n "),
            format!("\n{SPKI}"),
            format!(" \t\r\n{SPKI}\n "),
        ] {
            assert!(parse_rsa_key(text.as_bytes()).is_ok(), "{text:?}");
        }
        for text in [format!("\n{SSH}"), format!(" {SSH}"), "ssh-rsa".to_string()] {
            assert!(parse_rsa_key(text.as_bytes()).is_err(), "{text:?}");
        }
        let (_, der) = pkcs8::der::pem::decode_vec(SPKI.as_bytes()).unwrap();
        assert!(is_der_key(&der));
        // The shape of a DER SEQUENCE spanning the buffer, with content that is no key.
        let mut shaped = vec![0x30, 30];
        shaped.extend((0..30u8).map(|i| i.wrapping_mul(37)));
        assert!(!is_der_key(&shaped));
        assert!(!is_der_key(b"a perfectly ordinary secret"));
    }

    #[test]
    fn bytes_after_the_der_value_are_refused() {
        let (label, der) = pkcs8::der::pem::decode_vec(SPKI.as_bytes()).unwrap();
        for trailing in [&[0u8][..], &[5, 0], &[0x30, 0]] {
            let pem = pem_encode(label, &[&der[..], trailing].concat()).unwrap();
            assert!(decode_pem(pem.as_bytes()).is_err(), "{trailing:?}");
        }
    }

    #[test]
    fn pem_layouts_cryptography_reads_decode_to_the_same_der() {
        let (label, der) = pkcs8::der::pem::decode_vec(SPKI.as_bytes()).unwrap();
        let lines: Vec<&str> = SPKI.trim().lines().collect();
        let (begin, end) = (lines[0], lines[lines.len() - 1]);
        let body: String = lines[1..lines.len() - 1].concat();
        let wrap = |width: usize| -> Vec<String> {
            body.as_bytes()
                .chunks(width)
                .map(|c| String::from_utf8(c.to_vec()).unwrap())
                .collect()
        };
        let join = |body: &[String], sep: &str| format!("{begin}{sep}{}{sep}{end}", body.join(sep));
        let accepted = [
            join(&wrap(76), "\n"),
            join(&wrap(body.len()), "\n"),
            join(&wrap(64), "\r\n"),
            join(&wrap(76), "\r"),
            join(&wrap(64), " \t\n "),
            format!("{begin}\n\n{}\n{end}", wrap(64).join("\n")),
            join(&wrap(4), "\n"),
            // Text around the block and a certificate before it, as `cryptography` skips them.
            format!(
                "Bag Attributes\n    localKeyID: 01\n{}",
                join(&wrap(64), "\n")
            ),
            format!("{}\ntrailing text", join(&wrap(64), "\n")),
            format!(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n{}",
                join(&wrap(64), "\n")
            ),
        ];
        for text in &accepted {
            assert_eq!(
                decode_pem(text.as_bytes()),
                Ok((label.to_string(), der.clone())),
                "{text:?}"
            );
            assert!(parse_rsa_key(text.as_bytes()).is_ok(), "{text:?}");
        }
        let mut blank = wrap(64);
        blank.insert(2, String::new());
        let refused = [
            join(&blank, "\n"),
            format!(
                "{}\n\n{end}",
                join(&wrap(64), "\n").trim_end_matches(end).trim_end()
            ),
            format!("{begin}\n{body}"),
            format!("{begin}\n{body}\n-----END PRIVATE KEY-----"),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_string(),
            format!("{begin}\n{}\n{end}", &body[1..]),
            format!("{begin}\n{}é\n{end}", body),
        ];
        for text in &refused {
            assert!(decode_pem(text.as_bytes()).is_err(), "{text:?}");
        }
    }

    #[test]
    fn impossible_public_keys_are_refused() {
        let n = [0xc5, 0x01, 0x23, 0x45, 0x67];
        assert!(RsaPublic::from_components(&n, &[1, 0, 1]).is_ok());
        for e in [&[1][..], &[2], &[1, 0, 0], &n] {
            assert!(RsaPublic::from_components(&n, e).is_err(), "e = {e:?}");
        }
        assert!(RsaPublic::from_components(&[0xc5, 0x01, 0x23, 0x45, 0x66], &[3]).is_err());
    }

    #[test]
    fn impossible_private_jwk_members_are_refused_before_the_rsa_crate() {
        let (n, e) = (
            b64::encode(&[0xc5, 0x01, 0x23, 0x45, 0x67]),
            b64::encode(&[3]),
        );
        for d in [&[0][..], &[1], &[2], &[0xc5, 0x01, 0x23, 0x45, 0x67]] {
            let d = b64::encode(d);
            assert!(rsa_key_from_jwk(&n, &e, Some(&d), None, None).is_err());
        }
        let d = b64::encode(&[0x45]);
        for p in [&[0][..], &[1], &[0xc5, 0x01, 0x23, 0x45, 0x67]] {
            let p = b64::encode(p);
            assert!(rsa_key_from_jwk(&n, &e, Some(&d), Some(&p), Some(&e)).is_err());
        }
    }

    /// RUSTSEC-2023-0071 (Marvin): `rsa` below 0.10 must never come back into the build, for
    /// instance through `jsonwebtoken`'s `rust_crypto` feature.
    #[test]
    fn cargo_lock_has_no_vulnerable_rsa() {
        let lock = include_str!("../Cargo.lock");
        let mut name = "";
        for line in lock.lines() {
            if let Some(value) = line.strip_prefix("name = ") {
                name = value.trim_matches('"');
            } else if let Some(value) = line.strip_prefix("version = ")
                && name == "rsa"
            {
                let version = value.trim_matches('"');
                let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
                let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
                assert!(
                    major > 0 || minor >= 10,
                    "vulnerable rsa {version} in Cargo.lock"
                );
            }
        }
    }
}
