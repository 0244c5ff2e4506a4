"""Interoperability with PyJWT (a test dependency only): tokens cross in both directions for each
RSA algorithm and key form, and both libraries reject the same tampered tokens the same way."""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Callable
from typing import Any

import jwt as pyjwt
import pytest
from conftest import HMAC_SECRET, RSA_ALGORITHMS, read_key
from cryptography.hazmat.primitives import serialization

import ferrojwt

PRIVATE_FORMS: dict[str, Callable[[], Any]] = {
    "pkcs8-pem": lambda: read_key("rsa2048.pkcs8.pem"),
    "pkcs1-pem": lambda: read_key("rsa2048.pkcs1.pem"),
    "pem-bytes": lambda: read_key("rsa2048.pkcs8.pem").encode(),
    "cryptography-object": lambda: serialization.load_pem_private_key(
        read_key("rsa2048.pkcs8.pem").encode(), password=None
    ),
}
PUBLIC_FORMS: dict[str, Callable[[], Any]] = {
    "spki-pem": lambda: read_key("rsa2048.pub.pem"),
    "pkcs1-pem": lambda: read_key("rsa2048.pub.pkcs1.pem"),
    "ssh-rsa": lambda: read_key("rsa2048.pub.ssh"),
    "cryptography-object": lambda: serialization.load_pem_public_key(
        read_key("rsa2048.pub.pem").encode()
    ),
}


def jwk_pair(alg: str) -> tuple[dict[str, Any], dict[str, Any]]:
    private = ferrojwt.algorithms.RSAAlgorithm.to_jwk(read_key("rsa2048.pkcs8.pem"), as_dict=True)
    public = ferrojwt.algorithms.RSAAlgorithm.to_jwk(read_key("rsa2048.pub.pem"), as_dict=True)
    return {**private, "alg": alg}, {**public, "alg": alg}


@pytest.mark.parametrize("alg", RSA_ALGORITHMS)
@pytest.mark.parametrize("private_form", list(PRIVATE_FORMS))
@pytest.mark.parametrize("public_form", list(PUBLIC_FORMS))
def test_tokens_cross_both_ways(alg: str, private_form: str, public_form: str) -> None:
    private, public = PRIVATE_FORMS[private_form](), PUBLIC_FORMS[public_form]()
    payload = {"sub": "ferris", "aud": ["a", "b"], "n": 1}

    ours = ferrojwt.encode(payload, private, algorithm=alg, headers={"kid": "k"})
    assert pyjwt.decode(ours, public, algorithms=[alg], audience="a") == payload

    theirs = pyjwt.encode(payload, private, algorithm=alg, headers={"kid": "k"})
    assert ferrojwt.decode(theirs, public, algorithms=[alg], audience="b") == payload
    assert ferrojwt.get_unverified_header(theirs) == pyjwt.get_unverified_header(ours)


@pytest.mark.parametrize("alg", RSA_ALGORITHMS)
def test_jwk_keys_cross_both_ways(alg: str) -> None:
    private_jwk, public_jwk = jwk_pair(alg)
    ours = ferrojwt.encode({"a": 1}, ferrojwt.PyJWK(private_jwk))
    assert pyjwt.decode(ours, pyjwt.PyJWK(public_jwk)) == {"a": 1}
    theirs = pyjwt.encode({"a": 1}, pyjwt.PyJWK(private_jwk))
    assert ferrojwt.decode(theirs, ferrojwt.PyJWK(public_jwk)) == {"a": 1}
    # PyJWT's JWK export of our key is the key we loaded.
    from jwt.algorithms import RSAAlgorithm

    exported = json.loads(RSAAlgorithm.to_jwk(RSAAlgorithm.from_jwk(public_jwk)))
    assert exported["n"] == public_jwk["n"] and exported["e"] == public_jwk["e"]


def flip_last_signature_byte(token: str) -> str:
    head, body, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[-1] ^= 0x01
    return f"{head}.{body}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"


def replace_payload(token: str) -> str:
    head, _, signature = token.split(".")
    body = base64.urlsafe_b64encode(b'{"sub":"mallory"}').rstrip(b"=").decode()
    return f"{head}.{body}.{signature}"


def replace_header(token: str) -> str:
    _, body, signature = token.split(".")
    head = base64.urlsafe_b64encode(b'{"alg":"RS256","kid":"x"}').rstrip(b"=").decode()
    return f"{head}.{body}.{signature}"


TAMPERINGS: dict[str, Callable[[str], str]] = {
    "signature-bit": flip_last_signature_byte,
    "payload": replace_payload,
    "header": replace_header,
    "drop-signature": lambda t: t.rsplit(".", 1)[0] + ".",
    "extra-segment": lambda t: t + ".x",
    "missing-segment": lambda t: t.rsplit(".", 1)[0],
    "bad-base64": lambda t: "!" + t,
    "none-alg": lambda t: "eyJhbGciOiJub25lIn0." + t.split(".")[1] + ".",
    "hs256-with-public-key": lambda t: _hs256_confusion(t),
}


def _hs256_confusion(token: str) -> str:
    import hashlib
    import hmac

    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()
    body = token.split(".")[1]
    mac = hmac.new(read_key("rsa2048.pub.pem").encode(), f"{head}.{body}".encode(), hashlib.sha256)
    return f"{head}.{body}.{base64.urlsafe_b64encode(mac.digest()).rstrip(b'=').decode()}"


def error_class(module: Any, token: str, alg: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            module.decode(token, read_key("rsa2048.pub.pem"), algorithms=[alg])
        except Exception as error:  # noqa: BLE001 - the class is what is compared
            return type(error).__name__
    return "accepted"


@pytest.mark.parametrize("alg", RSA_ALGORITHMS)
@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_same_rejections_as_pyjwt(alg: str, tampering: str) -> None:
    token = pyjwt.encode({"sub": "ferris"}, read_key("rsa2048.pkcs8.pem"), algorithm=alg)
    bad = TAMPERINGS[tampering](token)
    ours, theirs = error_class(ferrojwt, bad, alg), error_class(pyjwt, bad, alg)
    assert ours != "accepted"
    assert ours == theirs


def test_hmac_tokens_cross_both_ways() -> None:
    for alg in ("HS256", "HS384", "HS512"):
        ours = ferrojwt.encode({"a": 1}, HMAC_SECRET, algorithm=alg)
        assert pyjwt.decode(ours, HMAC_SECRET, algorithms=[alg]) == {"a": 1}
        theirs = pyjwt.encode({"a": 1}, HMAC_SECRET, algorithm=alg)
        assert ferrojwt.decode(theirs, HMAC_SECRET, algorithms=[alg]) == {"a": 1}
