//! The rest of the native module's keys and algorithms: RSA keys from JWK members or generated,
//! the HMAC-secret guard, EC and EdDSA keys (`CurveKey`), HMAC and base64url. The same
//! `run`/`run_detached` as `bindings.rs`: errors mapped, panics caught, and the GIL released
//! around anything that takes more than about 12 µs (`sign_curve` gives the rule).

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use super::{PyRsaKey, run, run_detached};
use crate::algorithms::{self, Family};
use crate::b64;
use crate::curves::{self, CurveKey};
use crate::error::{Error, ErrorKind, Result};
use crate::keys::{self, RsaKey};

#[pyfunction]
#[pyo3(signature = (n, e, d=None, p=None, q=None, crt=None))]
fn rsa_key_from_jwk(
    py: Python<'_>,
    n: &str,
    e: &str,
    d: Option<&str>,
    p: Option<&str>,
    q: Option<&str>,
    crt: Option<(String, String, String)>,
) -> PyResult<PyRsaKey> {
    run_detached(py, ErrorKind::InvalidKey, || {
        let key = keys::rsa_key_from_jwk(n, e, d, p, q)?;
        if let Some((dp, dq, qi)) = &crt {
            keys::check_jwk_crt(&key, dp, dq, qi)?;
        }
        Ok(key)
    })
    .map(|inner| PyRsaKey { inner })
}

/// Whether an HMAC secret is a DER public key or certificate (see `keys::is_der_key`).
#[pyfunction]
fn is_der_key(py: Python<'_>, secret: &[u8]) -> PyResult<bool> {
    run(py, ErrorKind::InvalidKey, || Ok(keys::is_der_key(secret)))
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
pub(super) struct PyCurveKey {
    pub(super) inner: CurveKey,
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
    let signature = sign_curve(py, algorithm, &key.inner, message)?;
    Ok(PyBytes::new(py, &signature))
}

/// Messages from this size up are long enough for an Ed25519 signature to release the GIL.
const ED25519_ATTACHED_BYTES: usize = 1024;

/// A curve signature, with the GIL released only where that pays. The rule, for every native
/// call: release it around work of about 12 µs or more, keep it for less. A release costs
/// little, but when another thread takes the GIL meanwhile, getting it back waits for that
/// thread and then for a wake-up from the operating system, microseconds either way; for a
/// short call the second thread gains less than that. An Ed25519 signature of a token takes
/// about 9 µs on this repository's 2-core x86-64 machine (and two threads were slower than one
/// when it was released), so it stays attached; hashing the message twice adds about 3 µs per
/// KiB, so from `ED25519_ATTACHED_BYTES` (about 12 µs) on it is released. A P-256 signature
/// takes about 15 µs, and every verification and the other curves more.
pub(super) fn sign_curve(
    py: Python<'_>,
    algorithm: &str,
    key: &CurveKey,
    message: &[u8],
) -> PyResult<Vec<u8>> {
    let sign = || curves::sign(algorithm, key, message);
    if key.curve() == curves::Curve::Ed25519 && message.len() < ED25519_ATTACHED_BYTES {
        run(py, ErrorKind::InvalidKey, sign)
    } else {
        run_detached(py, ErrorKind::InvalidKey, sign)
    }
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

fn hmac_algorithm(name: &str) -> Result<jsonwebtoken::Algorithm> {
    match algorithms::algorithm_from_name(name)? {
        (alg, Family::Hmac) => Ok(alg),
        _ => Err(Error::invalid_algorithm(format!(
            "{name} is not an HMAC algorithm"
        ))),
    }
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

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rsa_key_from_jwk, m)?)?;
    m.add_function(wrap_pyfunction!(generate_rsa_key, m)?)?;
    m.add_function(wrap_pyfunction!(is_der_key, m)?)?;
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
    Ok(())
}
