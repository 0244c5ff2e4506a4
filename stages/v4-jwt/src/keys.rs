//! RSA keys: parsing every form PyJWT accepts, generating new ones, and encoding them.
//!
//! A parsed key keeps whatever the crypto library needs ready (an aws-lc-rs `RsaKeyPair`, and a
//! `ParsedPublicKey` per algorithm built on first use), so signing and verifying never re-parse.
//! That is where the speed over naive `jsonwebtoken` use comes from: its aws-lc-rs signer parses
//! the private key from DER on every signature.
//!
//! aws-lc-rs only takes keys of 2048 to 8192 bits. PyJWT still signs and verifies with smaller
//! keys (after warning), so those go through the `rsa` crate instead (`Backend::Legacy`).

use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{
    KeyPair, ParsedPublicKey, RsaKeyPair, RsaParameters, RsaPublicKeyComponents,
};
use pkcs1::der::Decode;
use pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, RsaPublicKeyRef};
use pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::BoxedUint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

use crate::b64;
use crate::error::{Error, Result};

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

    pub(crate) fn legacy(&self) -> Option<&rsa::PublicKey> {
        self.legacy
            .get_or_init(|| {
                rsa::PublicKey::new(
                    BoxedUint::from_be_slice_vartime(&self.n),
                    BoxedUint::from_be_slice_vartime(&self.e),
                )
                .ok()
            })
            .as_ref()
    }

    /// SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"), the form PyJWT and OpenSSL print.
    pub fn to_pem(&self) -> Result<String> {
        let der = RsaPublicKeyComponents {
            n: &self.n[..],
            e: &self.e[..],
        }
        .as_der()
        .map_err(|_| Error::invalid_key("cannot encode RSA public key"))?;
        pem_encode("PUBLIC KEY", der.as_ref())
    }
}

pub(crate) fn pem_encode(label: &str, der: &[u8]) -> Result<String> {
    pkcs8::der::pem::encode_string(label, LineEnding::LF, der)
        .map_err(|e| Error::invalid_key(format!("cannot encode {label}: {e}")))
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

    fn from_rsa_crate(key: rsa::PrivateKey) -> Result<Self> {
        let n = key.n().as_ref().to_be_bytes_trimmed_vartime();
        let e = key.e().to_be_bytes_trimmed_vartime();
        let public = RsaPublic::from_components(&n, &e)?;
        if public.bits >= MIN_RECOMMENDED_BITS {
            // Full-size keys always sign with aws-lc-rs (constant-time, and faster).
            let der = key
                .to_pkcs1_der()
                .map_err(|e| Error::invalid_key(format!("cannot encode RSA private key: {e}")))?;
            let pair = RsaKeyPair::from_der(der.as_bytes())
                .map_err(|e| Error::invalid_key(format!("RSA private key rejected: {e}")))?;
            return Ok(Self {
                signer: Signer::Fast(pair),
                public,
            });
        }
        Ok(Self {
            signer: Signer::Legacy(Box::new(key)),
            public,
        })
    }

    pub fn public(&self) -> &RsaPublic {
        &self.public
    }

    /// Unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY").
    pub fn to_pem(&self) -> Result<String> {
        match &self.signer {
            Signer::Legacy(key) => key
                .to_pkcs8_pem(LineEnding::LF)
                .map(|doc| doc.to_string())
                .map_err(|e| Error::invalid_key(format!("cannot encode RSA private key: {e}"))),
            Signer::Fast(pair) => {
                let der = pair
                    .as_der()
                    .map_err(|_| Error::invalid_key("cannot export RSA private key"))?;
                pem_encode("PRIVATE KEY", der.as_ref())
            }
        }
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

/// Key text as every loader reads it: the ASCII whitespace around it (a newline before a key
/// pasted into a triple-quoted setting) is not part of the key.
fn key_text(data: &[u8]) -> &[u8] {
    data.trim_ascii()
}

/// The two textual forms of key material.
pub(crate) enum KeyText<'a> {
    /// An OpenSSH public key line, of any key type.
    Ssh(&'a [u8]),
    /// A PEM block.
    Pem(&'a [u8]),
}

/// The first word of an OpenSSH public key line, for each key type OpenSSH knows.
const SSH_KEY_TYPES: [&[u8]; 6] = [
    b"ssh-rsa",
    b"ssh-ed25519",
    b"ssh-dss",
    b"ecdsa-sha2-nistp256",
    b"ecdsa-sha2-nistp384",
    b"ecdsa-sha2-nistp521",
];

/// Which key form `data` is written in, if any. `parse_rsa_key` and `curves::parse_curve_key`
/// read only what this recognises, and `is_asymmetric_key` refuses all of it as an HMAC secret:
/// one decision, so the loaders and the guard cannot disagree about what a key is. A PEM block
/// may follow other text (`openssl pkcs12` writes "Bag Attributes" lines before the key), which
/// `cryptography`, and so PyJWT, skips too.
pub(crate) fn classify_key_text(data: &[u8]) -> Option<KeyText<'_>> {
    let text = key_text(data);
    if SSH_KEY_TYPES.iter().any(|kind| text.starts_with(kind)) {
        Some(KeyText::Ssh(text))
    } else {
        let start = text.windows(PEM_BEGIN.len()).position(|w| w == PEM_BEGIN)?;
        Some(KeyText::Pem(&text[start..]))
    }
}

const PEM_BEGIN: &[u8] = b"-----BEGIN ";

/// The labels of the PEM blocks a key loader reads. Other blocks (the certificate of a
/// key-and-certificate bundle) are skipped, as `cryptography` skips them.
const KEY_LABELS: [&str; 6] = [
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
];

/// Decodes the first key block of PEM text as the loaders PyJWT calls (`cryptography`) read
/// one, where the `pem-rfc7468` decoder alone is strict: base64 lines of any length (76, or the
/// whole body on one line, as in an environment variable), CRLF or CR line endings, whitespace
/// around and inside lines, blank lines right after the BEGIN line, no final newline, text
/// before, between and after blocks. The body is re-wrapped at 64 characters and handed to the
/// strict decoder, which still checks the label and the base64 (alphabet, padding). A blank line
/// inside the body is refused, as `cryptography` refuses it.
pub(crate) fn decode_pem(data: &[u8]) -> std::result::Result<(String, Vec<u8>), String> {
    let text = String::from_utf8_lossy(data)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut rest = text.as_str();
    loop {
        let start = rest
            .find("-----BEGIN ")
            .ok_or_else(|| "no PEM key block".to_string())?;
        let (label, body, after) = pem_block(&rest[start..])?;
        if KEY_LABELS.contains(&label) {
            return strict_decode(label, &body);
        }
        rest = after;
    }
}

/// The PEM block at the start of `text`: its label, its base64 body without whitespace, and the
/// text after its END line.
fn pem_block(text: &str) -> std::result::Result<(&str, String, &str), String> {
    let (begin, mut rest) = text.split_once('\n').unwrap_or((text, ""));
    let label = begin
        .trim_ascii()
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.strip_suffix("-----"))
        .ok_or_else(|| "malformed PEM BEGIN line".to_string())?;
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    while !rest.is_empty() {
        let (line, tail) = rest.split_once('\n').unwrap_or((rest, ""));
        rest = tail;
        let line = line.trim_ascii();
        if line == end {
            return Ok((label, body, rest));
        }
        if line.is_empty() {
            if body.is_empty() {
                continue;
            }
            return Err("blank line inside the PEM body".into());
        }
        body.extend(line.chars().filter(|c| !c.is_ascii_whitespace()));
    }
    Err(format!("no '{end}' line"))
}

fn strict_decode(label: &str, body: &str) -> std::result::Result<(String, Vec<u8>), String> {
    if !body.is_ascii() {
        return Err("PEM body is not base64".into());
    }
    let mut strict = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        // ASCII, checked above: any 64-byte chunk is whole characters.
        strict.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        strict.push('\n');
    }
    strict.push_str(&format!("-----END {label}-----\n"));
    let (label, der) =
        pkcs8::der::pem::decode_vec(strict.as_bytes()).map_err(|err| err.to_string())?;
    Ok((label.to_string(), der))
}

/// Whether `secret` is key material that must never serve as an HMAC secret (algorithm
/// confusion): text a key loader would read (PEM, OpenSSH, whitespace around it or not), or
/// the whole of a DER public key (SubjectPublicKeyInfo or PKCS#1) or X.509 certificate.
///
/// The DER check is structural: the buffer must parse, strict DER from its first byte to its
/// last, as one of those structures. Merely starting with a SEQUENCE header is not enough: a
/// random 32-byte secret does so about once in 65,000.
pub fn is_asymmetric_key(secret: &[u8]) -> bool {
    classify_key_text(secret).is_some() || is_der_public_key_or_certificate(secret)
}

fn is_der_public_key_or_certificate(der: &[u8]) -> bool {
    use pkcs8::der::asn1::{AnyRef, BitStringRef};
    use pkcs8::der::{Reader, SliceReader, Tag, Tagged};
    use pkcs8::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

    // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm
    // AlgorithmIdentifier, signatureValue BIT STRING } (RFC 5280 §4.1).
    let certificate = || -> pkcs8::der::Result<()> {
        let mut reader = SliceReader::new(der)?;
        reader.sequence(|body| -> pkcs8::der::Result<()> {
            let tbs: AnyRef<'_> = body.decode()?;
            tbs.tag().assert_eq(Tag::Sequence)?;
            let _: AlgorithmIdentifierRef<'_> = body.decode()?;
            let _: BitStringRef<'_> = body.decode()?;
            Ok(())
        })?;
        reader.finish()
    };
    SubjectPublicKeyInfoRef::from_der(der).is_ok()
        || RsaPublicKeyRef::from_der(der).is_ok()
        || certificate().is_ok()
}

fn parse_error(detail: impl std::fmt::Display) -> Error {
    Error::invalid_key(format!("Could not parse the provided RSA key: {detail}"))
}

fn private_from_pkcs1_der(der: &[u8]) -> Result<RsaPrivate> {
    match RsaKeyPair::from_der(der) {
        Ok(pair) => RsaPrivate::from_aws_lc(pair),
        // aws-lc-rs refuses keys under 2048 bits; the rsa crate takes them (legacy path).
        Err(_) => {
            RsaPrivate::from_rsa_crate(rsa::PrivateKey::from_pkcs1_der(der).map_err(parse_error)?)
        }
    }
}

fn private_from_pkcs8_der(der: &[u8]) -> Result<RsaPrivate> {
    match RsaKeyPair::from_pkcs8(der) {
        Ok(pair) => RsaPrivate::from_aws_lc(pair),
        Err(_) => {
            RsaPrivate::from_rsa_crate(rsa::PrivateKey::from_pkcs8_der(der).map_err(parse_error)?)
        }
    }
}

fn public_from_pkcs1_der(der: &[u8]) -> Result<RsaPublic> {
    let key = RsaPublicKeyRef::from_der(der).map_err(parse_error)?;
    RsaPublic::from_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())
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
    public_from_pkcs1_der(bits)
}

/// Parses an OpenSSH public key line: `ssh-rsa <base64 blob> [comment]`.
fn public_from_ssh(text: &[u8]) -> Result<RsaPublic> {
    use base64::Engine;
    let text = std::str::from_utf8(text).map_err(|_| parse_error("SSH key is not UTF-8"))?;
    let mut fields = text.split_ascii_whitespace();
    if fields.next() != Some("ssh-rsa") {
        return Err(parse_error("not an ssh-rsa key"));
    }
    let blob = fields
        .next()
        .ok_or_else(|| parse_error("SSH key has no key data"))?;
    let blob = base64::engine::general_purpose::STANDARD
        .decode(blob)
        .map_err(|_| parse_error("SSH key data is not base64"))?;
    // The blob is three length-prefixed strings: the key type again, then e, then n.
    let mut rest = &blob[..];
    let mut next = || -> Result<&[u8]> {
        if rest.len() < 4 {
            return Err(parse_error("truncated SSH key"));
        }
        let (len, tail) = rest.split_at(4);
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        if tail.len() < len {
            return Err(parse_error("truncated SSH key"));
        }
        let (field, tail) = tail.split_at(len);
        rest = tail;
        Ok(field)
    };
    if next()? != b"ssh-rsa" {
        return Err(parse_error("SSH key type mismatch"));
    }
    let e = next()?;
    let n = next()?;
    RsaPublic::from_components(n, e)
}

/// Parses any key text PyJWT's RSA algorithms accept: PEM (PKCS#1 or PKCS#8 private, SPKI or
/// PKCS#1 public) or an OpenSSH `ssh-rsa` public key. Encrypted keys are refused: PyJWT loads
/// PEM without a password too.
pub fn parse_rsa_key(data: &[u8]) -> Result<RsaKey> {
    let data = match classify_key_text(data) {
        Some(KeyText::Ssh(text)) => return public_from_ssh(text).map(RsaKey::Public),
        Some(KeyText::Pem(text)) => text,
        None => return Err(parse_error("expected a PEM block or an ssh-rsa public key")),
    };
    if data.windows(9).any(|w| w == b"ENCRYPTED") {
        return Err(Error::invalid_key(
            "Encrypted private keys are not supported",
        ));
    }
    let (label, der) = decode_pem(data).map_err(parse_error)?;
    match label.as_str() {
        "RSA PRIVATE KEY" => private_from_pkcs1_der(&der).map(RsaKey::Private),
        "PRIVATE KEY" => private_from_pkcs8_der(&der).map(RsaKey::Private),
        "PUBLIC KEY" => public_from_spki_der(&der).map(RsaKey::Public),
        "RSA PUBLIC KEY" => public_from_pkcs1_der(&der).map(RsaKey::Public),
        other => Err(parse_error(format!("unsupported PEM block '{other}'"))),
    }
}

/// Builds a key from JWK members (RFC 7518 §6.3), base64url-encoded. A private JWK needs `d`,
/// `p` and `q`; `dp`, `dq` and `qi` are recomputed rather than trusted.
pub fn rsa_key_from_jwk(
    n: &str,
    e: &str,
    d: Option<&str>,
    p: Option<&str>,
    q: Option<&str>,
) -> Result<RsaKey> {
    let n = b64::decode_jwk_member(n, "n")?;
    let e = b64::decode_jwk_member(e, "e")?;
    let Some(d) = d else {
        return RsaPublic::from_components(&n, &e).map(RsaKey::Public);
    };
    // The public half first: a private key with an impossible n or e is refused for that.
    RsaPublic::from_components(&n, &e)?;
    let uint = |bytes: &[u8]| BoxedUint::from_be_slice_vartime(bytes);
    // Cheap bounds before the rsa crate sees the numbers: some impossible values (d = 0 with
    // the primes left out) make its arithmetic panic rather than return an error. d is odd
    // because e·d ≡ 1 modulo an even number; p and q lie strictly between 1 and n.
    let modulus = strip_leading_zeros(&n);
    let within = |value: &[u8]| less_than(&[1], value) && less_than(value, modulus);
    let d = b64::decode_jwk_member(d, "d")?;
    if !within(strip_leading_zeros(&d)) || !is_odd(strip_leading_zeros(&d)) {
        return Err(Error::invalid_key(
            "Invalid RSA private JWK: 'd' must be odd and between 1 and n",
        ));
    }
    let prime = |value: &str, name: &str| -> Result<BoxedUint> {
        let bytes = b64::decode_jwk_member(value, name)?;
        if !within(strip_leading_zeros(&bytes)) {
            return Err(Error::invalid_key(format!(
                "Invalid RSA private JWK: '{name}' must be between 1 and n"
            )));
        }
        Ok(uint(&bytes))
    };
    let primes = match (p, q) {
        (Some(p), Some(q)) => vec![prime(p, "p")?, prime(q, "q")?],
        // The rsa crate recovers p and q from n, e and d when they are absent.
        (None, None) => Vec::new(),
        _ => {
            return Err(Error::invalid_key(
                "RSA JWK must have both 'p' and 'q' or neither",
            ));
        }
    };
    let key = rsa::PrivateKey::from_components(uint(&n), uint(&e), uint(&d), primes)
        .map_err(|err| Error::invalid_key(format!("Invalid RSA private JWK: {err}")))?;
    RsaPrivate::from_rsa_crate(key).map(RsaKey::Private)
}

/// Generates a new key pair with exponent 65537 using the operating system's RNG.
pub fn generate_rsa_key(bits: usize) -> Result<RsaPrivate> {
    if !(MIN_RECOMMENDED_BITS..=MAX_BITS).contains(&bits) {
        return Err(Error::invalid_key(format!(
            "key size must be between {MIN_RECOMMENDED_BITS} and {MAX_BITS} bits, got {bits}"
        )));
    }
    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
        .map_err(|e| Error::invalid_key(format!("RSA key generation failed: {e}")))?;
    RsaPrivate::from_rsa_crate(key)
}

/// The private JWK members `d`, `p`, `q`, `dp`, `dq`, `qi` (base64url), for `to_jwk`.
pub fn private_jwk_members(key: &RsaPrivate) -> Result<Vec<(&'static str, String)>> {
    let owned;
    let key: &rsa::PrivateKey = match &key.signer {
        Signer::Legacy(key) => key,
        Signer::Fast(pair) => {
            let der = pair
                .as_der()
                .map_err(|_| Error::invalid_key("cannot export RSA key"))?;
            owned = rsa::PrivateKey::from_pkcs8_der(der.as_ref())
                .map_err(|e| Error::invalid_key(format!("cannot export RSA key: {e}")))?;
            &owned
        }
    };
    let enc = |value: &BoxedUint| b64::encode(&value.to_be_bytes_trimmed_vartime());
    let primes = key.primes();
    if primes.len() != 2 {
        return Err(Error::invalid_key(
            "only two-prime RSA keys can be exported as JWK",
        ));
    }
    let missing = || Error::invalid_key("RSA key has no CRT values");
    let qi = key.crt_coefficient().ok_or_else(missing)?;
    Ok(vec![
        ("d", enc(key.d())),
        ("p", enc(primes[0].as_ref())),
        ("q", enc(primes[1].as_ref())),
        ("dp", enc(key.dp().ok_or_else(missing)?)),
        ("dq", enc(key.dq().ok_or_else(missing)?)),
        ("qi", enc(&qi)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn what_the_rsa_loader_reads_is_never_an_hmac_secret() {
        for key in [SSH, SPKI] {
            for text in [
                key.to_string(),
                format!("\n{key}"),
                format!(" \t\r\n{key}\n "),
            ] {
                assert!(parse_rsa_key(text.as_bytes()).is_ok(), "{text:?}");
                assert!(is_asymmetric_key(text.as_bytes()), "{text:?}");
            }
        }
        let (_, der) = pkcs8::der::pem::decode_vec(SPKI.as_bytes()).unwrap();
        assert!(is_asymmetric_key(&der));
        // The shape of a DER SEQUENCE spanning the buffer, with content that is no key.
        let mut shaped = vec![0x30, 30];
        shaped.extend((0..30u8).map(|i| i.wrapping_mul(37)));
        assert!(!is_asymmetric_key(&shaped));
        assert!(!is_asymmetric_key(b"a perfectly ordinary secret"));
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
            assert!(is_asymmetric_key(text.as_bytes()), "{text:?}");
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
