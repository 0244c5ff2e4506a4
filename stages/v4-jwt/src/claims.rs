//! A quick, conservative check of the registered claims, run next to the signature check while
//! the GIL is released.
//!
//! The rules are PyJWT's (`api_jwt.py` spells them out in Python). This check only ever answers
//! "these claims certainly pass" (`true`) or "let the Python rules decide" (`false`): it accepts
//! the plain shapes (integer times, string issuer/subject/ID, a string or list-of-strings
//! audience) and leaves everything else, including every failure, to Python, which then raises
//! PyJWT's exact exception. So it can be narrower than PyJWT, never looser.
//!
//! It reads the payload with `serde_json`. Where `serde_json` accepts a document, Python's
//! `json` module reads the same values for these members (escapes included); where they could
//! differ (floats, integers beyond 2^53, NaN, lone surrogates, a member named twice) the check
//! does not decide.

use serde::Deserialize;
use serde_json::Value;

use crate::json;

/// Integers up to 2^53 convert to `f64` exactly, so comparing them with a float time gives the
/// same answer as Python's exact int/float comparison.
const EXACT_INT: i64 = 1 << 53;

/// A string, or any of several strings (Python: a `str`, or a list/tuple/set of `str`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    One(String),
    AnyOf(Vec<String>),
}

impl Expected {
    fn contains(&self, value: &str) -> bool {
        match self {
            Expected::One(expected) => expected == value,
            Expected::AnyOf(expected) => expected.iter().any(|e| e == value),
        }
    }
}

/// What a caller asked for: PyJWT's decode options and arguments, in plain Rust.
#[derive(Debug, Clone, Default)]
pub struct ClaimRules {
    /// Seconds since the epoch, taken when the token is checked.
    pub now: f64,
    pub leeway: f64,
    pub verify_exp: bool,
    pub verify_nbf: bool,
    pub verify_iat: bool,
    pub verify_iss: bool,
    pub verify_aud: bool,
    pub verify_sub: bool,
    pub verify_jti: bool,
    pub strict_aud: bool,
    /// Claims that must be present and not null.
    pub require: Vec<String>,
    pub audience: Option<Expected>,
    pub issuer: Option<Expected>,
    pub subject: Option<String>,
}

/// The registered claims, in the shapes this check can decide on: a member of another shape
/// (a float time, a non-string `sub`, a `null`) fails to parse, and Python decides.
#[derive(Deserialize)]
struct Registered {
    #[serde(default, deserialize_with = "json::present")]
    exp: Option<i64>,
    #[serde(default, deserialize_with = "json::present")]
    nbf: Option<i64>,
    #[serde(default, deserialize_with = "json::present")]
    iat: Option<i64>,
    #[serde(default, deserialize_with = "json::present")]
    iss: Option<String>,
    #[serde(default, deserialize_with = "json::present")]
    aud: Option<Value>,
    #[serde(default, deserialize_with = "json::present")]
    sub: Option<String>,
    #[serde(default, deserialize_with = "json::present")]
    jti: Option<String>,
}

impl Registered {
    /// Whether `name` is present and not null, if it is one of these claims.
    fn has(&self, name: &str) -> Option<bool> {
        Some(match name {
            "exp" => self.exp.is_some(),
            "nbf" => self.nbf.is_some(),
            "iat" => self.iat.is_some(),
            "iss" => self.iss.is_some(),
            "aud" => self.aud.as_ref().is_some_and(|aud| !aud.is_null()),
            "sub" => self.sub.is_some(),
            "jti" => self.jti.is_some(),
            _ => return None,
        })
    }
}

/// `true` when PyJWT's claim validation certainly accepts `payload_json` under `rules`.
pub fn claims_certainly_pass(payload_json: &[u8], rules: &ClaimRules) -> bool {
    let Some(claims) = json::from_object::<Registered>(payload_json) else {
        return false;
    };
    // `jti` needs no check here: parsing it as a string was the check.
    let Registered {
        exp,
        nbf,
        iat,
        ref iss,
        ref aud,
        ref sub,
        jti: _,
    } = claims;
    // Other required claims are Python's to look up.
    let required = rules
        .require
        .iter()
        .all(|name| claims.has(name) == Some(true));
    let time = |value: Option<i64>, verify: bool, ok: &dyn Fn(f64) -> bool| match value {
        Some(seconds) if verify => exact_seconds(seconds).is_some_and(ok),
        _ => true,
    };
    let (now, leeway) = (rules.now, rules.leeway);

    required
        && time(iat, rules.verify_iat, &|iat| iat <= now + leeway)
        && time(nbf, rules.verify_nbf, &|nbf| nbf <= now + leeway)
        && time(exp, rules.verify_exp, &|exp| exp > now - leeway)
        && (!rules.verify_iss
            || rules
                .issuer
                .as_ref()
                .is_none_or(|issuer| iss.as_deref().is_some_and(|iss| issuer.contains(iss))))
        && (!rules.verify_aud || audience_passes(aud.as_ref(), rules))
        && (!rules.verify_sub
            || sub
                .as_deref()
                .is_none_or(|sub| rules.subject.as_ref().is_none_or(|subject| subject == sub)))
}

/// A time claim as PyJWT's `int(value)` sees it, when that is certain: an integer within 2^53.
fn exact_seconds(seconds: i64) -> Option<f64> {
    (-EXACT_INT..=EXACT_INT)
        .contains(&seconds)
        .then_some(seconds as f64)
}

fn audience_passes(claim: Option<&Value>, rules: &ClaimRules) -> bool {
    let Some(audience) = &rules.audience else {
        // No audience expected: PyJWT accepts a token without one (other empty values too, but
        // those are left to it).
        return claim.is_none_or(Value::is_null);
    };
    match (claim, rules.strict_aud) {
        (Some(Value::String(claim)), true) => match audience {
            Expected::One(expected) => !claim.is_empty() && expected == claim,
            Expected::AnyOf(_) => false,
        },
        (Some(Value::String(claim)), false) => !claim.is_empty() && audience.contains(claim),
        (Some(Value::Array(claims)), false) => {
            let mut names = Vec::with_capacity(claims.len());
            for claim in claims {
                let Some(name) = claim.as_str() else {
                    return false;
                };
                names.push(name);
            }
            names.into_iter().any(|name| audience.contains(name))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_700_000_000.5;

    fn rules() -> ClaimRules {
        ClaimRules {
            now: NOW,
            verify_exp: true,
            verify_nbf: true,
            verify_iat: true,
            verify_iss: true,
            verify_aud: true,
            verify_sub: true,
            verify_jti: true,
            ..ClaimRules::default()
        }
    }

    fn passes(payload: &str, rules: &ClaimRules) -> bool {
        claims_certainly_pass(payload.as_bytes(), rules)
    }

    #[test]
    fn plain_claims_pass() {
        let payload = r#"{"iat":1700000000,"nbf":1700000000,"exp":1700000600,"iss":"i",
            "aud":["a","b"],"sub":"s","jti":"j","extra":[1.5,null,{"x":true}]}"#;
        let rules = ClaimRules {
            audience: Some(Expected::One("b".into())),
            issuer: Some(Expected::AnyOf(vec!["x".into(), "i".into()])),
            subject: Some("s".into()),
            require: vec!["exp".into(), "iat".into()],
            ..rules()
        };
        assert!(passes(payload, &rules));
        assert!(passes("{}", &self::rules()));
    }

    #[test]
    fn time_boundaries_follow_pyjwt() {
        // PyJWT: expired when exp <= now - leeway; immature when iat/nbf > now + leeway.
        assert!(!passes(r#"{"exp":1700000000}"#, &rules()));
        assert!(passes(r#"{"exp":1700000001}"#, &rules()));
        assert!(passes(r#"{"nbf":1700000000,"iat":1700000000}"#, &rules()));
        assert!(!passes(r#"{"nbf":1700000001}"#, &rules()));
        assert!(!passes(r#"{"iat":1700000001}"#, &rules()));
        let lenient = ClaimRules {
            leeway: 60.0,
            ..rules()
        };
        assert!(passes(r#"{"exp":1699999950,"nbf":1700000050}"#, &lenient));
        let unchecked = ClaimRules {
            verify_exp: false,
            ..rules()
        };
        assert!(passes(r#"{"exp":0}"#, &unchecked));
    }

    #[test]
    fn uncertain_shapes_are_left_to_python() {
        // Each of these either fails in PyJWT or needs Python's own arithmetic to decide.
        let rules = rules();
        for payload in [
            r#"{"exp":1700000600.0}"#,
            r#"{"exp":"1700000600"}"#,
            r#"{"exp":true}"#,
            r#"{"exp":null}"#,
            r#"{"exp":123456789012345678901234567890}"#,
            r#"{"iat":9007199254740993}"#,
            r#"{"aud":""}"#,
            r#"{"aud":"a"}"#,
            r#"{"sub":1}"#,
            r#"{"jti":null}"#,
            r#"{"exp":NaN}"#,
            r#"{"exp":1700000600,"exp":1700000600}"#,
            r#"[1700000600]"#,
            r#"[]"#,
            r#"{"a":1"#,
        ] {
            assert!(!passes(payload, &rules), "{payload}");
        }
    }

    #[test]
    fn required_claims_must_be_present_and_not_null() {
        let rules = ClaimRules {
            require: vec!["exp".into(), "aud".into()],
            audience: Some(Expected::One("a".into())),
            ..rules()
        };
        assert!(passes(r#"{"exp":1700000600,"aud":"a"}"#, &rules));
        assert!(!passes(r#"{"exp":1700000600}"#, &rules));
        assert!(!passes(r#"{"exp":null,"aud":"a"}"#, &rules));
        // Claims outside the registered ones are left to Python.
        let custom = ClaimRules {
            require: vec!["tenant".into()],
            ..self::rules()
        };
        assert!(!passes(r#"{"tenant":0}"#, &custom));
    }

    #[test]
    fn audience_rules() {
        let one = |strict| ClaimRules {
            audience: Some(Expected::One("api".into())),
            strict_aud: strict,
            ..rules()
        };
        assert!(passes(r#"{"aud":"api"}"#, &one(false)));
        assert!(passes(r#"{"aud":["web","api"]}"#, &one(false)));
        assert!(!passes(r#"{"aud":["web",1,"api"]}"#, &one(false)));
        assert!(!passes(r#"{"aud":"web"}"#, &one(false)));
        assert!(!passes(r#"{}"#, &one(false)));
        assert!(!passes(r#"{"aud":[]}"#, &one(false)));
        assert!(passes(r#"{"aud":"api"}"#, &one(true)));
        assert!(!passes(r#"{"aud":["api"]}"#, &one(true)));
        let any = ClaimRules {
            audience: Some(Expected::AnyOf(vec!["x".into(), "api".into()])),
            ..rules()
        };
        assert!(passes(r#"{"aud":"api"}"#, &any));
        assert!(!passes(r#"{"aud":"y"}"#, &any));
        let none = ClaimRules {
            audience: Some(Expected::AnyOf(vec![])),
            ..rules()
        };
        assert!(!passes(r#"{"aud":"api"}"#, &none));
    }

    #[test]
    fn issuer_subject_and_id() {
        let rules = ClaimRules {
            issuer: Some(Expected::One("me".into())),
            subject: Some("u1".into()),
            ..rules()
        };
        assert!(passes(r#"{"iss":"me","sub":"u1"}"#, &rules));
        assert!(passes(r#"{"iss":"me"}"#, &rules));
        assert!(!passes(r#"{"sub":"u1"}"#, &rules));
        assert!(!passes(r#"{"iss":"you"}"#, &rules));
        assert!(!passes(r#"{"iss":"me","sub":"u2"}"#, &rules));
        assert!(passes(
            r#"{"iss":"anyone","sub":"u2"}"#,
            &ClaimRules {
                verify_iss: false,
                verify_sub: false,
                ..rules.clone()
            }
        ));
        assert!(passes(r#"{"jti":"j"}"#, &self::rules()));
        assert!(!passes(r#"{"jti":5}"#, &self::rules()));
    }
}
