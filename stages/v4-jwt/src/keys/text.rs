//! Key text as every loader reads it, and the guard that keeps key material out of HMAC
//! secrets. One reading for the RSA loader (`keys.rs`), the curve loader (`curves.rs`) and the
//! guard, so they cannot disagree about what a key is.

use pkcs1::RsaPublicKeyRef;
use pkcs1::der::Decode;

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
/// one decision, so the loaders and the guard cannot disagree about what a key is.
pub(crate) fn classify_key_text(data: &[u8]) -> Option<KeyText<'_>> {
    let text = key_text(data);
    if SSH_KEY_TYPES.iter().any(|kind| text.starts_with(kind)) {
        Some(KeyText::Ssh(text))
    } else if text.starts_with(b"-----BEGIN ") {
        Some(KeyText::Pem(text))
    } else {
        None
    }
}

/// Decodes a PEM block as the loaders PyJWT calls (`cryptography`) read one, where the
/// `pem-rfc7468` decoder alone is strict: base64 lines of any length (76, or the whole body on one
/// line, as in an environment variable), CRLF or CR line endings, whitespace around and inside
/// lines, blank lines right after the BEGIN line, no final newline. The body is re-wrapped at 64
/// characters and handed to the strict decoder, which still checks the label and the base64
/// (alphabet, padding). A blank line inside the body is refused, as `cryptography` refuses it.
/// `data` is key text as `classify_key_text` returns it: trimmed, starting with `-----BEGIN `.
pub(crate) fn decode_pem(data: &[u8]) -> std::result::Result<(String, Vec<u8>), String> {
    let text = std::str::from_utf8(data).map_err(|_| "PEM text is not UTF-8".to_string())?;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text.split('\n').map(str::trim_ascii);
    let begin = lines.next().unwrap_or_default();
    let label = begin
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.strip_suffix("-----"))
        .ok_or_else(|| "malformed PEM BEGIN line".to_string())?;
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    let mut ended = false;
    for line in lines.skip_while(|line| line.is_empty()) {
        if ended {
            return Err("text after the PEM END line".into());
        }
        if line == end {
            ended = true;
        } else if line.is_empty() {
            return Err("blank line inside the PEM body".into());
        } else {
            body.extend(line.chars().filter(|c| !c.is_ascii_whitespace()));
        }
    }
    if !ended {
        return Err(format!("no '{end}' line"));
    }
    if !body.is_ascii() {
        return Err("PEM body is not base64".into());
    }
    let mut strict = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        // ASCII, checked above: any 64-byte chunk is whole characters.
        strict.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        strict.push('\n');
    }
    strict.push_str(&end);
    strict.push('\n');
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
