//! The fast path's pyo3 layer: `verify_compact` and `decode_jwt` check an ordinary token in one
//! call with the GIL released (`jws.rs`, `claims.rs`), and answer "not sure" (`None`) whenever
//! the general Python path must decide.

use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple};

use super::json_object::json_object;
use super::library::PyCurveKey;
use super::{PyRsaKey, run_detached, to_pyerr};
use crate::claims::{self, ClaimRules, Expected};
use crate::error::{Error, ErrorKind};
use crate::jws::{self, Outcome};

/// The key argument of the fast paths (decode's and encode's): either parsed key class.
pub(super) enum NativeKey<'a> {
    Rsa(&'a PyRsaKey),
    Curve(&'a PyCurveKey),
}

impl<'a> NativeKey<'a> {
    /// The key behind `key`, tried class by class. (pyo3's derived extraction of an enum
    /// builds, formats and chains an error for each variant that does not match: some 10k
    /// instructions for a curve key, measured with callgrind.)
    pub(super) fn of(key: &'a Bound<'_, PyAny>) -> PyResult<NativeKey<'a>> {
        if let Ok(rsa) = key.cast::<PyRsaKey>() {
            return Ok(NativeKey::Rsa(rsa.get()));
        }
        match key.cast::<PyCurveKey>() {
            Ok(curve) => Ok(NativeKey::Curve(curve.get())),
            Err(_) => Err(PyTypeError::new_err("key must be an RsaKey or a CurveKey")),
        }
    }

    fn verifying(&self) -> jws::VerifyingKey<'a> {
        match self {
            NativeKey::Rsa(key) => jws::VerifyingKey::Rsa(key.inner.public()),
            NativeKey::Curve(key) => jws::VerifyingKey::Curve(&key.inner),
        }
    }
}

type Segments<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// The signature check of an ordinary token (RSA, EC or EdDSA key) in one call, GIL released:
/// `(header JSON, payload, signature)` when it is valid, `InvalidSignatureError` when only the
/// signature is wrong, `None` when the general Python path must decide (see jws.rs).
#[pyfunction]
fn verify_compact<'py>(
    py: Python<'py>,
    token: &[u8],
    allowed: Vec<String>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Option<Segments<'py>>> {
    let key = NativeKey::of(key)?.verifying();
    let outcome = run_detached(py, ErrorKind::Decode, || {
        Ok(jws::verify_compact(token, &allowed, key))
    })?;
    match outcome {
        Outcome::Verified(v) => Ok(Some((
            PyBytes::new(py, &v.header_json),
            PyBytes::new(py, &v.payload),
            PyBytes::new(py, &v.signature),
        ))),
        Outcome::BadSignature => Err(to_pyerr(py, Error::invalid_signature())),
        Outcome::Unusual => Ok(None),
    }
}

/// `(claims, checked, header, signature)`: see `decode_jwt`.
type Decoded<'py> = (
    Bound<'py, PyAny>,
    bool,
    Option<Bound<'py, PyAny>>,
    Option<Bound<'py, PyBytes>>,
);

/// `verify_compact` plus what `PyJWT.decode` does next, for the common case: the payload
/// parsed by Python's own `json` scanner and the claims checked in Rust beside the signature,
/// while the GIL is released.
///
/// Returns `None` (take the general path) or raises `InvalidSignatureError` as
/// `verify_compact` does. Otherwise the token is verified and the result is
/// `(claims, checked, header, signature)`: `claims` is the payload as a dict, or its bytes when
/// it is not plainly one JSON object; `checked` is true only when `claims::claims_certainly_pass`
/// accepted the claims, else PyJWT's Python rules must run on them. `header` and `signature` are
/// filled only when `complete` is true (for `decode_complete`).
#[pyfunction]
#[allow(clippy::too_many_arguments)] // PyJWT's decode arguments, one for one.
fn decode_jwt<'py>(
    py: Python<'py>,
    token: &[u8],
    allowed: Vec<String>,
    key: &Bound<'py, PyAny>,
    options: &Bound<'py, PyDict>,
    audience: &Bound<'py, PyAny>,
    issuer: &Bound<'py, PyAny>,
    subject: &Bound<'py, PyAny>,
    leeway: &Bound<'py, PyAny>,
    complete: bool,
) -> PyResult<Option<Decoded<'py>>> {
    let key = NativeKey::of(key)?.verifying();
    let rules = match claim_request(options, audience, issuer, subject, leeway)? {
        ClaimRequest::Plain(rules) => Some(rules),
        ClaimRequest::Python => None,
        ClaimRequest::Foreign => return Ok(None),
    };
    let (outcome, checked) = run_detached(py, ErrorKind::Decode, || {
        let outcome = jws::verify_compact(token, &allowed, key);
        let checked = match (&outcome, rules) {
            (Outcome::Verified(v), Some(mut rules)) => {
                rules.now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0.0, |elapsed| elapsed.as_secs_f64());
                claims::claims_certainly_pass(&v.payload, &rules)
            }
            _ => false,
        };
        Ok((outcome, checked))
    })?;
    let verified = match outcome {
        Outcome::Verified(verified) => verified,
        Outcome::BadSignature => return Err(to_pyerr(py, Error::invalid_signature())),
        Outcome::Unusual => return Ok(None),
    };
    let (claims, checked) = match json_dict(py, &verified.payload)? {
        Some(claims) => (claims.into_any(), checked),
        None => (PyBytes::new(py, &verified.payload).into_any(), false),
    };
    if !complete {
        return Ok(Some((claims, checked, None, None)));
    }
    let Some(header) = json_dict(py, &verified.header_json)? else {
        return Ok(None);
    };
    let signature = PyBytes::new(py, &verified.signature);
    Ok(Some((
        claims,
        checked,
        Some(header.into_any()),
        Some(signature),
    )))
}

/// What a decode call asks of the claims.
enum ClaimRequest {
    /// Rules in shapes the Rust check handles.
    Plain(ClaimRules),
    /// Shapes only PyJWT's Python rules handle (a `timedelta` leeway, a custom container, a
    /// missing option): they check the claims after the fast path verified the signature.
    Python,
    /// An option this path does not know, such as an extension's: the general path, which may
    /// act on it, takes the whole call.
    Foreign,
}

/// PyJWT's decode options, the only ones the fast path honours.
const OPTIONS: [&str; 11] = [
    "verify_signature",
    "enforce_minimum_key_length",
    "verify_exp",
    "verify_nbf",
    "verify_iat",
    "verify_iss",
    "verify_aud",
    "verify_sub",
    "verify_jti",
    "strict_aud",
    "require",
];

fn claim_request(
    options: &Bound<'_, PyDict>,
    audience: &Bound<'_, PyAny>,
    issuer: &Bound<'_, PyAny>,
    subject: &Bound<'_, PyAny>,
    leeway: &Bound<'_, PyAny>,
) -> PyResult<ClaimRequest> {
    let py = options.py();
    // Interned, like the string literals that usually are the keys: most keys then match by
    // identity, without comparing characters.
    static NAMES: PyOnceLock<Vec<Py<PyString>>> = PyOnceLock::new();
    let names = NAMES.get_or_init(py, || {
        OPTIONS
            .iter()
            .map(|name| PyString::intern(py, name).unbind())
            .collect()
    });
    let mut rules = ClaimRules::default();
    let (mut verify_flags, mut require) = (0, None);
    for (key, value) in options.iter() {
        let index = match names.iter().position(|name| key.is(name)) {
            Some(index) => index,
            None => match names.iter().position(|name| key.eq(name).unwrap_or(false)) {
                Some(index) => index,
                None => return Ok(ClaimRequest::Foreign),
            },
        };
        let slot = match OPTIONS[index] {
            // Decided in Python (verify_signature) and by the key size (the fast path only
            // takes keys that need no length warning).
            "verify_signature" | "enforce_minimum_key_length" => continue,
            "require" => {
                require = Some(value);
                continue;
            }
            "strict_aud" => {
                rules.strict_aud = value.is_truthy()?;
                continue;
            }
            "verify_exp" => &mut rules.verify_exp,
            "verify_nbf" => &mut rules.verify_nbf,
            "verify_iat" => &mut rules.verify_iat,
            "verify_iss" => &mut rules.verify_iss,
            "verify_aud" => &mut rules.verify_aud,
            "verify_sub" => &mut rules.verify_sub,
            _ => &mut rules.verify_jti,
        };
        *slot = value.is_truthy()?;
        verify_flags += 1;
    }
    // PyJWT reads `require` and each verify_* option with `options[name]`: a missing one is its
    // KeyError to raise. (`strict_aud` defaults to False.)
    let Some(require) = require.as_ref().and_then(|r| strings(r, false)) else {
        return Ok(ClaimRequest::Python);
    };
    if verify_flags != 7 {
        return Ok(ClaimRequest::Python);
    }
    rules.require = require;
    let (Some(audience), Some(issuer)) = (expected(audience, false), expected(issuer, true)) else {
        return Ok(ClaimRequest::Python);
    };
    (rules.audience, rules.issuer) = (audience, issuer);
    rules.subject = match subject {
        s if s.is_none() => None,
        s if s.is_exact_instance_of::<PyString>() => Some(s.extract()?),
        _ => return Ok(ClaimRequest::Python),
    };
    rules.leeway = if leeway.is_exact_instance_of::<PyFloat>() {
        leeway.extract()?
    } else if leeway.is_exact_instance_of::<PyInt>() {
        match leeway.extract::<i64>() {
            Ok(seconds) if seconds.unsigned_abs() <= 1 << 53 => seconds as f64,
            _ => return Ok(ClaimRequest::Python),
        }
    } else {
        return Ok(ClaimRequest::Python);
    };
    Ok(ClaimRequest::Plain(rules))
}

/// `None` → `Some(None)`; a `str` or a list/tuple (or set, for `issuer`) of `str` → the
/// expected values; anything else → `None`.
fn expected(value: &Bound<'_, PyAny>, sets: bool) -> Option<Option<Expected>> {
    if value.is_none() {
        return Some(None);
    }
    if value.is_exact_instance_of::<PyString>() {
        return Some(Some(Expected::One(value.extract().ok()?)));
    }
    strings(value, sets).map(|names| Some(Expected::AnyOf(names)))
}

/// The items of an exact list or tuple (or set/frozenset when `sets`) of exact `str`.
fn strings(value: &Bound<'_, PyAny>, sets: bool) -> Option<Vec<String>> {
    let collection = value.is_exact_instance_of::<PyList>()
        || value.is_exact_instance_of::<PyTuple>()
        || (sets
            && (value.is_exact_instance_of::<PySet>()
                || value.is_exact_instance_of::<PyFrozenSet>()));
    if !collection {
        return None;
    }
    let mut names = Vec::new();
    for item in value.try_iter().ok()? {
        let item = item.ok()?;
        if !item.is_exact_instance_of::<PyString>() {
            return None;
        }
        names.push(item.extract().ok()?);
    }
    Some(names)
}

/// What `json.loads(data)` returns for `data`, when that is plainly a dict: built in Rust where
/// that certainly gives the same dict (`json_object.rs`), else by the `json` module's scanner.
/// `None` otherwise, and the caller lets `json.loads` speak.
fn json_dict<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Option<Bound<'py, PyDict>>> {
    match json_object(py, data) {
        Some(dict) => Ok(Some(dict)),
        None => scanned_object(py, data),
    }
}

/// `json_dict` by the `json` module's own scanner: `data` decoded as UTF-8 (no BOM, not
/// UTF-16/32), with only JSON whitespace around the one document.
fn scanned_object<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Option<Bound<'py, PyDict>>> {
    // What json.loads sniffs for other encodings: a BOM, or a NUL among the first four bytes.
    if data.starts_with(b"\xef\xbb\xbf") || data.iter().take(4).any(|&b| b == 0) {
        return Ok(None);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(None);
    };
    static SCAN_ONCE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let scan_once = SCAN_ONCE.get_or_try_init(py, || {
        let decoder = py.import("json")?.getattr("JSONDecoder")?.call0()?;
        decoder.getattr("scan_once").map(Bound::unbind)
    })?;
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let leading = text.bytes().take_while(is_space).count();
    let trailing = text.bytes().rev().take_while(is_space).count();
    let text = PyString::new(py, text);
    // Any exception (invalid JSON, too deep) is json.loads's to raise, on the general path.
    let Ok(scanned) = scan_once.bind(py).call1((&text, leading)) else {
        return Ok(None);
    };
    let Ok((value, end)) = scanned.extract::<(Bound<'py, PyAny>, usize)>() else {
        return Ok(None);
    };
    // `end` counts characters; the whitespace around the document is ASCII, one byte each.
    if end + trailing < text.len()? {
        return Ok(None);
    }
    Ok(value.cast_into_exact::<PyDict>().ok())
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify_compact, m)?)?;
    m.add_function(wrap_pyfunction!(decode_jwt, m)?)?;
    Ok(())
}
