//! The RSA key forms beyond PKCS#8 and SubjectPublicKeyInfo (`keys.rs`): PKCS#1 PEM, OpenSSH
//! `ssh-rsa` lines and JWK members; keys under 2048 bits, which aws-lc-rs refuses and the `rsa`
//! crate handles (PyJWT still signs and verifies with them, after a warning); generation, and
//! export as PEM or JWK.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{RsaKeyPair, RsaPublicKeyComponents};
use pkcs1::der::Decode;
use pkcs1::{EncodeRsaPrivateKey, RsaPublicKeyRef};
use pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::BoxedUint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

use super::{
    MAX_BITS, MIN_RECOMMENDED_BITS, RsaKey, RsaPrivate, RsaPublic, Signer, SshStrings, is_odd,
    less_than, parse_error, strip_leading_zeros,
};
use crate::b64;
use crate::error::{Error, Result};

impl RsaPublic {
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
    pub(super) fn from_rsa_crate(key: rsa::PrivateKey) -> Result<Self> {
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

pub(super) fn private_from_pkcs1_der(der: &[u8]) -> Result<RsaPrivate> {
    match RsaKeyPair::from_der(der) {
        Ok(pair) => RsaPrivate::from_aws_lc(pair),
        Err(refused) => small_private_key(
            pkcs1::RsaPrivateKeyRef::from_der(der).map_err(parse_error)?,
            refused,
        ),
    }
}

pub(super) fn small_private_from_pkcs8_der(
    der: &[u8],
    refused: aws_lc_rs::error::KeyRejected,
) -> Result<RsaPrivate> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(parse_error)?;
    if info.algorithm.oid != pkcs1::ALGORITHM_OID {
        return Err(Error::invalid_key("The provided key is not an RSA key"));
    }
    small_private_key(
        pkcs1::RsaPrivateKeyRef::from_der(info.private_key.as_bytes()).map_err(parse_error)?,
        refused,
    )
}

/// A private key aws-lc-rs `refused`: read by the rsa crate when it is under 2048 bits, the
/// only reason aws-lc-rs has to refuse a sound key; any other key stays refused.
fn small_private_key(
    key: pkcs1::RsaPrivateKeyRef<'_>,
    refused: aws_lc_rs::error::KeyRejected,
) -> Result<RsaPrivate> {
    let modulus = strip_leading_zeros(key.modulus.as_bytes());
    let bits = modulus.len() * 8 - modulus.first().map_or(0, |b| b.leading_zeros() as usize);
    if bits >= MIN_RECOMMENDED_BITS {
        return Err(Error::invalid_key(format!(
            "RSA private key rejected: {refused}"
        )));
    }
    let crt = [
        key.exponent1.as_bytes(),
        key.exponent2.as_bytes(),
        key.coefficient.as_bytes(),
    ];
    let private = RsaPrivate::from_rsa_crate(rsa::PrivateKey::try_from(key).map_err(parse_error)?)?;
    check_crt(&private, crt)?;
    Ok(private)
}

/// Refuses a key whose given CRT values (`dp`, `dq`, `qi`, big-endian) are not its own. The rsa
/// crate and `rsa_key_from_jwk` recompute them rather than read them, where OpenSSL checks them
/// and `cryptography` refuses the key: values that disagree sign wrongly in a library trusting
/// them, so such a key is broken, not merely redundant.
fn check_crt(key: &RsaPrivate, given: [&[u8]; 3]) -> Result<()> {
    let own = private_jwk_members(key)?;
    for (name, given) in ["dp", "dq", "qi"].into_iter().zip(given) {
        let own = own
            .iter()
            .find(|(member, _)| *member == name)
            .map(|(_, value)| b64::decode_jwk_member(value, name))
            .transpose()?;
        if own.as_deref().map(strip_leading_zeros) != Some(strip_leading_zeros(given)) {
            return Err(Error::invalid_key(format!(
                "Invalid RSA private key: '{name}' does not match d, p and q"
            )));
        }
    }
    Ok(())
}

/// `check_crt` for the `dp`, `dq` and `qi` members of a private JWK (base64url), which
/// `rsa_key_from_jwk` does not read.
pub fn check_jwk_crt(key: &RsaKey, dp: &str, dq: &str, qi: &str) -> Result<()> {
    let RsaKey::Private(private) = key else {
        return Ok(());
    };
    let [dp, dq, qi] = [(dp, "dp"), (dq, "dq"), (qi, "qi")]
        .map(|(value, name)| b64::decode_jwk_member(value, name));
    check_crt(private, [&dp?, &dq?, &qi?])
}

pub(super) fn public_from_pkcs1_der(der: &[u8]) -> Result<RsaPublic> {
    let key = RsaPublicKeyRef::from_der(der).map_err(parse_error)?;
    RsaPublic::from_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

/// Parses an OpenSSH public key line: `ssh-rsa <base64 blob> [comment]`.
pub(super) fn public_from_ssh(text: &[u8]) -> Result<RsaPublic> {
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
    let mut strings = SshStrings::new(&blob);
    let mut next = || {
        strings
            .next()
            .ok_or_else(|| parse_error("truncated SSH key"))
    };
    if next()? != b"ssh-rsa" {
        return Err(parse_error("SSH key type mismatch"));
    }
    let (e, n) = (next()?, next()?);
    // Nothing after the last field, and no negative mpint (RFC 4251 §5: a set high bit of the
    // first byte is a sign), as `cryptography` reads a blob.
    if !strings.is_finished() {
        return Err(parse_error("trailing data after the SSH key"));
    }
    if [e, n]
        .iter()
        .any(|mpint| mpint.first().is_some_and(|b| b & 0x80 != 0))
    {
        return Err(parse_error("negative integer in the SSH key"));
    }
    RsaPublic::from_components(n, e)
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
