//! The encode fast path: `encode_jwt` writes an ordinary token in one call (JSON, base64url and
//! the signature), or answers `None` and `PyJWT.encode` takes its Python route.
//!
//! The JSON must be byte for byte what `json.dumps(value, separators=(",", ":"))` writes
//! (`ensure_ascii` and `allow_nan` on, as by default), with `sort_keys` for the header. So
//! `write_json` takes only exact built-in types whose text it can spell the way `json`'s C
//! encoder does, and falls back (`Ok(false)`) on anything else: subclasses of those types (an
//! `IntEnum`), `datetime` (PyJWT converts `exp`, `iat`, `nbf` first), integers outside `i64`
//! (Python spells those, under its limit on digits), strings holding a lone surrogate, keys that
//! are not `str`, nesting deeper than `MAX_DEPTH` (a circular reference included), and a header
//! member the Python route treats specially (`alg`, `typ`, `b64`, `crit`, a `kid` that is not a
//! `str`).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use super::fast_path::NativeKey;
use super::library::sign_curve;
use super::{rsa_algorithm, run_detached};
use crate::algorithms;
use crate::b64;
use crate::curves;
use crate::error::ErrorKind;
use crate::keys::{self, RsaKey};

/// Deeper values take the Python route, which gives PyJWT's own error for a circular one.
const MAX_DEPTH: usize = 64;

/// `header.payload.signature` for `payload` signed with `key` under `algorithm`, the header
/// being `{"typ": typ, "alg": algorithm}` plus `headers`; or `None` when the Python route must
/// write it (see the module's comment), including any key this path cannot sign with as is
/// (a public key, one on another curve, an RSA key below the recommended size, which warns).
#[pyfunction]
#[pyo3(signature = (payload, algorithm, key, typ, headers, sort_headers))]
fn encode_jwt<'py>(
    py: Python<'py>,
    payload: &Bound<'py, PyDict>,
    algorithm: &str,
    key: &Bound<'py, PyAny>,
    typ: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyDict>>,
    sort_headers: bool,
) -> PyResult<Option<String>> {
    let Some(header) = header_json(algorithm, typ, headers, sort_headers)? else {
        return Ok(None);
    };
    let mut body = Vec::with_capacity(256);
    if !write_dict(payload, false, 0, &mut body)? {
        return Ok(None);
    }
    let mut token = b64::encode(&header);
    token.push('.');
    token.push_str(&b64::encode(&body));
    // The GIL released around the signature, as `library::sign_curve` says when.
    let message = token.as_bytes();
    let signature = match NativeKey::of(key)? {
        NativeKey::Rsa(key) => {
            let RsaKey::Private(private) = &key.inner else {
                return Ok(None);
            };
            let Ok(alg) = rsa_algorithm(algorithm) else {
                return Ok(None);
            };
            if private.public().bits() < keys::MIN_RECOMMENDED_BITS {
                return Ok(None);
            }
            run_detached(py, ErrorKind::InvalidKey, || {
                algorithms::sign_rsa(alg, private, message)
            })
        }
        NativeKey::Curve(key) => {
            let key = &key.inner;
            if !key.is_private() || curves::check_curve(algorithm, key).is_err() {
                return Ok(None);
            }
            sign_curve(py, algorithm, key, message)
        }
    };
    let Ok(signature) = signature else {
        return Ok(None);
    };
    token.push('.');
    token.push_str(&b64::encode(&signature));
    Ok(Some(token))
}

/// The header's JSON as `PyJWS.encode` writes it, when the Python route would add nothing.
fn header_json(
    algorithm: &str,
    typ: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyDict>>,
    sort: bool,
) -> PyResult<Option<Vec<u8>>> {
    let py = typ.py();
    let Ok(typ) = typ.cast::<PyString>() else {
        return Ok(None);
    };
    if !typ.is_exact_instance_of::<PyString>() || typ.to_str().map_or(true, str::is_empty) {
        return Ok(None);
    }
    if headers.is_none_or(|headers| headers.is_empty()) {
        // The usual header, written without building a dict: PyJWS's `{"typ", "alg"}`, keys
        // sorted when `sort` is set.
        let typ = typ.to_str()?;
        let members = if sort {
            [("alg", algorithm), ("typ", typ)]
        } else {
            [("typ", typ), ("alg", algorithm)]
        };
        let mut out = Vec::with_capacity(64);
        for (i, (name, value)) in members.into_iter().enumerate() {
            out.push(if i == 0 { b'{' } else { b',' });
            write_str(name, &mut out);
            out.push(b':');
            write_str(value, &mut out);
        }
        out.push(b'}');
        return Ok(Some(out));
    }
    let header = PyDict::new(py);
    header.set_item("typ", typ)?;
    header.set_item("alg", algorithm)?;
    if let Some(headers) = headers {
        for (name, value) in headers.iter() {
            let Ok(name) = name.cast_into_exact::<PyString>() else {
                return Ok(None);
            };
            match name.to_str() {
                Ok("alg" | "typ" | "b64" | "crit") | Err(_) => return Ok(None),
                Ok("kid") if !value.is_instance_of::<PyString>() => return Ok(None),
                _ => header.set_item(name, value)?,
            }
        }
    }
    let mut out = Vec::with_capacity(64);
    Ok(write_dict(&header, sort, 0, &mut out)?.then_some(out))
}

/// Appends `value`'s JSON to `out`; `Ok(false)` when `json.dumps` might write something else.
fn write_json(
    value: &Bound<'_, PyAny>,
    sort: bool,
    depth: usize,
    out: &mut Vec<u8>,
) -> PyResult<bool> {
    if let Ok(text) = value.cast_exact::<PyString>() {
        return Ok(text.to_str().is_ok_and(|text| {
            write_str(text, out);
            true
        }));
    }
    if value.is_none() {
        out.extend_from_slice(b"null");
    } else if let Ok(flag) = value.cast_exact::<PyBool>() {
        out.extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
    } else if value.is_exact_instance_of::<PyInt>() {
        let Ok(number) = value.extract::<i64>() else {
            return Ok(false);
        };
        out.extend_from_slice(number.to_string().as_bytes());
    } else if let Ok(number) = value.cast_exact::<PyFloat>() {
        let number = number.value();
        if number.is_nan() {
            out.extend_from_slice(b"NaN");
        } else if number.is_infinite() {
            out.extend_from_slice(if number > 0.0 {
                b"Infinity"
            } else {
                b"-Infinity"
            });
        } else {
            // float.__repr__ is what json writes: Python's shortest round-trip spelling.
            out.extend_from_slice(value.repr()?.to_str()?.as_bytes());
        }
    } else if depth >= MAX_DEPTH {
        return Ok(false);
    } else if let Ok(dict) = value.cast_exact::<PyDict>() {
        return write_dict(dict, sort, depth + 1, out);
    } else if value.is_exact_instance_of::<PyList>() || value.is_exact_instance_of::<PyTuple>() {
        out.push(b'[');
        for (index, item) in value.try_iter()?.enumerate() {
            if index > 0 {
                out.push(b',');
            }
            if !write_json(&item?, sort, depth + 1, out)? {
                return Ok(false);
            }
        }
        out.push(b']');
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// A dict with `str` keys, in insertion order or sorted (`sort_keys`: by code point, which is
/// the byte order of UTF-8).
fn write_dict(
    dict: &Bound<'_, PyDict>,
    sort: bool,
    depth: usize,
    out: &mut Vec<u8>,
) -> PyResult<bool> {
    let mut items = Vec::with_capacity(dict.len());
    for (name, value) in dict.iter() {
        let Ok(name) = name.cast_into_exact::<PyString>() else {
            return Ok(false);
        };
        items.push((name, value));
    }
    let mut names = Vec::with_capacity(items.len());
    for (name, _) in &items {
        let Ok(text) = name.to_str() else {
            return Ok(false);
        };
        names.push(text);
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    if sort {
        order.sort_by(|&a, &b| names[a].cmp(names[b]));
    }
    out.push(b'{');
    for (position, &index) in order.iter().enumerate() {
        if position > 0 {
            out.push(b',');
        }
        write_str(names[index], out);
        out.push(b':');
        if !write_json(&items[index].1, sort, depth, out)? {
            return Ok(false);
        }
    }
    out.push(b'}');
    Ok(true)
}

/// A JSON string as `json.dumps` writes it with `ensure_ascii`: printable ASCII as is, the
/// short escapes, and every other character as `\uXXXX` (lowercase hex; a surrogate pair above
/// U+FFFF). DEL (0x7f) is escaped too.
fn write_str(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for c in text.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            ' '..='~' => out.push(c as u8),
            _ => {
                let mut units = [0u16; 2];
                for &unit in c.encode_utf16(&mut units).iter() {
                    out.extend_from_slice(b"\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(HEX[usize::from((unit >> shift) & 0xf)]);
                    }
                }
            }
        }
    }
    out.push(b'"');
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(encode_jwt, m)?)?;
    Ok(())
}
