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
}
