"""Checked by `mypy --strict` in `make lint`: the package's types, as a caller sees them."""

from __future__ import annotations

from typing import Any

import ferrojwt
from ferrojwt import _native


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
