//! Key text as every loader reads it: one reading for the RSA loader (`keys.rs`) and the curve
//! loader (`curves.rs`), the layouts `cryptography` (and so PyJWT) reads and nothing it refuses.
//! The HMAC-secret guard (`utils.is_pem_format`, `is_ssh_key` and `is_der_key`) refuses all of it.

use pkcs1::RsaPublicKeyRef;
use pkcs1::der::Decode;

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

/// Which key form `data` is written in, if any; `parse_rsa_key` and `curves::parse_curve_key`
/// read only what this recognises. As in `cryptography`: an OpenSSH line starts with its key
/// type (whitespace after it is ignored, before it is not), and a PEM block may follow other
/// text (`openssl pkcs12` writes "Bag Attributes" lines before the key). The HMAC guard refuses
/// both: text starting with a key type, and text holding a BEGIN and END line.
pub(crate) fn classify_key_text(data: &[u8]) -> Option<KeyText<'_>> {
    let text = data.trim_ascii_end();
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
/// inside the body is refused, as `cryptography` refuses it, and so are bytes after the DER
/// value the body holds (aws-lc-rs's key parsers would ignore them; `cryptography` does not).
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
    pkcs8::der::asn1::AnyRef::from_der(&der).map_err(|err| format!("{label}: {err}"))?;
    Ok((label.to_string(), der))
}

/// The length-prefixed strings of an OpenSSH public key blob (RFC 4251 §5), in order: the key
/// type, then the fields of that type. The RSA loader and the curve loader both read theirs
/// with it. A string the blob is too short to hold ends the iteration.
pub(crate) struct SshStrings<'a>(&'a [u8]);

impl<'a> SshStrings<'a> {
    pub(crate) fn new(blob: &'a [u8]) -> Self {
        SshStrings(blob)
    }

    /// Whether the blob held nothing after the strings read so far: a key's blob ends with its
    /// last field, and `cryptography` refuses any byte after it.
    pub(crate) fn is_finished(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> Iterator for SshStrings<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let (len, tail) = self.0.split_at_checked(4)?;
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let (string, tail) = tail.split_at_checked(len)?;
        self.0 = tail;
        Some(string)
    }
}

/// Whether `secret` is the whole of a DER public key (SubjectPublicKeyInfo or PKCS#1) or X.509
/// certificate, which must never serve as an HMAC secret (algorithm confusion); the HMAC guard
/// asks this where PyJWT asks `cryptography`'s DER loaders.
///
/// The check is structural: the buffer must parse, strict DER from its first byte to its last,
/// as one of those structures. Merely starting with a SEQUENCE header is not enough: a random
/// 32-byte secret does so about once in 65,000.
pub fn is_der_key(der: &[u8]) -> bool {
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
