//! Reading a few members of a JSON object with serde, without building a map of all of them.

use serde::{Deserialize, Deserializer};

/// For `#[serde(default, deserialize_with = "json::present")]`: `None` when the member is
/// absent, `Some` when it is present, even as `null` (plain `Option<T>` would read `null` as
/// absent; PyJWT treats a `null` member as present).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// `text` read as `T` when it is exactly one JSON object. A derived struct alone would also
/// accept an array, taking its items as the members in order.
pub fn from_object<'a, T: Deserialize<'a>>(text: &'a [u8]) -> Option<T> {
    if text.trim_ascii_start().first() != Some(&b'{') {
        return None;
    }
    serde_json::from_slice(text).ok()
}

/// The smallest limit on the digits of an integer Python may be configured with
/// (`sys.set_int_max_str_digits`; the default is 4300). Longer integers may raise `ValueError`.
const PYTHON_MIN_INT_DIGITS: usize = 640;

/// Whether Python's `json` module certainly reads `text`, a JSON object serde has accepted:
/// valid UTF-8 throughout (serde does not check strings it skips), no array or object inside it
/// (Python's scanner recurses, and deep nesting raises `RecursionError`; serde skips it), and no
/// run of more than 640 digits (an integer that long may exceed Python's limit). Anything else
/// is for the caller's general path, where Python's own parser decides.
pub fn flat_for_python(text: &[u8]) -> bool {
    if std::str::from_utf8(text).is_err() {
        return false;
    }
    let (mut in_string, mut escaped, mut containers, mut digits) = (false, false, 0, 0);
    for &byte in text {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => containers += 1,
            b'0'..=b'9' => digits += 1,
            _ => digits = 0,
        }
        if containers > 1 || digits > PYTHON_MIN_INT_DIGITS {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "present")]
        a: Option<Option<i64>>,
    }

    #[test]
    fn absent_null_and_value_differ() {
        let read = |text: &str| from_object::<Probe>(text.as_bytes()).map(|p| p.a);
        assert_eq!(read(r#"{}"#), Some(None));
        assert_eq!(read(r#"{"a":null}"#), Some(Some(None)));
        assert_eq!(read(r#" {"a":1,"b":[true]}"#), Some(Some(Some(1))));
        // Only objects, only valid JSON, each member once.
        assert_eq!(read("[1]"), None);
        assert_eq!(read(r#"{"a":1,"a":2}"#), None);
        assert_eq!(read(r#"{"a":1,"b":}"#), None);
        assert_eq!(read(r#"{"a":1} x"#), None);
    }

    #[test]
    fn only_flat_utf8_objects_without_huge_integers_are_certain_for_python() {
        assert!(flat_for_python(
            br#"{"alg":"RS256","kid":"[{\"}","n":12,"x":1.5e300}"#
        ));
        assert!(flat_for_python(
            format!(r#"{{"n":{}}}"#, "7".repeat(640)).as_bytes()
        ));
        assert!(!flat_for_python(
            format!(r#"{{"n":{}}}"#, "7".repeat(641)).as_bytes()
        ));
        assert!(!flat_for_python(br#"{"a":[1]}"#));
        assert!(!flat_for_python(br#"{"a":{}}"#));
        assert!(!flat_for_python(b"{\"a\":\"\xff\"}"));
    }
}
