"""Claim validation, case by case against PyJWT 2.15's documented behaviour.

Every case states the expected outcome, and runs through both PyJWT and ferrojwt: a difference
from PyJWT fails the test even where the expectation itself was written wrongly.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt as pyjwt
import pytest
from conftest import HMAC_SECRET, read_key

import ferrojwt

NOW = int(time.time())
OK = "ok"

# (id, payload, decode keyword arguments, expected exception name or OK)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    # exp
    ("exp-future", {"exp": NOW + 600}, {}, OK),
    ("exp-past", {"exp": NOW - 600}, {}, "ExpiredSignatureError"),
    ("exp-now-is-expired", {"exp": NOW - 1}, {}, "ExpiredSignatureError"),
    ("exp-past-within-leeway", {"exp": NOW - 30}, {"leeway": 60}, OK),
    ("exp-leeway-timedelta", {"exp": NOW - 30}, {"leeway": timedelta(seconds=60)}, OK),
    ("exp-past-beyond-leeway", {"exp": NOW - 90}, {"leeway": 60}, "ExpiredSignatureError"),
    ("exp-float", {"exp": NOW + 600.5}, {}, OK),
    ("exp-string-number", {"exp": str(NOW + 600)}, {}, OK),
    ("exp-not-a-number", {"exp": "soon"}, {}, "DecodeError"),
    ("exp-null", {"exp": None}, {}, "DecodeError"),
    ("exp-list", {"exp": [1]}, {}, "DecodeError"),
    ("exp-unchecked", {"exp": NOW - 600}, {"options": {"verify_exp": False}}, OK),
    # nbf
    ("nbf-past", {"nbf": NOW - 600}, {}, OK),
    ("nbf-future", {"nbf": NOW + 600}, {}, "ImmatureSignatureError"),
    ("nbf-future-within-leeway", {"nbf": NOW + 30}, {"leeway": 60}, OK),
    ("nbf-not-a-number", {"nbf": "later"}, {}, "DecodeError"),
    ("nbf-unchecked", {"nbf": NOW + 600}, {"options": {"verify_nbf": False}}, OK),
    # iat
    ("iat-past", {"iat": NOW - 600}, {}, OK),
    ("iat-future", {"iat": NOW + 600}, {}, "ImmatureSignatureError"),
    ("iat-future-within-leeway", {"iat": NOW + 30}, {"leeway": 60}, OK),
    ("iat-not-a-number", {"iat": "then"}, {}, "InvalidIssuedAtError"),
    ("iat-unchecked", {"iat": "then"}, {"options": {"verify_iat": False}}, OK),
    # aud
    ("aud-match", {"aud": "api"}, {"audience": "api"}, OK),
    ("aud-list-claim", {"aud": ["web", "api"]}, {"audience": "api"}, OK),
    ("aud-list-expected", {"aud": "api"}, {"audience": ["x", "api"]}, OK),
    ("aud-mismatch", {"aud": "api"}, {"audience": "other"}, "InvalidAudienceError"),
    ("aud-claim-unexpected", {"aud": "api"}, {}, "InvalidAudienceError"),
    ("aud-empty-claim-unexpected", {"aud": ""}, {}, OK),
    ("aud-missing", {}, {"audience": "api"}, "MissingRequiredClaimError"),
    ("aud-bad-format", {"aud": 1}, {"audience": "api"}, "InvalidAudienceError"),
    ("aud-list-with-int", {"aud": ["api", 1]}, {"audience": "api"}, "InvalidAudienceError"),
    ("aud-unchecked", {"aud": "api"}, {"options": {"verify_aud": False}}, OK),
    ("aud-strict-match", {"aud": "api"}, {"audience": "api", "options": {"strict_aud": True}}, OK),
    (
        "aud-strict-list-claim",
        {"aud": ["api"]},
        {"audience": "api", "options": {"strict_aud": True}},
        "InvalidAudienceError",
    ),
    (
        "aud-strict-list-expected",
        {"aud": "api"},
        {"audience": ["api"], "options": {"strict_aud": True}},
        "InvalidAudienceError",
    ),
    # iss
    ("iss-match", {"iss": "me"}, {"issuer": "me"}, OK),
    ("iss-in-sequence", {"iss": "me"}, {"issuer": ["you", "me"]}, OK),
    ("iss-mismatch", {"iss": "me"}, {"issuer": "you"}, "InvalidIssuerError"),
    ("iss-not-in-sequence", {"iss": "me"}, {"issuer": ("a", "b")}, "InvalidIssuerError"),
    ("iss-missing", {}, {"issuer": "me"}, "MissingRequiredClaimError"),
    ("iss-not-string", {"iss": 5}, {"issuer": "me"}, "InvalidIssuerError"),
    ("iss-bad-container", {"iss": "me"}, {"issuer": 5}, "InvalidIssuerError"),
    ("iss-not-requested", {"iss": "anyone"}, {}, OK),
    # sub
    ("sub-string", {"sub": "u1"}, {}, OK),
    ("sub-match", {"sub": "u1"}, {"subject": "u1"}, OK),
    ("sub-mismatch", {"sub": "u1"}, {"subject": "u2"}, "InvalidSubjectError"),
    ("sub-not-string", {"sub": 1}, {}, "InvalidSubjectError"),
    ("sub-unchecked", {"sub": 1}, {"options": {"verify_sub": False}}, OK),
    # jti
    ("jti-string", {"jti": "id-1"}, {}, OK),
    ("jti-not-string", {"jti": 1}, {}, "InvalidJTIError"),
    ("jti-unchecked", {"jti": 1}, {"options": {"verify_jti": False}}, OK),
    # require
    ("require-present", {"exp": NOW + 60}, {"options": {"require": ["exp"]}}, OK),
    ("require-missing", {}, {"options": {"require": ["exp"]}}, "MissingRequiredClaimError"),
    ("require-null", {"sub": None}, {"options": {"require": ["sub"]}}, "MissingRequiredClaimError"),
    (
        "require-custom",
        {"role": "x"},
        {"options": {"require": ["role", "tenant"]}},
        "MissingRequiredClaimError",
    ),
    # everything together, in PyJWT's order: require, iat, nbf, exp, iss, aud, sub, jti
    (
        "order-exp-before-aud",
        {"exp": NOW - 600, "aud": "x"},
        {"audience": "y"},
        "ExpiredSignatureError",
    ),
    (
        "order-require-first",
        {"exp": NOW - 600},
        {"options": {"require": ["sub"]}},
        "MissingRequiredClaimError",
    ),
    (
        "all-good",
        {
            "exp": NOW + 60,
            "nbf": NOW - 60,
            "iat": NOW,
            "aud": "a",
            "iss": "i",
            "sub": "s",
            "jti": "j",
        },
        {"audience": "a", "issuer": "i", "subject": "s", "options": {"require": ["exp", "iat"]}},
        OK,
    ),
]


# Each case runs with HS256 (the general path) and RS256 (the native fast path, which checks
# plain claims in Rust and hands everything else to the same Python rules).
KEYS = {
    "HS256": (HMAC_SECRET, HMAC_SECRET),
    "RS256": (read_key("rsa2048.pkcs8.pem"), read_key("rsa2048.pub.pem")),
}


def outcome(module: Any, token: str, alg: str, kwargs: dict[str, Any]) -> str:
    try:
        module.decode(token, KEYS[alg][1], algorithms=[alg], **kwargs)
    except Exception as error:  # noqa: BLE001 - the class name is the result under test
        return type(error).__name__
    return OK


@pytest.mark.parametrize("alg", list(KEYS))
@pytest.mark.parametrize(
    ("payload", "kwargs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_claim_case_matches_pyjwt(
    payload: dict[str, Any], kwargs: dict[str, Any], expected: str, alg: str
) -> None:
    # The cases were written relative to NOW (at collection); keep them relative to this moment.
    shift = int(time.time()) - NOW
    payload = {
        name: value + shift
        if name in ("exp", "nbf", "iat") and type(value) in (int, float)
        else value
        for name, value in payload.items()
    }
    # Signed at the JWS level: encode() itself refuses some of these payloads (a non-string iss).
    token = ferrojwt.PyJWS().encode(json.dumps(payload).encode(), KEYS[alg][0], algorithm=alg)
    assert outcome(ferrojwt, token, alg, kwargs) == expected
    assert outcome(pyjwt, token, alg, kwargs) == expected


def test_missing_claim_error_names_the_claim() -> None:
    token = ferrojwt.encode({}, HMAC_SECRET)
    with pytest.raises(ferrojwt.MissingRequiredClaimError) as info:
        ferrojwt.decode(token, HMAC_SECRET, algorithms=["HS256"], options={"require": ["exp"]})
    assert info.value.claim == "exp"
    with pytest.raises(ferrojwt.MissingRequiredClaimError) as info:
        ferrojwt.decode(token, HMAC_SECRET, algorithms=["HS256"], audience="api")
    assert info.value.claim == "aud"


def test_datetime_exp_in_the_past_is_expired() -> None:
    past = datetime.now(tz=UTC) - timedelta(hours=1)
    token = ferrojwt.encode({"exp": past}, HMAC_SECRET)
    with pytest.raises(ferrojwt.ExpiredSignatureError):
        ferrojwt.decode(token, HMAC_SECRET, algorithms=["HS256"])


def test_audience_of_wrong_type_is_a_type_error() -> None:
    token = ferrojwt.encode({"aud": "a"}, HMAC_SECRET)
    with pytest.raises(TypeError):
        ferrojwt.decode(token, HMAC_SECRET, algorithms=["HS256"], audience=5)  # type: ignore[arg-type]


def test_expired_is_an_invalid_token_error() -> None:
    token = ferrojwt.encode({"exp": NOW - 600}, HMAC_SECRET)
    with pytest.raises(ferrojwt.InvalidTokenError):
        ferrojwt.decode(token, HMAC_SECRET, algorithms=["HS256"])


@pytest.mark.parametrize("library", [pyjwt, ferrojwt], ids=["PyJWT", "ferrojwt"])
def test_a_subclass_overrides_each_check_as_with_pyjwt(library: Any) -> None:
    """Every claim check is a method that PyJWT's own call goes through, `require` included:
    an application's subclass that overrides one is obeyed by both libraries."""

    class Lenient(library.PyJWT):  # type: ignore[misc, name-defined]
        def _validate_required_claims(self, payload: dict[str, Any], claims: Any) -> None:
            if "role" in claims and payload.get("legacy"):
                return  # legacy tokens carry no role
            super()._validate_required_claims(payload, claims)

        def _validate_sub(self, payload: dict[str, Any], subject: str | None = None) -> None:
            if payload.get("sub") == 42:
                return  # an integer subject from an old issuer
            super()._validate_sub(payload, subject)

    token = library.encode({"legacy": True, "sub": 42}, HMAC_SECRET, algorithm="HS256")
    options = {"require": ["role"]}
    decoded = Lenient().decode(token, HMAC_SECRET, algorithms=["HS256"], options=options)
    assert decoded == {"legacy": True, "sub": 42}
    with pytest.raises(library.MissingRequiredClaimError):
        library.decode(token, HMAC_SECRET, algorithms=["HS256"], options=options)
