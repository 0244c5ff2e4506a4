//! The pyo3 layer of the lesson: every core error (and any panic) becomes the matching exception
//! from `ferrojwt.exceptions`, the GIL is released around the RSA work, and a parsed RSA key lives
//! in a Python object. No JWT logic lives here. The rest of the native module (other key forms,
//! EC and EdDSA keys, HMAC, base64, the fast paths) is in `bindings/library.rs`,
//! `bindings/fast_path.rs`, `bindings/json_object.rs` and `bindings/fast_encode.rs`, built on the
//! same `run` and `run_detached`.

mod fast_encode;
mod fast_path;
mod json_object;
mod library;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyType};

use crate::algorithms::{self, Family};
use crate::b64;
use crate::error::{Error, ErrorKind, Result};
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

fn rsa_algorithm(name: &str) -> Result<jsonwebtoken::Algorithm> {
    match algorithms::algorithm_from_name(name)? {
        (alg, Family::Rsa) => Ok(alg),
        _ => Err(Error::invalid_algorithm(format!(
            "{name} is not an RSA algorithm"
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

// A function, not stage 3's `#[pymodule] mod`: the module's functions live in five files, and
// each registers its own (`library::register`, `fast_path::register`).
#[pymodule]
#[pyo3(name = "_native")]
fn native_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRsaKey>()?;
    m.add_function(wrap_pyfunction!(load_rsa_key, m)?)?;
    m.add_function(wrap_pyfunction!(rsa_sign, m)?)?;
    m.add_function(wrap_pyfunction!(rsa_verify, m)?)?;
    library::register(m)?;
    fast_path::register(m)?;
    fast_encode::register(m)?;
    json_object::register(m)?;
    m.add("MIN_RECOMMENDED_BITS", keys::MIN_RECOMMENDED_BITS)?;
    // The package version, from Cargo.toml (its one source): see python/ferrojwt/__init__.py.
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
