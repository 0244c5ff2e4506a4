//! The pyo3 layer: thin wrappers that convert arguments, release the GIL around RSA work, and
//! turn every core error (and any panic) into the matching exception from `ferrojwt.exceptions`.
//! No JWT logic lives here.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyType};

use crate::algorithms::{self, Family};
use crate::b64;
use crate::error::{Error, ErrorKind, Result};
use crate::jws;
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

/// Same as `run`, with the GIL released: other Python threads keep running while RSA works.
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

#[pyfunction]
fn generate_rsa_key(py: Python<'_>, bits: usize) -> PyResult<PyRsaKey> {
    run_detached(py, ErrorKind::InvalidKey, || keys::generate_rsa_key(bits)).map(|key| PyRsaKey {
        inner: RsaKey::Private(key),
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

type Segments<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// The whole check of an ordinary RSA token in one call, GIL released: `(header JSON, payload,
/// signature)` when it is valid, `None` when the general Python path must decide (see jws.rs).
#[pyfunction]
fn rsa_verify_compact<'py>(
    py: Python<'py>,
    token: &[u8],
    allowed: Vec<String>,
    key: &PyRsaKey,
) -> PyResult<Option<Segments<'py>>> {
    let verified = run_detached(py, ErrorKind::Decode, || {
        Ok(jws::verify_rsa_compact(token, &allowed, key.inner.public()))
    })?;
    Ok(verified.map(|v| {
        (
            PyBytes::new(py, &v.header_json),
            PyBytes::new(py, &v.payload),
            PyBytes::new(py, &v.signature),
        )
    }))
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
    m.add_function(wrap_pyfunction!(rsa_sign, m)?)?;
    m.add_function(wrap_pyfunction!(rsa_verify, m)?)?;
    m.add_function(wrap_pyfunction!(rsa_verify_compact, m)?)?;
    m.add_function(wrap_pyfunction!(hmac_sign, m)?)?;
    m.add_function(wrap_pyfunction!(hmac_verify, m)?)?;
    m.add_function(wrap_pyfunction!(b64url_decode, m)?)?;
    m.add_function(wrap_pyfunction!(b64url_encode, m)?)?;
    m.add("MIN_RECOMMENDED_BITS", keys::MIN_RECOMMENDED_BITS)?;
    Ok(())
}
