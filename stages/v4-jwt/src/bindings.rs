//! The pyo3 layer: thin wrappers that convert arguments, release the GIL around the signature
//! work (RSA, ECDSA, EdDSA), and turn every core error (and any panic) into the matching
//! exception from `ferrojwt.exceptions`.
//! No JWT logic lives here.

use std::panic::{AssertUnwindSafe, catch_unwind};

use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple, PyType,
};

use crate::algorithms::{self, Family};
use crate::b64;
use crate::claims::{self, ClaimRules, Expected};
use crate::curves::{self, CurveKey};
use crate::error::{Error, ErrorKind, Result};
use crate::jws::{self, Outcome};
use crate::keys::{self, RsaKey};

/// Runs core code, turning a panic into an ordinary error so that a user never sees
/// `PanicException`. The core is written not to panic; this is the seat belt.
fn guarded<T>(fallback: ErrorKind, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error {
            kind: fallback,
            message: format!("internal error: {detail}"),
        })
    })
}

/// The Python package owns the exception classes; they are looked up once and cached.
fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    static EXCEPTIONS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let name = match err.kind {
        ErrorKind::Decode => "DecodeError",
        ErrorKind::InvalidKey => "InvalidKeyError",
        ErrorKind::InvalidAlgorithm => "InvalidAlgorithmError",
        ErrorKind::InvalidSignature => "InvalidSignatureError",
    };
    let class = EXCEPTIONS
        .get_or_try_init(py, || py.import("ferrojwt.exceptions").map(Bound::unbind))
        .and_then(|module| module.bind(py).getattr(name))
        .and_then(|class| class.cast_into::<PyType>().map_err(PyErr::from));
    match class {
        Ok(class) => PyErr::from_type(class, err.message),
        Err(import_error) => PyRuntimeError::new_err(format!(
            "{} (and ferrojwt.exceptions could not be imported: {import_error})",
            err.message
        )),
    }
}

fn run<T>(py: Python<'_>, fallback: ErrorKind, f: impl FnOnce() -> Result<T>) -> PyResult<T> {
    guarded(fallback, f).map_err(|e| to_pyerr(py, e))
}

/// Same as `run`, with the GIL released: other Python threads keep running during the crypto.
fn run_detached<T: Send>(
    py: Python<'_>,
    fallback: ErrorKind,
    f: impl FnOnce() -> Result<T> + Send,
) -> PyResult<T> {
    py.detach(|| guarded(fallback, f))
        .map_err(|e| to_pyerr(py, e))
}

/// A parsed RSA key, kept ready for signing/verifying. Immutable, so threads can share it.
#[pyclass(frozen, name = "RsaKey", module = "ferrojwt._native")]
struct PyRsaKey {
    inner: RsaKey,
}

#[pymethods]
impl PyRsaKey {
    #[getter]
    fn key_size(&self) -> usize {
        self.inner.bits()
    }

    #[getter]
    fn is_private(&self) -> bool {
        self.inner.is_private()
    }

    fn public_pem(&self, py: Python<'_>) -> PyResult<String> {
        run(py, ErrorKind::InvalidKey, || self.inner.public().to_pem())
    }

    /// PKCS#8 PEM of the private key (`InvalidKeyError` for a public key).
    fn private_pem(&self, py: Python<'_>) -> PyResult<String> {
        run(py, ErrorKind::InvalidKey, || match &self.inner {
            RsaKey::Private(key) => key.to_pem(),
            RsaKey::Public(_) => Err(Error::invalid_key("not a private key")),
        })
    }

    /// The JWK members of the key as (name, base64url value) pairs: `n`, `e`, then for a private
    /// key `d`, `p`, `q`, `dp`, `dq`, `qi`.
    fn jwk_members(&self, py: Python<'_>) -> PyResult<Vec<(&'static str, String)>> {
        run(py, ErrorKind::InvalidKey, || {
            let public = self.inner.public();
            let mut members = vec![
                ("n", b64::encode(public.modulus())),
                ("e", b64::encode(public.exponent())),
            ];
            if let RsaKey::Private(key) = &self.inner {
                members.extend(keys::private_jwk_members(key)?);
            }
            Ok(members)
        })
    }

    fn __repr__(&self) -> String {
        let kind = if self.inner.is_private() {
            "private"
        } else {
            "public"
        };
        format!("<ferrojwt RsaKey {} bits, {kind}>", self.inner.bits())
    }
}

#[pyfunction]
fn load_rsa_key(py: Python<'_>, data: &[u8]) -> PyResult<PyRsaKey> {
    run_detached(py, ErrorKind::InvalidKey, || keys::parse_rsa_key(data))
        .map(|inner| PyRsaKey { inner })
}

#[pyfunction]
#[pyo3(signature = (n, e, d=None, p=None, q=None))]
fn rsa_key_from_jwk(
    py: Python<'_>,
    n: &str,
    e: &str,
    d: Option<&str>,
    p: Option<&str>,
    q: Option<&str>,
) -> PyResult<PyRsaKey> {
    run_detached(py, ErrorKind::InvalidKey, || {
        keys::rsa_key_from_jwk(n, e, d, p, q)
    })
    .map(|inner| PyRsaKey { inner })
}

/// Whether an HMAC secret is really key material (see `keys::is_asymmetric_key`).
#[pyfunction]
fn is_asymmetric_key(py: Python<'_>, secret: &[u8]) -> PyResult<bool> {
    run(py, ErrorKind::InvalidKey, || {
        Ok(keys::is_asymmetric_key(secret))
    })
}

#[pyfunction]
fn generate_rsa_key(py: Python<'_>, bits: usize) -> PyResult<PyRsaKey> {
    run_detached(py, ErrorKind::InvalidKey, || keys::generate_rsa_key(bits)).map(|key| PyRsaKey {
        inner: RsaKey::Private(key),
    })
}

/// A parsed EC (P-256, P-384, P-521, secp256k1) or EdDSA (Ed25519, Ed448) key, ready for
/// signing and verifying.
/// Immutable, so threads can share it.
#[pyclass(frozen, name = "CurveKey", module = "ferrojwt._native")]
struct PyCurveKey {
    inner: CurveKey,
}

#[pymethods]
impl PyCurveKey {
    /// The JWK `crv`: "P-256", "P-384", "P-521", "secp256k1", "Ed25519" or "Ed448".
    #[getter]
    fn curve(&self) -> &'static str {
        self.inner.curve().jwk_name()
    }

    /// The JWK `kty`: "EC" or "OKP".
    #[getter]
    fn kty(&self) -> &'static str {
        self.inner.curve().kty()
    }

    #[getter]
    fn key_size(&self) -> usize {
        self.inner.curve().bits()
    }

    #[getter]
    fn is_private(&self) -> bool {
        self.inner.is_private()
    }

    fn public_pem(&self, py: Python<'_>) -> PyResult<String> {
        run(py, ErrorKind::InvalidKey, || self.inner.public_pem())
    }

    /// PKCS#8 PEM of the private key (`InvalidKeyError` for a public key).
    fn private_pem(&self, py: Python<'_>) -> PyResult<String> {
        run(py, ErrorKind::InvalidKey, || self.inner.private_pem())
    }

    /// The JWK members after `kty`: `crv`, `x`, `y` (EC only), and `d` for a private key.
    fn jwk_members(&self, py: Python<'_>) -> PyResult<Vec<(&'static str, String)>> {
        run(py, ErrorKind::InvalidKey, || self.inner.jwk_members())
    }

    fn __repr__(&self) -> String {
        let kind = if self.inner.is_private() {
            "private"
        } else {
            "public"
        };
        format!(
            "<ferrojwt CurveKey {} {}, {kind}>",
            self.inner.curve().kty(),
            self.inner.curve().jwk_name()
        )
    }
}

// ECDSA and EdDSA take tens of microseconds, like an RSA verification: the GIL is released.
#[pyfunction]
fn load_curve_key(py: Python<'_>, data: &[u8]) -> PyResult<PyCurveKey> {
    run_detached(py, ErrorKind::InvalidKey, || curves::parse_curve_key(data))
        .map(|inner| PyCurveKey { inner })
}

#[pyfunction]
#[pyo3(signature = (crv, x, y=None, d=None))]
fn curve_key_from_jwk(
    py: Python<'_>,
    crv: &str,
    x: &str,
    y: Option<&str>,
    d: Option<&str>,
) -> PyResult<PyCurveKey> {
    run_detached(py, ErrorKind::InvalidKey, || {
        curves::curve_key_from_jwk(crv, x, y, d)
    })
    .map(|inner| PyCurveKey { inner })
}

#[pyfunction]
fn generate_curve_key(py: Python<'_>, crv: &str) -> PyResult<PyCurveKey> {
    run_detached(py, ErrorKind::InvalidKey, || {
        curves::generate_curve_key(curves::Curve::from_jwk_name(crv)?)
    })
    .map(|inner| PyCurveKey { inner })
}

#[pyfunction]
fn curve_sign<'py>(
    py: Python<'py>,
    algorithm: &str,
    key: &PyCurveKey,
    message: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let signature = run_detached(py, ErrorKind::InvalidKey, || {
        curves::sign(algorithm, &key.inner, message)
    })?;
    Ok(PyBytes::new(py, &signature))
}

#[pyfunction]
fn curve_verify(
    py: Python<'_>,
    algorithm: &str,
    key: &PyCurveKey,
    message: &[u8],
    signature: &[u8],
) -> PyResult<bool> {
    run_detached(py, ErrorKind::Decode, || {
        curves::verify(algorithm, &key.inner, message, signature)
    })
}

fn rsa_algorithm(name: &str) -> Result<jsonwebtoken::Algorithm> {
    match algorithms::algorithm_from_name(name)? {
        (alg, Family::Rsa) => Ok(alg),
        _ => Err(Error::invalid_algorithm(format!(
            "{name} is not an RSA algorithm"
        ))),
    }
}

fn hmac_algorithm(name: &str) -> Result<jsonwebtoken::Algorithm> {
    match algorithms::algorithm_from_name(name)? {
        (alg, Family::Hmac) => Ok(alg),
        _ => Err(Error::invalid_algorithm(format!(
            "{name} is not an HMAC algorithm"
        ))),
    }
}

#[pyfunction]
fn rsa_sign<'py>(
    py: Python<'py>,
    algorithm: &str,
    key: &PyRsaKey,
    message: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let signature = run_detached(py, ErrorKind::InvalidKey, || match &key.inner {
        RsaKey::Private(private) => {
            algorithms::sign_rsa(rsa_algorithm(algorithm)?, private, message)
        }
        RsaKey::Public(_) => Err(Error::invalid_key("a public key cannot sign")),
    })?;
    Ok(PyBytes::new(py, &signature))
}

#[pyfunction]
fn rsa_verify(
    py: Python<'_>,
    algorithm: &str,
    key: &PyRsaKey,
    message: &[u8],
    signature: &[u8],
) -> PyResult<bool> {
    run_detached(py, ErrorKind::Decode, || {
        algorithms::verify_rsa(
            rsa_algorithm(algorithm)?,
            key.inner.public(),
            message,
            signature,
        )
    })
}

/// The key argument of the fast path: either parsed key class.
#[derive(FromPyObject)]
enum AnyKey<'py> {
    Rsa(Bound<'py, PyRsaKey>),
    Curve(Bound<'py, PyCurveKey>),
}

impl AnyKey<'_> {
    fn verifying(&self) -> jws::VerifyingKey<'_> {
        match self {
            AnyKey::Rsa(key) => jws::VerifyingKey::Rsa(key.get().inner.public()),
            AnyKey::Curve(key) => jws::VerifyingKey::Curve(&key.get().inner),
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
    key: AnyKey<'py>,
) -> PyResult<Option<Segments<'py>>> {
    let key = key.verifying();
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
    key: AnyKey<'py>,
    options: &Bound<'py, PyDict>,
    audience: &Bound<'py, PyAny>,
    issuer: &Bound<'py, PyAny>,
    subject: &Bound<'py, PyAny>,
    leeway: &Bound<'py, PyAny>,
    complete: bool,
) -> PyResult<Option<Decoded<'py>>> {
    let rules = match claim_request(options, audience, issuer, subject, leeway)? {
        ClaimRequest::Plain(rules) => Some(rules),
        ClaimRequest::Python => None,
        ClaimRequest::Foreign => return Ok(None),
    };
    let key = key.verifying();
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
    let (claims, checked) = match json_object(py, &verified.payload)? {
        Some(claims) => (claims.into_any(), checked),
        None => (PyBytes::new(py, &verified.payload).into_any(), false),
    };
    if !complete {
        return Ok(Some((claims, checked, None, None)));
    }
    let Some(header) = json_object(py, &verified.header_json)? else {
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

/// What `json.loads(data)` returns for `data`, when that is plainly a dict: decoded as UTF-8
/// (no BOM, not UTF-16/32) and scanned by the `json` module's own scanner, with only JSON
/// whitespace around the one document. `None` otherwise, and the caller lets `json.loads` speak.
fn json_object<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Option<Bound<'py, PyDict>>> {
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

// HMAC takes about a microsecond: releasing the GIL would cost more than it frees.
#[pyfunction]
fn hmac_sign<'py>(
    py: Python<'py>,
    algorithm: &str,
    secret: &[u8],
    message: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let signature = run(py, ErrorKind::InvalidKey, || {
        algorithms::sign_hmac(hmac_algorithm(algorithm)?, secret, message)
    })?;
    Ok(PyBytes::new(py, &signature))
}

#[pyfunction]
fn hmac_verify(
    py: Python<'_>,
    algorithm: &str,
    secret: &[u8],
    message: &[u8],
    signature: &[u8],
) -> PyResult<bool> {
    run(py, ErrorKind::Decode, || {
        algorithms::verify_hmac(hmac_algorithm(algorithm)?, secret, message, signature)
    })
}

#[pyfunction]
fn b64url_decode<'py>(
    py: Python<'py>,
    segment: &[u8],
    name: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let decoded = run(py, ErrorKind::Decode, || b64::decode_segment(segment, name))?;
    Ok(PyBytes::new(py, &decoded))
}

#[pyfunction]
fn b64url_encode<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, b64::encode(data).as_bytes())
}

#[pymodule]
#[pyo3(name = "_native")]
fn native_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRsaKey>()?;
    m.add_function(wrap_pyfunction!(load_rsa_key, m)?)?;
    m.add_function(wrap_pyfunction!(rsa_key_from_jwk, m)?)?;
    m.add_function(wrap_pyfunction!(generate_rsa_key, m)?)?;
    m.add_function(wrap_pyfunction!(is_asymmetric_key, m)?)?;
    m.add_function(wrap_pyfunction!(rsa_sign, m)?)?;
    m.add_function(wrap_pyfunction!(rsa_verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify_compact, m)?)?;
    m.add_function(wrap_pyfunction!(decode_jwt, m)?)?;
    m.add_class::<PyCurveKey>()?;
    m.add_function(wrap_pyfunction!(load_curve_key, m)?)?;
    m.add_function(wrap_pyfunction!(curve_key_from_jwk, m)?)?;
    m.add_function(wrap_pyfunction!(generate_curve_key, m)?)?;
    m.add_function(wrap_pyfunction!(curve_sign, m)?)?;
    m.add_function(wrap_pyfunction!(curve_verify, m)?)?;
    m.add_function(wrap_pyfunction!(hmac_sign, m)?)?;
    m.add_function(wrap_pyfunction!(hmac_verify, m)?)?;
    m.add_function(wrap_pyfunction!(b64url_decode, m)?)?;
    m.add_function(wrap_pyfunction!(b64url_encode, m)?)?;
    m.add("MIN_RECOMMENDED_BITS", keys::MIN_RECOMMENDED_BITS)?;
    // The package version, from Cargo.toml (its one source): see python/ferrojwt/__init__.py.
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
