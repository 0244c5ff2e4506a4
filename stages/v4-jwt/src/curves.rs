//! Elliptic-curve keys: ECDSA (ES256, ES384, ES512, ES256K) and EdDSA with Ed25519 on aws-lc-rs,
//! EdDSA with Ed448 on RustCrypto's `ed448-goldilocks`.
//!
//! `jsonwebtoken` names ES256, ES384 and EdDSA but not ES512 or ES256K, and its signer re-parses
//! the key on every call (as for RSA), so the core holds aws-lc-rs key objects directly: an
//! `EcdsaKeyPair` or `Ed25519KeyPair` for signing, a `ParsedPublicKey` for verifying.
//! Signatures are JOSE's fixed-width `r || s` (RFC 7518 §3.4), as aws-lc-rs's `*_FIXED` signers
//! write them. Verification takes exactly that width, refusing an ASN.1 DER signature as PyJWT
//! does, and hands AWS-LC the DER form its `*_ASN1` verifiers read (`der_signature`).
//!
//! AWS-LC does not implement Ed448 (PyJWT gets it from OpenSSL through `cryptography`), so its
//! keys are `ed448_goldilocks` types: a `SigningKey` to sign, a `VerifyingKey` to verify. That
//! crate is a pre-release, pinned exactly in Cargo.toml; its arithmetic is constant-time.

use aws_lc_rs::encoding::{AsBigEndian, AsDer, Curve25519SeedBin, EcPrivateKeyBin};
use aws_lc_rs::signature::{
    self as lc, EcdsaKeyPair, EcdsaSigningAlgorithm, Ed25519KeyPair, KeyPair, ParsedPublicKey,
    VerificationAlgorithm,
};
use ed448_goldilocks::{SigningKey as Ed448Signing, VerifyingKey as Ed448Verifying};
use pkcs8::der::{Decode, Encode};
use pkcs8::{EncodePrivateKey, EncodePublicKey, ObjectIdentifier};

use crate::b64;
use crate::error::{Error, Result};
use crate::keys::{KeyText, SshStrings, classify_key_text, decode_pem, pem_encode};

/// The curves this module signs on. `Ed25519` and `Ed448` are OKP keys (RFC 8037), the others
/// EC keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
    Secp256k1,
    Ed25519,
    Ed448,
}

const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const ID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

impl Curve {
    const EC: [Curve; 4] = [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1];

    /// The JWK `crv` value.
    pub fn jwk_name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::Secp256k1 => "secp256k1",
            Curve::Ed25519 => "Ed25519",
            Curve::Ed448 => "Ed448",
        }
    }

    /// The SEC 2 name, which `cryptography` (and so PyJWT's error messages) uses.
    pub fn sec_name(self) -> &'static str {
        match self {
            Curve::P256 => "secp256r1",
            Curve::P384 => "secp384r1",
            Curve::P521 => "secp521r1",
            Curve::Secp256k1 => "secp256k1",
            Curve::Ed25519 => "ed25519",
            Curve::Ed448 => "ed448",
        }
    }

    pub fn from_jwk_name(name: &str) -> Result<Curve> {
        Ok(match name {
            "P-256" => Curve::P256,
            "P-384" => Curve::P384,
            "P-521" => Curve::P521,
            "secp256k1" => Curve::Secp256k1,
            "Ed25519" => Curve::Ed25519,
            "Ed448" => Curve::Ed448,
            other => return Err(Error::invalid_key(format!("Invalid curve: {other}"))),
        })
    }

    /// `EC` or `OKP`: the JWK `kty`.
    pub fn kty(self) -> &'static str {
        match self {
            Curve::Ed25519 | Curve::Ed448 => "OKP",
            _ => "EC",
        }
    }

    fn is_okp(self) -> bool {
        self.kty() == "OKP"
    }

    /// Bytes in a coordinate, a private scalar and half a signature.
    pub fn field_len(self) -> usize {
        match self {
            Curve::P384 => 48,
            Curve::P521 => 66,
            Curve::Ed448 => 57,
            _ => 32,
        }
    }

    pub fn bits(self) -> usize {
        match self {
            Curve::P384 => 384,
            Curve::P521 => 521,
            Curve::Ed448 => 456,
            _ => 256,
        }
    }

    fn ecdsa_signing(self) -> Option<&'static EcdsaSigningAlgorithm> {
        Some(match self {
            Curve::P256 => &lc::ECDSA_P256_SHA256_FIXED_SIGNING,
            Curve::P384 => &lc::ECDSA_P384_SHA384_FIXED_SIGNING,
            Curve::P521 => &lc::ECDSA_P521_SHA512_FIXED_SIGNING,
            Curve::Secp256k1 => &lc::ECDSA_P256K1_SHA256_FIXED_SIGNING,
            Curve::Ed25519 | Curve::Ed448 => return None,
        })
    }

    /// aws-lc-rs's verifier for the curve; `None` for Ed448, which AWS-LC lacks. ECDSA's take
    /// the DER signature: see `der_signature`.
    fn verification(self) -> Option<&'static dyn VerificationAlgorithm> {
        Some(match self {
            Curve::P256 => &lc::ECDSA_P256_SHA256_ASN1,
            Curve::P384 => &lc::ECDSA_P384_SHA384_ASN1,
            Curve::P521 => &lc::ECDSA_P521_SHA512_ASN1,
            Curve::Secp256k1 => &lc::ECDSA_P256K1_SHA256_ASN1,
            Curve::Ed25519 => &lc::ED25519,
            Curve::Ed448 => return None,
        })
    }

    fn named_curve_oid(self) -> ObjectIdentifier {
        match self {
            Curve::P256 => ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
            Curve::P384 => ObjectIdentifier::new_unwrap("1.3.132.0.34"),
            Curve::P521 => ObjectIdentifier::new_unwrap("1.3.132.0.35"),
            Curve::Secp256k1 => ObjectIdentifier::new_unwrap("1.3.132.0.10"),
            Curve::Ed25519 => ID_ED25519,
            Curve::Ed448 => ID_ED448,
        }
    }

    /// The curve of a key whose SPKI or PKCS#8 algorithm identifier is `(oid, parameters)`.
    fn from_algorithm_identifier(
        oid: ObjectIdentifier,
        parameters: Option<ObjectIdentifier>,
    ) -> Result<Curve> {
        if oid == ID_ED25519 {
            return Ok(Curve::Ed25519);
        }
        if oid == ID_ED448 {
            return Ok(Curve::Ed448);
        }
        if oid == ID_RSA {
            return Err(Error::invalid_key(
                "The provided key is an RSA key, not an EC or EdDSA key",
            ));
        }
        if oid != ID_EC_PUBLIC_KEY {
            return Err(Error::invalid_key(format!(
                "The provided key is not an EC or EdDSA key (algorithm {oid})"
            )));
        }
        Curve::EC
            .into_iter()
            .find(|curve| Some(curve.named_curve_oid()) == parameters)
            .ok_or_else(|| match parameters.and_then(other_curve_name) {
                Some(name) => Error::invalid_key(format!("{UNSUPPORTED_CURVE} '{name}'")),
                None => Error::invalid_key(format!("{UNSUPPORTED_CURVE} (or explicit parameters)")),
            })
    }
}

/// The start of the error for a key on a curve no JOSE algorithm uses (ECAlgorithm completes it
/// with the curve an algorithm expects, as PyJWT words it).
const UNSUPPORTED_CURVE: &str = "Unsupported elliptic curve";

/// The SEC 2 name (`cryptography`'s) of other named curves a key may be on, for the error.
fn other_curve_name(oid: ObjectIdentifier) -> Option<&'static str> {
    Some(match oid.to_string().as_str() {
        "1.2.840.10045.3.1.1" => "secp192r1",
        "1.3.132.0.33" => "secp224r1",
        "1.3.132.0.31" => "secp192k1",
        "1.3.132.0.32" => "secp224k1",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        _ => return None,
    })
}

/// The encodings of Ed25519's points of small order, with the sign bit of the last byte
/// cleared (the list libsodium refuses, non-canonical encodings included). With such a public
/// key the verification equation does not depend on the message: one fixed signature (R the
/// identity, S zero, for the identity) verifies every token.
const SMALL_ORDER_ED25519: [[u8; 32]; 7] = [
    hex32("0000000000000000000000000000000000000000000000000000000000000000"),
    hex32("0100000000000000000000000000000000000000000000000000000000000000"),
    hex32("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    hex32("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    hex32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    hex32("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    hex32("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
];

const fn hex32(text: &str) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        if c <= b'9' { c - b'0' } else { c - b'a' + 10 }
    }
    let text = text.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = nibble(text[2 * i]) << 4 | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

fn is_small_order_ed25519(point: &[u8]) -> bool {
    let Ok(mut point) = <[u8; 32]>::try_from(point) else {
        return false;
    };
    point[31] &= 0x7f;
    SMALL_ORDER_ED25519.contains(&point)
}

/// The curve a JOSE algorithm signs on; `None` for names that are not ECDSA or EdDSA.
/// `ES521` is PyJWT's second name for ES512. EdDSA also signs on Ed448: see `signs_for`.
pub fn curve_for_algorithm(name: &str) -> Option<Curve> {
    Some(match name {
        "ES256" => Curve::P256,
        "ES384" => Curve::P384,
        "ES512" | "ES521" => Curve::P521,
        "ES256K" => Curve::Secp256k1,
        "EdDSA" => Curve::Ed25519,
        _ => return None,
    })
}

/// Whether a token signed with `algorithm` may be checked with a key on `curve`: the curve of
/// the algorithm, or for EdDSA either Edwards curve (RFC 8037 names one algorithm for both).
pub fn signs_for(algorithm: &str, curve: Curve) -> bool {
    match curve_for_algorithm(algorithm) {
        Some(Curve::Ed25519) => curve.is_okp(),
        expected => expected == Some(curve),
    }
}

enum Pair {
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Ed448(Box<Ed448Signing>),
}

enum Public {
    AwsLc(ParsedPublicKey),
    Ed448(Box<Ed448Verifying>),
}

/// A parsed EC or EdDSA key: the private half when there is one, the public half always.
pub struct CurveKey {
    curve: Curve,
    pair: Option<Pair>,
    public: Public,
    /// The public key as JWK coordinates come from it: `04 || x || y` (uncompressed SEC 1
    /// point) for EC, the raw bytes (32 or 57) for Ed25519 and Ed448.
    point: Vec<u8>,
}

fn rejected(what: &str) -> impl Fn(aws_lc_rs::error::KeyRejected) -> Error + '_ {
    move |err| Error::invalid_key(format!("Invalid {what}: {err}"))
}

impl CurveKey {
    fn from_pair(curve: Curve, pair: Pair) -> Result<CurveKey> {
        let point = match &pair {
            Pair::Ecdsa(pair) => pair.public_key().as_ref().to_vec(),
            Pair::Ed25519(pair) => pair.public_key().as_ref().to_vec(),
            Pair::Ed448(key) => key.verifying_key().as_bytes().to_vec(),
        };
        let mut key = CurveKey::from_point(curve, point)?;
        key.pair = Some(pair);
        Ok(key)
    }

    fn from_point(curve: Curve, point: Vec<u8>) -> Result<CurveKey> {
        if !curve.is_okp() && point.first() != Some(&4) {
            return Err(Error::invalid_key(
                "Compressed EC points are not supported: use the uncompressed form",
            ));
        }
        let off_curve = "Invalid public key: not a point on the curve";
        // Ed448's decoder refuses the small-order points itself; AWS-LC's Ed25519 does not.
        if curve == Curve::Ed25519 && is_small_order_ed25519(&point) {
            return Err(Error::invalid_key(
                "Invalid public key: an Ed25519 point of small order",
            ));
        }
        let public = match curve.verification() {
            Some(algorithm) => Public::AwsLc(
                ParsedPublicKey::new(algorithm, &point)
                    .map_err(rejected("public key: not a point on the curve"))?,
            ),
            None => {
                let bytes = point.as_slice().try_into().map_err(|_| {
                    Error::invalid_key("Invalid public key: Ed448 keys are 57 bytes")
                })?;
                Public::Ed448(Box::new(
                    Ed448Verifying::from_bytes(bytes).map_err(|_| Error::invalid_key(off_curve))?,
                ))
            }
        };
        Ok(CurveKey {
            curve,
            pair: None,
            public,
            point,
        })
    }

    pub fn curve(&self) -> Curve {
        self.curve
    }

    pub fn is_private(&self) -> bool {
        self.pair.is_some()
    }

    /// SubjectPublicKeyInfo PEM.
    pub fn public_pem(&self) -> Result<String> {
        let failed = |_| Error::invalid_key("cannot encode the public key");
        match &self.public {
            Public::AwsLc(public) => {
                pem_encode("PUBLIC KEY", public.as_der().map_err(failed)?.as_ref())
            }
            Public::Ed448(public) => {
                let der = public
                    .to_public_key_der()
                    .map_err(|_| Error::invalid_key("cannot encode the public key"))?;
                pem_encode("PUBLIC KEY", der.as_bytes())
            }
        }
    }

    /// PKCS#8 PEM of the private key.
    pub fn private_pem(&self) -> Result<String> {
        let failed = || Error::invalid_key("cannot encode the private key");
        let der = match &self.pair {
            Some(Pair::Ecdsa(pair)) => pair.to_pkcs8v1().map_err(|_| failed())?.as_ref().to_vec(),
            Some(Pair::Ed25519(pair)) => pair.to_pkcs8v1().map_err(|_| failed())?.as_ref().to_vec(),
            Some(Pair::Ed448(key)) => {
                // RFC 8410's PKCS#8 v1, as OpenSSL writes it: the crate's own encoding adds the
                // public key (v2), which `cryptography` refuses to read.
                let der = key.to_pkcs8_der().map_err(|_| failed())?;
                let mut info =
                    pkcs8::PrivateKeyInfoRef::from_der(der.as_bytes()).map_err(|_| failed())?;
                info.public_key = None;
                info.to_der().map_err(|_| failed())?
            }
            None => return Err(Error::invalid_key("not a private key")),
        };
        pem_encode("PRIVATE KEY", &der)
    }

    /// JWK members after `kty`: `crv`, `x`, `y` (EC only), then `d` for a private key; fixed-width
    /// big-endian values as RFC 7518 §6.2 and RFC 8037 require.
    pub fn jwk_members(&self) -> Result<Vec<(&'static str, String)>> {
        let mut members = vec![("crv", self.curve.jwk_name().to_owned())];
        if self.curve.is_okp() {
            members.push(("x", b64::encode(&self.point)));
        } else {
            let (x, y) = self.point[1..].split_at(self.curve.field_len());
            members.push(("x", b64::encode(x)));
            members.push(("y", b64::encode(y)));
        }
        let failed = |_| Error::invalid_key("cannot export the private key");
        match &self.pair {
            Some(Pair::Ecdsa(pair)) => {
                let d: EcPrivateKeyBin = pair.private_key().as_be_bytes().map_err(failed)?;
                members.push(("d", b64::encode(d.as_ref())));
            }
            Some(Pair::Ed25519(pair)) => {
                let seed = pair.seed().map_err(failed)?;
                let d: Curve25519SeedBin = seed.as_be_bytes().map_err(failed)?;
                members.push(("d", b64::encode(d.as_ref())));
            }
            Some(Pair::Ed448(key)) => members.push(("d", b64::encode(key.as_bytes()))),
            None => {}
        }
        Ok(members)
    }
}

fn parse_error(detail: impl std::fmt::Display) -> Error {
    Error::invalid_key(format!(
        "Could not parse the provided EC or EdDSA key: {detail}"
    ))
}

/// Parses any key text PyJWT's ECAlgorithm and OKPAlgorithm accept: PEM (SEC 1 `EC PRIVATE KEY`,
/// PKCS#8 `PRIVATE KEY`, SPKI `PUBLIC KEY`) or an OpenSSH `ecdsa-sha2-*` / `ssh-ed25519` line.
/// The text is read through the same classification as the RSA loader and the HMAC guard.
pub fn parse_curve_key(data: &[u8]) -> Result<CurveKey> {
    let text = match classify_key_text(data) {
        Some(KeyText::Ssh(text)) => return from_ssh(text),
        Some(KeyText::Pem(text)) => text,
        None => return Err(parse_error("expected a PEM block or an OpenSSH public key")),
    };
    if text.windows(9).any(|w| w == b"ENCRYPTED") {
        return Err(Error::invalid_key(
            "Encrypted private keys are not supported",
        ));
    }
    let (label, der) = decode_pem(text).map_err(parse_error)?;
    match label.as_str() {
        "EC PRIVATE KEY" => from_sec1(&der),
        "PRIVATE KEY" => from_pkcs8(&der),
        "PUBLIC KEY" => from_spki(&der),
        "RSA PRIVATE KEY" | "RSA PUBLIC KEY" => Err(Error::invalid_key(
            "The provided key is an RSA key, not an EC or EdDSA key",
        )),
        other => Err(parse_error(format!("unsupported PEM block '{other}'"))),
    }
}

/// RFC 5915 `ECPrivateKey`: the curve is in its parameters, which aws-lc-rs checks against the
/// algorithm it is given, so each curve is tried in turn.
fn from_sec1(der: &[u8]) -> Result<CurveKey> {
    for (curve, signing) in Curve::EC
        .into_iter()
        .filter_map(|curve| Some((curve, curve.ecdsa_signing()?)))
    {
        if let Ok(pair) = EcdsaKeyPair::from_private_key_der(signing, der) {
            return CurveKey::from_pair(curve, Pair::Ecdsa(pair));
        }
    }
    Err(parse_error(
        "not an EC private key on P-256, P-384, P-521 or secp256k1",
    ))
}

fn from_pkcs8(der: &[u8]) -> Result<CurveKey> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(parse_error)?;
    let curve =
        Curve::from_algorithm_identifier(info.algorithm.oid, info.algorithm.parameters_oid().ok())?;
    let pair = match (curve, curve.ecdsa_signing()) {
        (_, Some(signing)) => {
            Pair::Ecdsa(EcdsaKeyPair::from_pkcs8(signing, der).map_err(rejected("EC key"))?)
        }
        (Curve::Ed448, None) => Pair::Ed448(Box::new(
            Ed448Signing::try_from(info).map_err(|err| parse_error(format!("Ed448 key: {err}")))?,
        )),
        (_, None) => Pair::Ed25519(
            Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(rejected("Ed25519 key"))?,
        ),
    };
    CurveKey::from_pair(curve, pair)
}

fn from_spki(der: &[u8]) -> Result<CurveKey> {
    let spki = pkcs8::spki::SubjectPublicKeyInfoRef::from_der(der).map_err(parse_error)?;
    let curve =
        Curve::from_algorithm_identifier(spki.algorithm.oid, spki.algorithm.parameters_oid().ok())?;
    let point = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| parse_error("public key bit string is not byte-aligned"))?;
    CurveKey::from_point(curve, point.to_vec())
}

/// `ecdsa-sha2-nistp256 <base64 blob> [comment]` (blob: type, curve name, point) or
/// `ssh-ed25519 <base64 blob>` (blob: type, 32-byte key), RFC 5656 and RFC 8709.
fn from_ssh(text: &[u8]) -> Result<CurveKey> {
    use base64::Engine;
    let text = std::str::from_utf8(text).map_err(|_| parse_error("SSH key is not UTF-8"))?;
    let mut fields = text.split_ascii_whitespace();
    let kind = fields.next().unwrap_or_default();
    let curve = match kind {
        "ecdsa-sha2-nistp256" => Curve::P256,
        "ecdsa-sha2-nistp384" => Curve::P384,
        "ecdsa-sha2-nistp521" => Curve::P521,
        "ssh-ed25519" => Curve::Ed25519,
        "ssh-rsa" => {
            return Err(Error::invalid_key(
                "The provided key is an RSA key, not an EC or EdDSA key",
            ));
        }
        other => return Err(parse_error(format!("unsupported SSH key type '{other}'"))),
    };
    let blob = fields
        .next()
        .ok_or_else(|| parse_error("SSH key has no key data"))?;
    let blob = base64::engine::general_purpose::STANDARD
        .decode(blob)
        .map_err(|_| parse_error("SSH key data is not base64"))?;
    let mut strings = SshStrings::new(&blob);
    let mut next = || {
        strings
            .next()
            .ok_or_else(|| parse_error("truncated SSH key"))
    };
    if next()? != kind.as_bytes() {
        return Err(parse_error("SSH key type mismatch"));
    }
    if curve != Curve::Ed25519 {
        // The curve name again ("nistp256"), which must agree with the type.
        if kind.strip_prefix("ecdsa-sha2-").map(str::as_bytes) != Some(next()?) {
            return Err(parse_error("SSH key curve mismatch"));
        }
    }
    let point = next()?.to_vec();
    if !strings.is_finished() {
        return Err(parse_error("trailing data after the SSH key"));
    }
    CurveKey::from_point(curve, point)
}

/// Builds a key from JWK members (RFC 7518 §6.2, RFC 8037 §2), base64url-encoded. `y` is
/// required for EC curves and ignored for Ed25519 and Ed448. With `d` the key is private, and
/// `d` must match the public point.
pub fn curve_key_from_jwk(
    crv: &str,
    x: &str,
    y: Option<&str>,
    d: Option<&str>,
) -> Result<CurveKey> {
    let curve = Curve::from_jwk_name(crv)?;
    let size = curve.field_len();
    let x = b64::decode_jwk_member(x, "x")?;
    let point = if curve.is_okp() {
        if x.len() != size {
            return Err(Error::invalid_key(format!(
                "Invalid key parameter: 'x' must be {size} bytes"
            )));
        }
        x
    } else {
        let y = y.ok_or_else(|| Error::invalid_key("Not an Elliptic curve key"))?;
        let y = b64::decode_jwk_member(y, "y")?;
        if x.len() != size || y.len() != size {
            return Err(Error::invalid_key(format!(
                "Coords should be {size} bytes for curve {crv}"
            )));
        }
        [&[4][..], &x, &y].concat()
    };
    let Some(d) = d else {
        return CurveKey::from_point(curve, point);
    };
    let d = b64::decode_jwk_member(d, "d")?;
    if d.len() != size {
        return Err(Error::invalid_key(format!(
            "D should be {size} bytes for curve {crv}"
        )));
    }
    let mismatch = || Error::invalid_key("Public key does not match private key");
    let pair = match (curve, curve.ecdsa_signing()) {
        (_, Some(signing)) => Pair::Ecdsa(
            EcdsaKeyPair::from_private_key_and_public_key(signing, &d, &point)
                .map_err(|_| mismatch())?,
        ),
        (Curve::Ed448, None) => {
            let key = Ed448Signing::try_from(d.as_slice()).map_err(|_| mismatch())?;
            if key.verifying_key().as_bytes()[..] != point[..] {
                return Err(mismatch());
            }
            Pair::Ed448(Box::new(key))
        }
        (_, None) => Pair::Ed25519(
            Ed25519KeyPair::from_seed_and_public_key(&d, &point).map_err(|_| mismatch())?,
        ),
    };
    CurveKey::from_pair(curve, pair)
}

/// A new private key on `curve`, from AWS-LC's DRBG.
pub fn generate_curve_key(curve: Curve) -> Result<CurveKey> {
    let failed = || Error::invalid_key("key generation failed");
    let pair = match (curve, curve.ecdsa_signing()) {
        (_, Some(signing)) => Pair::Ecdsa(EcdsaKeyPair::generate(signing).map_err(|_| failed())?),
        (Curve::Ed448, None) => {
            // An Ed448 private key is 57 random bytes (RFC 8032 §5.2.5), from the OS.
            let mut seed = [0u8; ed448_goldilocks::SECRET_KEY_LENGTH];
            getrandom::fill(&mut seed).map_err(|_| failed())?;
            Pair::Ed448(Box::new(
                Ed448Signing::try_from(&seed[..]).map_err(|_| failed())?,
            ))
        }
        (_, None) => Pair::Ed25519(Ed25519KeyPair::generate().map_err(|_| failed())?),
    };
    CurveKey::from_pair(curve, pair)
}

/// Refuses a key on another curve than `algorithm`'s (curve and key-type confusion), with
/// PyJWT's wording.
pub fn check_curve(algorithm: &str, key: &CurveKey) -> Result<()> {
    let expected = curve_for_algorithm(algorithm)
        .ok_or_else(|| Error::invalid_algorithm("Algorithm not supported"))?;
    if !signs_for(algorithm, key.curve) {
        return Err(Error::invalid_key(format!(
            "The key's curve '{}' does not match the expected curve '{}' for this algorithm",
            key.curve.sec_name(),
            expected.sec_name()
        )));
    }
    Ok(())
}

pub fn sign(algorithm: &str, key: &CurveKey, message: &[u8]) -> Result<Vec<u8>> {
    check_curve(algorithm, key)?;
    match &key.pair {
        Some(Pair::Ecdsa(pair)) => pair
            // aws-lc-rs ignores the RNG argument: the nonce comes from its own DRBG.
            .sign(&aws_lc_rs::rand::SystemRandom::new(), message)
            .map(|signature| signature.as_ref().to_vec())
            .map_err(|_| Error::invalid_key("ECDSA signing failed")),
        Some(Pair::Ed25519(pair)) => Ok(pair.sign(message).as_ref().to_vec()),
        Some(Pair::Ed448(key)) => Ok(key.sign_raw(message).to_bytes().to_vec()),
        None => Err(Error::invalid_key("a public key cannot sign")),
    }
}

/// `Ok(false)` for a signature that does not match, including one of the wrong length (an
/// ASN.1 DER signature).
pub fn verify(algorithm: &str, key: &CurveKey, message: &[u8], signature: &[u8]) -> Result<bool> {
    check_curve(algorithm, key)?;
    Ok(match &key.public {
        Public::AwsLc(public) if key.curve.is_okp() => {
            public.verify_sig(message, signature).is_ok()
        }
        Public::AwsLc(public) => {
            let mut der = [0; DER_SIGNATURE_MAX];
            der_signature(key.curve, signature, &mut der)
                .is_some_and(|der| public.verify_sig(message, der).is_ok())
        }
        Public::Ed448(public) => ed448_goldilocks::Signature::from_slice(signature)
            .is_ok_and(|signature| public.verify_raw(&signature, message).is_ok()),
    })
}

/// The longest DER signature: P-521's, a SEQUENCE (3 bytes of header) of two INTEGERs of up to
/// 66 bytes, each with a zero byte before a high bit and 2 bytes of header.
const DER_SIGNATURE_MAX: usize = 3 + 2 * (2 + 1 + 66);

/// JOSE's `r || s` as the DER `SEQUENCE { r INTEGER, s INTEGER }` that AWS-LC verifies, or
/// `None` when it is not exactly two scalars wide. aws-lc-rs's `*_FIXED` verifiers convert
/// through AWS-LC's bignums and allocations, about 6k instructions for P-256; this writes the
/// same bytes into `out` directly. Zero or out-of-range scalars are the verifier's to refuse,
/// as before.
fn der_signature<'a>(
    curve: Curve,
    fixed: &[u8],
    out: &'a mut [u8; DER_SIGNATURE_MAX],
) -> Option<&'a [u8]> {
    if fixed.len() != 2 * curve.field_len() {
        return None;
    }
    let (r, s) = fixed.split_at(curve.field_len());
    let integers = [
        pkcs8::der::asn1::UintRef::new(r).ok()?,
        pkcs8::der::asn1::UintRef::new(s).ok()?,
    ];
    integers.encode_to_slice(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn der_signature_is_what_aws_lc_writes() {
        // Every width, and scalars with leading zero bytes and high bits (the INTEGER encoding's
        // two special cases), against the DER signature AWS-LC itself writes for the same
        // (r, s): its ASN.1 signer's output, read back as fixed-width by `fixed_from_der`.
        use aws_lc_rs::rand::SystemRandom;
        for (curve, fixed_alg, der_alg) in [
            (
                Curve::P256,
                &lc::ECDSA_P256_SHA256_FIXED_SIGNING,
                &lc::ECDSA_P256_SHA256_ASN1_SIGNING,
            ),
            (
                Curve::P384,
                &lc::ECDSA_P384_SHA384_FIXED_SIGNING,
                &lc::ECDSA_P384_SHA384_ASN1_SIGNING,
            ),
            (
                Curve::P521,
                &lc::ECDSA_P521_SHA512_FIXED_SIGNING,
                &lc::ECDSA_P521_SHA512_ASN1_SIGNING,
            ),
        ] {
            let pkcs8 = EcdsaKeyPair::generate_pkcs8(fixed_alg, &SystemRandom::new()).unwrap();
            let der_pair = EcdsaKeyPair::from_pkcs8(der_alg, pkcs8.as_ref()).unwrap();
            let verifier = curve.verification().unwrap();
            for i in 0..200u32 {
                let message = i.to_be_bytes();
                let der = der_pair.sign(&SystemRandom::new(), &message).unwrap();
                let fixed = fixed_from_der(curve, der.as_ref());
                let mut out = [0; DER_SIGNATURE_MAX];
                assert_eq!(der_signature(curve, &fixed, &mut out), Some(der.as_ref()));
                let public =
                    ParsedPublicKey::new(verifier, der_pair.public_key().as_ref()).unwrap();
                assert!(public.verify_sig(&message, der.as_ref()).is_ok());
            }
            let mut out = [0; DER_SIGNATURE_MAX];
            let n = curve.field_len();
            for width in [0, n, 2 * n - 1, 2 * n + 1] {
                assert_eq!(
                    der_signature(curve, &vec![1; width], &mut out),
                    None,
                    "{width}"
                );
            }
            // Zeros and high bits: INTEGER 0 is one zero byte; a high bit takes a zero before it.
            let mut fixed = vec![0; 2 * n];
            fixed[n] = 0x80;
            let der = der_signature(curve, &fixed, &mut out).unwrap().to_vec();
            assert_eq!(
                &der[..5],
                &[0x30, der.len() as u8 - 2, 0x02, 0x01, 0x00][..]
            );
            assert_eq!(&der[5..8], &[0x02, n as u8 + 1, 0x00]);
        }
    }

    /// `r || s` from a DER signature, by hand (for the test only).
    fn fixed_from_der(curve: Curve, der: &[u8]) -> Vec<u8> {
        let n = curve.field_len();
        let body = if der[1] == 0x81 { &der[3..] } else { &der[2..] };
        let (r_len, rest) = (body[1] as usize, &body[2..]);
        let (r, rest) = rest.split_at(r_len);
        let s = &rest[2..2 + rest[1] as usize];
        let mut fixed = vec![0; 2 * n];
        for (half, int) in [(0, r), (1, s)] {
            let int = &int[int.len().saturating_sub(n)..];
            fixed[half * n + n - int.len()..(half + 1) * n].copy_from_slice(int);
        }
        fixed
    }

    const ALGORITHMS: [(&str, Curve); 6] = [
        ("ES256", Curve::P256),
        ("ES384", Curve::P384),
        ("ES512", Curve::P521),
        ("ES256K", Curve::Secp256k1),
        ("EdDSA", Curve::Ed25519),
        ("EdDSA", Curve::Ed448),
    ];

    fn reload(key: &CurveKey) -> (CurveKey, CurveKey) {
        let private = parse_curve_key(key.private_pem().unwrap().as_bytes()).unwrap();
        let public = parse_curve_key(key.public_pem().unwrap().as_bytes()).unwrap();
        (private, public)
    }

    #[test]
    fn every_algorithm_signs_and_verifies_through_pem_and_jwk() {
        for (name, curve) in ALGORITHMS {
            let key = generate_curve_key(curve).unwrap();
            let (private, public) = reload(&key);
            assert!(private.is_private() && !public.is_private());
            let signature = sign(name, &private, b"header.payload").unwrap();
            assert_eq!(signature.len(), 2 * curve.field_len(), "{name}");
            assert!(verify(name, &public, b"header.payload", &signature).unwrap());
            assert!(!verify(name, &public, b"header.payloaX", &signature).unwrap());

            let members = private.jwk_members().unwrap();
            let get = |n: &str| {
                members
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.as_str())
            };
            let from_jwk =
                curve_key_from_jwk(get("crv").unwrap(), get("x").unwrap(), get("y"), get("d"))
                    .unwrap();
            let again = sign(name, &from_jwk, b"m").unwrap();
            assert!(verify(name, &public, b"m", &again).unwrap());
            assert_eq!(from_jwk.public_pem().unwrap(), public.public_pem().unwrap());
        }
    }

    #[test]
    fn der_signatures_and_other_curves_are_refused() {
        let key = generate_curve_key(Curve::P256).unwrap();
        let signature = sign("ES256", &key, b"m").unwrap();
        // The same (r, s) as ASN.1 DER: SEQUENCE { INTEGER r, INTEGER s }.
        let integer = |half: &[u8]| {
            let mut value = half.to_vec();
            if value[0] & 0x80 != 0 {
                value.insert(0, 0);
            }
            [&[2, value.len() as u8][..], &value].concat()
        };
        let body = [integer(&signature[..32]), integer(&signature[32..])].concat();
        let der = [&[0x30, body.len() as u8][..], &body].concat();
        assert!(!verify("ES256", &key, b"m", &der).unwrap());

        let other = generate_curve_key(Curve::P384).unwrap();
        let err = verify("ES256", &other, b"m", &signature).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidKey);
        assert!(err.message.contains("secp384r1"), "{}", err.message);
        let ed = generate_curve_key(Curve::Ed25519).unwrap();
        assert_eq!(
            sign("ES256", &ed, b"m").unwrap_err().kind,
            ErrorKind::InvalidKey
        );
        assert_eq!(
            sign("EdDSA", &key, b"m").unwrap_err().kind,
            ErrorKind::InvalidKey
        );
        assert_eq!(
            sign("RS256", &key, b"m").unwrap_err().kind,
            ErrorKind::InvalidAlgorithm
        );
    }

    #[test]
    fn rsa_and_broken_keys_are_invalid_key_errors() {
        let rsa_keys = [
            include_str!("../tests/keys/rsa2048.pkcs8.pem"),
            include_str!("../tests/keys/rsa2048.pkcs1.pem"),
            include_str!("../tests/keys/rsa2048.pub.pem"),
            include_str!("../tests/keys/rsa2048.pub.ssh"),
        ];
        for bad in rsa_keys
            .into_iter()
            .chain(["", "secret", "ssh-ed25519 AAAA", "ssh-ed25519 !!"])
        {
            let err = parse_curve_key(bad.as_bytes()).err().expect(bad);
            assert_eq!(err.kind, ErrorKind::InvalidKey, "{bad}");
        }
        let ec = include_str!("../tests/keys/ec256.pem");
        assert_eq!(parse_curve_key(ec.as_bytes()).unwrap().curve(), Curve::P256);
    }

    #[test]
    fn openssh_lines_are_the_same_keys_as_their_pem() {
        let pairs = [
            (
                include_str!("../tests/keys/ec256.pub.ssh"),
                include_str!("../tests/keys/ec256.pub.pem"),
            ),
            (
                include_str!("../tests/keys/ed25519.pub.ssh"),
                include_str!("../tests/keys/ed25519.pub.pem"),
            ),
        ];
        for (ssh, pem) in pairs {
            let from_ssh = parse_curve_key(ssh.as_bytes()).unwrap();
            let from_pem = parse_curve_key(pem.as_bytes()).unwrap();
            assert_eq!(
                from_ssh.public_pem().unwrap(),
                from_pem.public_pem().unwrap()
            );
        }
        // A P-256 blob under the P-384 type name is refused.
        let (_, blob) = pairs[0].0.trim().split_once(' ').unwrap();
        let relabelled = format!("ecdsa-sha2-nistp384 {blob}");
        assert!(parse_curve_key(relabelled.as_bytes()).is_err());
    }

    #[test]
    fn jwk_members_are_checked() {
        let key = generate_curve_key(Curve::P256).unwrap();
        let members = key.jwk_members().unwrap();
        let (x, y, d) = (&members[1].1, &members[2].1, &members[3].1);
        assert!(curve_key_from_jwk("P-384", x, Some(y), None).is_err());
        assert!(curve_key_from_jwk("P-256", x, None, None).is_err());
        assert!(curve_key_from_jwk("P-256", y, Some(x), None).is_err());
        assert!(curve_key_from_jwk("Ed448", x, None, None).is_err());
        // An Ed448 `d` must be the seed of its `x`.
        let ed448 = generate_curve_key(Curve::Ed448)
            .unwrap()
            .jwk_members()
            .unwrap();
        let stranger = generate_curve_key(Curve::Ed448)
            .unwrap()
            .jwk_members()
            .unwrap();
        let err = curve_key_from_jwk("Ed448", &ed448[1].1, None, Some(&stranger[2].1))
            .err()
            .unwrap();
        assert!(err.message.contains("does not match"));
        assert!(curve_key_from_jwk("Ed448", &ed448[1].1, None, Some(&ed448[2].1)).is_ok());
        let other = generate_curve_key(Curve::P256)
            .unwrap()
            .jwk_members()
            .unwrap();
        let err = curve_key_from_jwk("P-256", x, Some(y), Some(&other[3].1))
            .err()
            .unwrap();
        assert!(err.message.contains("does not match"));
        assert!(
            curve_key_from_jwk("P-256", x, Some(y), Some(d))
                .unwrap()
                .is_private()
        );
    }

    #[test]
    fn small_order_ed25519_points_are_refused() {
        for point in SMALL_ORDER_ED25519 {
            for sign in [0, 0x80] {
                let mut point = point;
                point[31] |= sign;
                let err = CurveKey::from_point(Curve::Ed25519, point.to_vec())
                    .err()
                    .unwrap();
                assert!(err.message.contains("small order"), "{point:02x?}");
            }
        }
        // A key's own point is not among them.
        let key = generate_curve_key(Curve::Ed25519).unwrap();
        assert!(!is_small_order_ed25519(&key.point));
    }

    #[test]
    fn ssh_blobs_end_with_their_last_field() {
        let line = include_str!("../tests/keys/ed25519.pub.ssh");
        let blob = line.split_ascii_whitespace().nth(1).unwrap();
        use base64::Engine;
        let mut bytes = base64::engine::general_purpose::STANDARD
            .decode(blob)
            .unwrap();
        assert!(parse_curve_key(line.as_bytes()).is_ok());
        bytes.extend([0, 0, 0, 0]);
        let longer = format!(
            "ssh-ed25519 {}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
        assert!(parse_curve_key(longer.as_bytes()).is_err());
        assert!(parse_curve_key(format!("\n{line}").as_bytes()).is_err());
    }
}
