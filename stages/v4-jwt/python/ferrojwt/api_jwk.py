"""JSON Web Keys (RFC 7517): ``PyJWK`` and ``PyJWKSet`` with PyJWT's interface.

Key types: ``RSA``, ``oct`` (HMAC), ``EC`` (P-256, P-384, P-521, secp256k1) and ``OKP``
(Ed25519, Ed448). Members a set cannot use (unknown types, broken values) are skipped.
As in PyJWT, an Ed448 JWK needs an ``alg`` (or ``algorithm=``): only Ed25519 implies EdDSA.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from .algorithms import Algorithm, get_default_algorithms, has_crypto, parsed_key
from .algorithms import requires_cryptography as requires_cryptography
from .exceptions import (
    InvalidKeyError,
    MissingCryptographyError,
    PyJWKError,
    PyJWKSetError,
    PyJWTError,
)
from .types import JWKDict as JWKDict

_DEFAULT_ALG_FOR_KTY = {"RSA": "RS256", "oct": "HS256"}
_DEFAULT_ALG_FOR_EC_CRV = {
    "P-256": "ES256",
    "P-384": "ES384",
    "P-521": "ES512",
    "secp256k1": "ES256K",
}


def _naming(jwk_data: dict[str, Any]) -> str:
    """The members that name a JWK (``kty``, ``crv``, ``alg``, ``kid``), for an error message:
    never the whole key, whose private members (``d``, ``p``, ``k``...) must not reach a log."""
    return repr({name: jwk_data[name] for name in ("kty", "crv", "alg", "kid") if name in jwk_data})


def _default_algorithm(jwk_data: dict[str, Any], kty: Any) -> str:
    """The algorithm of a JWK without ``alg``: from its ``kty``, and its ``crv`` for EC and OKP
    keys (an EC key without ``crv`` is taken as P-256), as PyJWT decides."""
    crv = jwk_data.get("crv")
    # isinstance before each lookup: a list or dict there would raise TypeError, and a key set
    # skips only PyJWTError members.
    if kty == "EC":
        if not crv:
            return "ES256"
        if isinstance(crv, str) and crv in _DEFAULT_ALG_FOR_EC_CRV:
            return _DEFAULT_ALG_FOR_EC_CRV[crv]
        raise InvalidKeyError(f"Unsupported crv: {crv} in {_naming(jwk_data)}")
    if kty == "OKP":
        if not crv:
            raise InvalidKeyError(f"crv is not found: {_naming(jwk_data)}")
        if crv == "Ed25519":
            return "EdDSA"
        raise InvalidKeyError(f"Unsupported crv: {crv} in {_naming(jwk_data)}")
    if not isinstance(kty, str) or kty not in _DEFAULT_ALG_FOR_KTY:
        raise InvalidKeyError(f"Unsupported kty: {kty} in {_naming(jwk_data)}")
    return _DEFAULT_ALG_FOR_KTY[kty]


class PyJWK:
    """One JWK, bound to one algorithm (its ``alg`` member, or the default for its ``kty``)."""

    def __init__(self, jwk_data: dict[str, Any], algorithm: str | None = None) -> None:
        if not isinstance(jwk_data, dict):
            raise InvalidKeyError("A JWK must be a JSON object")
        self._jwk_data = jwk_data
        kty = jwk_data.get("kty")
        if not kty:
            raise InvalidKeyError(f"kty is not found: {_naming(jwk_data)}")
        if not algorithm:
            algorithm = jwk_data.get("alg")
        if not algorithm:
            algorithm = _default_algorithm(jwk_data, kty)
        # `has_crypto` as this module imported it, as in PyJWT (always true in ferrojwt).
        if not has_crypto and algorithm in requires_cryptography:
            raise MissingCryptographyError(f"{algorithm} requires 'cryptography' to be installed.")

        self.algorithm_name: str = algorithm
        try:
            self.Algorithm: Algorithm = get_default_algorithms()[algorithm]
        except (KeyError, TypeError):
            raise PyJWKError(f"Unable to find an algorithm for key: {_naming(jwk_data)}") from None
        try:
            self.key: Any = self.Algorithm.from_jwk(jwk_data)
        except (TypeError, ValueError) as error:
            raise InvalidKeyError(f"Unable to construct key from JWK: {error}") from error
        # The parsed key beside the object `key` holds, for the native fast path; `key` may be
        # replaced by the caller, and then the pair no longer applies.
        self._parsed: tuple[Any, Any] = (self.key, parsed_key(self.key))

    @staticmethod
    def from_dict(obj: dict[str, Any], algorithm: str | None = None) -> PyJWK:
        return PyJWK(obj, algorithm)

    @staticmethod
    def from_json(data: str, algorithm: str | None = None) -> PyJWK:
        """``json.loads``'s ``ValueError`` for text that is not JSON, as in PyJWT; JSON nested
        deeper than Python parses is an ``InvalidKeyError``."""
        try:
            obj = json.loads(data)
        except RecursionError:
            raise InvalidKeyError("The JWK is nested too deeply to parse") from None
        return PyJWK.from_dict(obj, algorithm)

    @property
    def key_type(self) -> str | None:
        return self._jwk_data.get("kty")

    @property
    def key_id(self) -> str | None:
        return self._jwk_data.get("kid")

    @property
    def public_key_use(self) -> str | None:
        return self._jwk_data.get("use")


class PyJWKSet:
    """A JWK Set; ``jwks[kid]`` finds a key by ``kid``."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.keys: list[PyJWK] = []
        if not keys:
            raise PyJWKSetError("The JWK Set did not contain any keys")
        if not isinstance(keys, list):
            raise PyJWKSetError("Invalid JWK Set value")
        for key in keys:
            if not isinstance(key, dict):
                continue
            try:
                self.keys.append(PyJWK(key))
            except MissingCryptographyError:
                raise
            except PyJWTError:
                # Unusable members (other key types, broken values) are skipped, as in PyJWT.
                continue
        if not self.keys:
            raise PyJWKSetError("The JWK Set did not contain any usable keys")

    @staticmethod
    def from_dict(obj: dict[str, Any]) -> PyJWKSet:
        return PyJWKSet(obj.get("keys", []))

    @staticmethod
    def from_json(data: str) -> PyJWKSet:
        """As ``PyJWK.from_json``; JSON nested too deeply is a ``PyJWKSetError``."""
        try:
            obj = json.loads(data)
        except RecursionError:
            raise PyJWKSetError("The JWK Set is nested too deeply to parse") from None
        return PyJWKSet.from_dict(obj)

    def __getitem__(self, kid: str) -> PyJWK:
        for key in self.keys:
            if key.key_id == kid:
                return key
        raise KeyError(f"keyset has no key for kid: {kid}")

    def __iter__(self) -> Iterator[PyJWK]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)


class PyJWTSetWithTimestamp:
    """A ``PyJWKSet`` and the ``time.monotonic()`` reading when it was stored (``JWKSetCache``)."""

    def __init__(self, jwk_set: PyJWKSet) -> None:
        self.jwk_set = jwk_set
        self.timestamp = time.monotonic()

    def get_jwk_set(self) -> PyJWKSet:
        return self.jwk_set

    def get_timestamp(self) -> float:
        return self.timestamp
