//! Decode's result built in Rust: the dict `json.loads` would return for a token's payload (or
//! header), made from serde_json's parse without a call into Python's `json` module.
//!
//! Only where the two certainly agree. Everything else falls back to the `json` module's own
//! scanner (`fast_path.rs`), and from there to `json.loads` itself:
//!
//! - anything but one JSON object, or bytes that `json.loads` would not read as UTF-8 (a BOM, a
//!   NUL among the first four bytes, invalid UTF-8);
//! - a number with a fraction or an exponent (Python's `float()` rounds every literal
//!   correctly; serde_json's parser does not promise that for long ones), `-0` (an `int` in
//!   Python, a float in serde_json), or an integer of more than 18 digits (serde_json turns one
//!   beyond 64 bits into a float);
//! - nesting deeper than `MAX_DEPTH`: Python's scanner recurses, and a program that lowered its
//!   recursion limit may get `RecursionError` where this would succeed;
//! - whatever serde_json refuses, some of which Python accepts: `NaN` and `Infinity`, an
//!   escaped lone surrogate such as `"\ud800"`.
//!
//! Duplicate members behave as in Python: the dict keeps the first one's position and the last
//! one's value.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Containers inside containers, the document's own object counting as one.
const MAX_DEPTH: usize = 16;
/// Digits that always fit an `i64` or `u64`, which serde_json keeps as integers.
const MAX_INT_DIGITS: usize = 18;

/// `json.loads(data)` when it is a dict this builds identically, else `None`.
pub(super) fn json_object<'py>(py: Python<'py>, data: &[u8]) -> Option<Bound<'py, PyDict>> {
    if data.iter().take(4).any(|&b| b == 0) || !reads_alike(data) {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    let value = PyValue(py).deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    value.cast_into_exact::<PyDict>().ok()
}

/// Whether `text` is one object whose numbers and nesting both parsers read alike (above).
/// Strings are skipped: serde_json validates them as it reads.
fn reads_alike(text: &[u8]) -> bool {
    if text.trim_ascii_start().first() != Some(&b'{') {
        return false;
    }
    let (mut depth, mut i) = (0usize, 0);
    while i < text.len() {
        match text[i] {
            b'"' => {
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return false;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'-' | b'0'..=b'9' => {
                let end = text[i..]
                    .iter()
                    .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .map_or(text.len(), |n| i + n);
                let number = &text[i..end];
                let digits = number.strip_prefix(b"-").unwrap_or(number);
                let integer = digits.iter().all(u8::is_ascii_digit);
                if !integer || digits.len() > MAX_INT_DIGITS || number == b"-0" {
                    return false;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// serde's view of a Python value to build: the seed and visitor of one JSON value.
#[derive(Clone, Copy)]
struct PyValue<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for PyValue<'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for PyValue<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, value).to_owned().into_any())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(value.into_pyobject(self.0).map_err(E::custom)?.into_any())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(value.into_pyobject(self.0).map_err(E::custom)?.into_any())
    }

    // `reads_alike` let no float through; should one come, `json.loads` decides.
    fn visit_f64<E: de::Error>(self, _value: f64) -> Result<Self::Value, E> {
        Err(E::custom("a float: left to json.loads"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.0, value).into_any())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = items.next_element_seed(self)? {
            list.append(item).map_err(de::Error::custom)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        // Keys arrive through `visit_str`: JSON has no other kind.
        while let Some(key) = members.next_key_seed(self)? {
            let value = members.next_value_seed(self)?;
            dict.set_item(key, value).map_err(de::Error::custom)?;
        }
        Ok(dict.into_any())
    }
}

/// The dict this module builds for `data`, or `None` where `json.loads` must decide: for the
/// tests that compare the two.
#[pyfunction]
#[pyo3(name = "json_object")]
fn json_object_py<'py>(py: Python<'py>, data: &[u8]) -> Option<Bound<'py, PyDict>> {
    json_object(py, data)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(json_object_py, m)?)
}
