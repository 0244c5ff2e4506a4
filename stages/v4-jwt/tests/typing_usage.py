"""Checked by `mypy --strict` in `make lint`: the package's types, as a caller sees them."""

from __future__ import annotations

import ssl
from typing import Any

import ferrojwt
import ferrojwt.types
from ferrojwt import _native, utils
from ferrojwt.algorithms import NoneAlgorithm
from ferrojwt.jwk_set_cache import JWKSetCache


def issue(private_pem: str) -> str:
    return ferrojwt.encode({"sub": "ferris"}, private_pem, algorithm="RS256", headers={"kid": "1"})


def verify(token: str, public_pem: str) -> dict[str, Any]:
    try:
        return ferrojwt.decode(token, public_pem, algorithms=["RS256"], audience="api", leeway=5)
    except ferrojwt.ExpiredSignatureError:
        return {}


def native(pem: bytes) -> tuple[int, bool, bytes]:
    key = _native.load_rsa_key(pem)
    signature: bytes = _native.rsa_sign("RS256", key, b"message")
    ok: bool = _native.rsa_verify("RS256", key, b"message", signature)
    return key.key_size, ok, signature


def new_key() -> str:
    pair: ferrojwt.RSAKeyPair = ferrojwt.generate_rsa_key(2048, kid="k1")
    jwk: dict[str, Any] = pair.public_jwk
    return pair.public_pem + str(jwk)


def unverified_claims(token: str) -> dict[str, Any]:
    options: ferrojwt.types.Options = {"verify_signature": False, "require": ["sub"]}
    return ferrojwt.decode(token, options=options)


def misspelled_option(token: str) -> bool:
    # A misspelled option is a type error, as with PyJWT (strict mypy reports an ignore that
    # is not needed, so this line proves the error is there).
    ferrojwt.decode(token, options={"verfy_exp": False})  # type: ignore[arg-type]
    # The defaults an instance holds are typed too.
    return ferrojwt.PyJWT().options["verify_exp"] and ferrojwt.PyJWS().options["verify_signature"]


def with_jwks(token: str, url: str, context: ssl.SSLContext) -> dict[str, Any]:
    client = ferrojwt.PyJWKClient(url, cache_keys=True, lifespan=60, ssl_context=context)
    signing_key: ferrojwt.PyJWK = client.get_signing_key_from_jwt(token)
    found: ferrojwt.PyJWK | None = client.match_kid(client.get_signing_keys(), "k1")
    cache: JWKSetCache | None = client.jwk_set_cache
    assert found is not None and cache is not None
    return ferrojwt.decode(token, signing_key, audience="api")


def helpers(value: int) -> tuple[bytes, int, bytes]:
    encoded: bytes = utils.to_base64url_uint(value)
    NoneAlgorithm().prepare_key(None)
    return encoded, utils.from_base64url_uint(encoded), utils.base64url_decode("AQAB")
