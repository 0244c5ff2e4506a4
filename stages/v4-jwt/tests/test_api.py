"""The PyJWT 2.x API surface: names, module layout, encode/decode, headers, keys, JWKs."""

from __future__ import annotations

import json
import time
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import HMAC_SECRET, RSA_ALGORITHMS, read_key

import ferrojwt
import ferrojwt as jwt
from ferrojwt import algorithms, api_jwk, api_jws, api_jwt, exceptions
from ferrojwt.warnings import RemovedInPyjwt3Warning


def test_pyjwt_names_are_exported() -> None:
    import jwt as pyjwt

    assert {name for name in pyjwt.__all__ if not hasattr(ferrojwt, name)} == set()
    for name in ("encode", "decode", "decode_complete", "get_unverified_header"):
        assert callable(getattr(ferrojwt, name))


def test_submodules_mirror_pyjwt_layout() -> None:
    assert api_jwt.PyJWT is ferrojwt.PyJWT
    assert api_jws.PyJWS is ferrojwt.PyJWS
    assert api_jwk.PyJWK is ferrojwt.PyJWK
    assert exceptions.DecodeError is ferrojwt.DecodeError
    assert isinstance(algorithms.get_default_algorithms()["RS256"], algorithms.RSAAlgorithm)


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("InvalidTokenError", "PyJWTError"),
        ("DecodeError", "InvalidTokenError"),
        ("InvalidSignatureError", "DecodeError"),
        ("ExpiredSignatureError", "InvalidTokenError"),
        ("ImmatureSignatureError", "InvalidTokenError"),
        ("InvalidAudienceError", "InvalidTokenError"),
        ("InvalidIssuerError", "InvalidTokenError"),
        ("InvalidIssuedAtError", "InvalidTokenError"),
        ("InvalidSubjectError", "InvalidTokenError"),
        ("InvalidJTIError", "InvalidTokenError"),
        ("InvalidAlgorithmError", "InvalidTokenError"),
        ("MissingRequiredClaimError", "InvalidTokenError"),
        ("InvalidKeyError", "PyJWTError"),
        ("PyJWKError", "PyJWTError"),
        ("PyJWKSetError", "PyJWTError"),
    ],
)
def test_exception_hierarchy_matches_pyjwt(child: str, parent: str) -> None:
    import jwt as pyjwt

    ours_child, ours_parent = getattr(exceptions, child), getattr(exceptions, parent)
    assert issubclass(ours_child, ours_parent)
    assert getattr(ferrojwt, child) is ours_child
    # Same shape as PyJWT's own tree, so `except` clauses port unchanged.
    theirs = getattr(pyjwt.exceptions, child)
    assert [c.__name__ for c in theirs.__mro__[:-2]] == [
        c.__name__ for c in ours_child.__mro__[:-2]
    ]


def test_missing_required_claim_error_has_claim() -> None:
    error = jwt.MissingRequiredClaimError("exp")
    assert error.claim == "exp"
    assert str(error) == 'Token is missing the "exp" claim'


@pytest.mark.parametrize("alg", RSA_ALGORITHMS)
def test_rsa_round_trip(alg: str, private_pem: str, public_pem: str) -> None:
    payload = {"sub": "ferris", "n": 42, "nested": {"list": [1, "two", None]}}
    token = jwt.encode(payload, private_pem, algorithm=alg)
    assert token.count(".") == 2
    assert jwt.decode(token, public_pem, algorithms=[alg]) == payload
    assert jwt.get_unverified_header(token) == {"alg": alg, "typ": "JWT"}


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_round_trip(alg: str) -> None:
    token = jwt.encode({"a": 1}, HMAC_SECRET, algorithm=alg)
    assert jwt.decode(token, HMAC_SECRET, algorithms=[alg]) == {"a": 1}
    assert jwt.decode(token, HMAC_SECRET.encode(), algorithms=[alg]) == {"a": 1}


def test_default_algorithm_is_hs256_like_pyjwt() -> None:
    token = jwt.encode({"a": 1}, HMAC_SECRET)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_same_bytes_as_pyjwt_for_deterministic_algorithms(private_pem: str) -> None:
    import jwt as pyjwt

    payload = {"sub": "x", "iat": 1700000000, "aud": ["a", "b"]}
    for alg, key in [("HS256", HMAC_SECRET), ("RS256", private_pem), ("RS512", private_pem)]:
        ours = jwt.encode(payload, key, algorithm=alg, headers={"kid": "k1"})
        theirs = pyjwt.encode(payload, key, algorithm=alg, headers={"kid": "k1"})
        assert ours == theirs, alg


def test_decode_complete(private_pem: str, public_pem: str) -> None:
    token = jwt.encode({"a": 1}, private_pem, algorithm="PS256", headers={"kid": "key-1"})
    complete = jwt.decode_complete(token, public_pem, algorithms=["PS256"])
    assert complete["payload"] == {"a": 1}
    assert complete["header"] == {"alg": "PS256", "kid": "key-1", "typ": "JWT"}
    assert isinstance(complete["signature"], bytes) and len(complete["signature"]) == 256


def test_bytes_token_and_bytes_key(private_pem: str, public_pem: str) -> None:
    token = jwt.encode({"a": 1}, private_pem.encode(), algorithm="RS256")
    assert jwt.decode(token.encode(), public_pem.encode(), algorithms=["RS256"]) == {"a": 1}


def test_headers_and_sort_headers(private_pem: str) -> None:
    token = jwt.encode(
        {"a": 1},
        private_pem,
        algorithm="RS256",
        headers={"kid": "z", "cty": "x"},
        sort_headers=False,
    )
    raw_header = token.split(".")[0]
    decoded = ferrojwt._native.b64url_decode(raw_header.encode(), "header")
    assert list(json.loads(decoded)) == ["typ", "alg", "kid", "cty"]
    sorted_token = jwt.encode({"a": 1}, private_pem, algorithm="RS256", headers={"kid": "z"})
    assert list(jwt.get_unverified_header(sorted_token)) == ["alg", "kid", "typ"]


def test_header_alg_overrides_argument_and_typ_can_be_dropped(private_pem: str) -> None:
    token = jwt.encode({"a": 1}, private_pem, algorithm="RS256", headers={"alg": "PS384"})
    assert jwt.get_unverified_header(token)["alg"] == "PS384"
    token = jwt.encode({"a": 1}, HMAC_SECRET, headers={"typ": None})
    assert "typ" not in jwt.get_unverified_header(token)


def test_json_encoder_is_used() -> None:
    class DecimalishEncoder(json.JSONEncoder):
        def default(self, o: Any) -> Any:
            if isinstance(o, complex):
                return [o.real, o.imag]
            return super().default(o)

    token = jwt.encode({"c": 1 + 2j}, HMAC_SECRET, json_encoder=DecimalishEncoder)
    assert jwt.decode(token, HMAC_SECRET, algorithms=["HS256"]) == {"c": [1.0, 2.0]}
    with pytest.raises(TypeError):
        jwt.encode({"c": 1 + 2j}, HMAC_SECRET)


def test_encode_payload_must_be_a_dict() -> None:
    with pytest.raises(TypeError):
        jwt.encode(["not", "a", "dict"], HMAC_SECRET)  # type: ignore[arg-type]


def test_encode_iss_must_be_a_string() -> None:
    with pytest.raises(TypeError):
        jwt.encode({"iss": 123}, HMAC_SECRET)


def test_datetime_claims_become_integers() -> None:
    when = datetime(2100, 1, 2, 3, 4, 5, tzinfo=UTC)
    token = jwt.encode({"exp": when, "iat": when - timedelta(days=1)}, HMAC_SECRET)
    claims = jwt.decode(token, HMAC_SECRET, algorithms=["HS256"], options={"verify_iat": False})
    assert claims == {"exp": 4102542245, "iat": 4102542245 - 86400}


@pytest.mark.parametrize(
    "name",
    ["rsa2048.pkcs8.pem", "rsa2048.pkcs1.pem"],
)
def test_private_key_forms_sign(name: str, public_pem: str) -> None:
    token = jwt.encode({"a": 1}, read_key(name), algorithm="RS256")
    assert jwt.decode(token, public_pem, algorithms=["RS256"]) == {"a": 1}


@pytest.mark.parametrize(
    "name",
    ["rsa2048.pub.pem", "rsa2048.pub.pkcs1.pem", "rsa2048.pub.ssh", "rsa2048.pkcs8.pem"],
)
def test_public_key_forms_verify(name: str, private_pem: str) -> None:
    token = jwt.encode({"a": 1}, private_pem, algorithm="PS256")
    assert jwt.decode(token, read_key(name), algorithms=["PS256"]) == {"a": 1}


def test_jwk_dict_pyjwk_and_native_key_objects(private_pem: str, public_pem: str) -> None:
    rsa = algorithms.RSAAlgorithm(algorithms.RSAAlgorithm.SHA256)
    private_jwk = rsa.to_jwk(private_pem, as_dict=True)
    public_jwk = rsa.to_jwk(public_pem, as_dict=True)
    assert public_jwk["key_ops"] == ["verify"] and private_jwk["key_ops"] == ["sign"]
    assert set(private_jwk) >= {"n", "e", "d", "p", "q", "dp", "dq", "qi"}

    token = jwt.encode({"a": 1}, jwt.PyJWK(private_jwk), algorithm="RS256")
    assert jwt.decode(token, jwt.PyJWK(public_jwk)) == {"a": 1}
    assert jwt.decode(token, public_jwk, algorithms=["RS256"]) == {"a": 1}
    assert jwt.decode(token, rsa.prepare_key(public_pem), algorithms=["RS256"]) == {"a": 1}


def test_to_jwk_matches_pyjwt(private_pem: str, public_pem: str) -> None:
    from jwt.algorithms import RSAAlgorithm as PyJWTRSA

    theirs = PyJWTRSA.to_jwk(PyJWTRSA(PyJWTRSA.SHA256).prepare_key(private_pem), as_dict=True)
    ours = algorithms.RSAAlgorithm.to_jwk(private_pem, as_dict=True)
    assert ours == theirs
    assert json.loads(algorithms.RSAAlgorithm.to_jwk(public_pem)) == {
        k: theirs[k] for k in ("kty", "n", "e")
    } | {"key_ops": ["verify"]}


def test_private_jwk_without_crt_members_is_recovered(private_pem: str, public_pem: str) -> None:
    full = algorithms.RSAAlgorithm.to_jwk(private_pem, as_dict=True)
    minimal = {k: full[k] for k in ("kty", "n", "e", "d")}
    token = jwt.encode({"a": 1}, jwt.PyJWK(minimal), algorithm="RS256")
    assert jwt.decode(token, public_pem, algorithms=["RS256"]) == {"a": 1}


def test_cryptography_key_objects_are_accepted(private_pem: str) -> None:
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    token = jwt.encode({"a": 1}, private, algorithm="RS384")
    assert jwt.decode(token, private.public_key(), algorithms=["RS384"]) == {"a": 1}


def test_pyjwk_properties_and_kty_defaults() -> None:
    jwk = jwt.PyJWK(
        {"kty": "oct", "k": "c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0zMi1ieXRlcy1sb25nIQ", "kid": "h1"}
    )
    assert (jwk.key_type, jwk.key_id, jwk.algorithm_name) == ("oct", "h1", "HS256")
    assert jwk.public_key_use is None
    token = jwt.encode({"a": 1}, jwk)
    assert jwt.decode(token, jwk) == {"a": 1}
    with pytest.raises(jwt.InvalidKeyError):
        jwt.PyJWK({"n": "x"})
    with pytest.raises(jwt.PyJWKError):
        jwt.PyJWK({"kty": "RSA", "alg": "XS256", "n": "AQAB", "e": "AQAB"})
    # An RSA JWK bound to an EC algorithm: the EC loader refuses it, as in PyJWT.
    with pytest.raises(jwt.InvalidKeyError, match="Not an Elliptic curve key"):
        jwt.PyJWK({"kty": "RSA", "alg": "ES256", "n": "AQAB", "e": "AQAB"})


def test_pyjwkset_lookup_by_kid(public_pem: str, private_pem: str) -> None:
    public_jwk = algorithms.RSAAlgorithm.to_jwk(public_pem, as_dict=True)
    other = algorithms.RSAAlgorithm.to_jwk(read_key("other2048.pub.pem"), as_dict=True)
    jwks = jwt.PyJWKSet.from_dict(
        {
            "keys": [
                {**other, "kid": "old"},
                {**public_jwk, "kid": "current", "alg": "PS256"},
                {"kty": "EC", "crv": "P-256", "x": "x", "y": "y", "kid": "ec"},
                "not a key",
            ]
        }
    )
    assert len(jwks) == 2 and [k.key_id for k in jwks] == ["old", "current"]
    token = jwt.encode({"a": 1}, private_pem, algorithm="PS256", headers={"kid": "current"})
    key = jwks[jwt.get_unverified_header(token)["kid"]]
    assert jwt.decode(token, key) == {"a": 1}
    with pytest.raises(KeyError):
        jwks["missing"]
    with pytest.raises(jwt.PyJWKSetError):
        jwt.PyJWKSet([])
    with pytest.raises(jwt.PyJWKSetError):
        jwt.PyJWKSet([{"kty": "EC"}])


def test_generate_rsa_key_round_trip() -> None:
    pair = jwt.generate_rsa_key(2048, kid="k1")
    assert pair.private_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert pair.public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert pair.public_jwk["kid"] == "k1" and pair.public_jwk["e"] == "AQAB"
    assert "private_pem" not in repr(pair)
    token = jwt.encode({"a": 1}, pair.private_pem, algorithm="RS256", headers={"kid": "k1"})
    assert jwt.decode(token, pair.public_pem, algorithms=["RS256"]) == {"a": 1}
    assert jwt.decode(token, jwt.PyJWK(pair.public_jwk)) == {"a": 1}
    with pytest.raises(jwt.InvalidKeyError):
        jwt.generate_rsa_key(1024)


def test_generated_key_works_in_pyjwt() -> None:
    import jwt as pyjwt

    pair = jwt.generate_rsa_key()
    token = pyjwt.encode({"a": 1}, pair.private_pem, algorithm="PS512")
    assert jwt.decode(token, pair.public_pem, algorithms=["PS512"]) == {"a": 1}


def test_pyjwt_and_pyjws_objects_with_options(private_pem: str, public_pem: str) -> None:
    lenient = jwt.PyJWT(options={"verify_exp": False})
    token = jwt.encode({"exp": int(time.time()) - 100}, private_pem, algorithm="RS256")
    assert lenient.decode(token, public_pem, algorithms=["RS256"])["exp"] < time.time()
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.PyJWT().decode(token, public_pem, algorithms=["RS256"])

    only_ps = jwt.PyJWS(algorithms=["PS256"])
    assert only_ps.get_algorithms() == ["PS256"]
    raw = only_ps.encode(b"raw bytes", private_pem, algorithm="PS256")
    assert only_ps.decode(raw, public_pem, algorithms=["PS256"]) == b"raw bytes"
    with pytest.raises(NotImplementedError):
        only_ps.encode(b"x", private_pem, algorithm="RS256")


def test_register_and_unregister_algorithm() -> None:
    jws = jwt.PyJWS()
    jws.unregister_algorithm("HS256")
    assert "HS256" not in jws.get_algorithms()
    with pytest.raises(KeyError):
        jws.unregister_algorithm("HS256")
    jws.register_algorithm("HS256", algorithms.HMACAlgorithm(algorithms.HMACAlgorithm.SHA256))
    with pytest.raises(ValueError):
        jws.register_algorithm("HS256", algorithms.HMACAlgorithm(algorithms.HMACAlgorithm.SHA256))
    with pytest.raises(TypeError):
        jws.register_algorithm("X1", object())  # type: ignore[arg-type]


def test_detached_payload_round_trip() -> None:
    jws = jwt.PyJWS()
    token = jws.encode(b"big body", HMAC_SECRET, algorithm="HS256", is_payload_detached=True)
    head, body, _ = token.split(".")
    assert body == ""
    assert jwt.get_unverified_header(token)["crit"] == ["b64"]
    assert jws.decode(token, HMAC_SECRET, algorithms=["HS256"], detached_payload=b"big body") == (
        b"big body"
    )
    with pytest.raises(jwt.InvalidSignatureError):
        jws.decode(token, HMAC_SECRET, algorithms=["HS256"], detached_payload=b"other")
    with pytest.raises(jwt.DecodeError):
        jws.decode(token, HMAC_SECRET, algorithms=["HS256"])


@pytest.mark.parametrize(
    "decode",
    [jwt.decode, jwt.decode_complete, jwt.PyJWS().decode, jwt.PyJWS().decode_complete],
    ids=["PyJWT.decode", "PyJWT.decode_complete", "PyJWS.decode", "PyJWS.decode_complete"],
)
def test_extra_kwargs_warn_like_pyjwt(decode: Any) -> None:
    token = jwt.encode({"a": 1}, HMAC_SECRET)
    with pytest.warns(
        RemovedInPyjwt3Warning, match=r"Unsupported kwargs: \('unknown',\)"
    ) as caught:
        decode(token, HMAC_SECRET, algorithms=["HS256"], unknown=1)
    # The warning points at the line that passed the argument, not inside the library.
    assert [w.filename for w in caught if w.category is RemovedInPyjwt3Warning] == [__file__]


def test_verify_signature_false_skips_signature_and_claims(private_pem: str) -> None:
    token = jwt.encode({"exp": 1, "aud": "x"}, private_pem, algorithm="RS256")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims == {"exp": 1, "aud": "x"}
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(token, options={"verify_signature": False, "verify_exp": True})


def test_parsed_keys_are_cached(private_pem: str) -> None:
    rsa = algorithms.RSAAlgorithm(algorithms.RSAAlgorithm.SHA256)
    assert rsa.prepare_key(private_pem) is rsa.prepare_key(private_pem)
    assert rsa.prepare_key(private_pem.encode()) is rsa.prepare_key(private_pem.encode())


def test_no_warning_for_good_keys(private_pem: str, public_pem: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        token = jwt.encode({"a": 1}, private_pem, algorithm="RS256")
        jwt.decode(token, public_pem, algorithms=["RS256"])
