"""Key generation (RSA with the ``rsa`` crate, EC and Ed25519 with aws-lc-rs) and conversions
between PEM and JWK."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import _native
from .algorithms import prepare_curve_key, prepare_rsa_key


@dataclass(frozen=True)
class RSAKeyPair:
    """A generated key pair. ``private_pem`` is unencrypted PKCS#8: store it like a password."""

    private_pem: str = field(repr=False)
    public_pem: str
    public_jwk: dict[str, Any]

    def public_jwk_json(self) -> str:
        return json.dumps(self.public_jwk)


def generate_rsa_key(bits: int = 2048, kid: str | None = None, alg: str = "RS256") -> RSAKeyPair:
    """Generate an RSA key pair (exponent 65537) with the operating system's RNG.

    ``bits`` is 2048 to 8192. ``kid`` and ``alg`` go into the public JWK, ready to publish in a
    JWK Set. The GIL is released while the primes are searched for.
    """
    key = _native.generate_rsa_key(bits)
    jwk: dict[str, Any] = {"kty": "RSA", "use": "sig", "alg": alg}
    if kid is not None:
        jwk["kid"] = kid
    jwk.update(key.jwk_members()[:2])
    return RSAKeyPair(private_pem=key.private_pem(), public_pem=key.public_pem(), public_jwk=jwk)


def public_jwk_from_pem(pem: str | bytes, kid: str | None = None) -> dict[str, Any]:
    """The public JWK (``kty``, ``n``, ``e``) of a PEM or ``ssh-rsa`` key, private or public."""
    key = prepare_rsa_key(pem)
    jwk: dict[str, Any] = {"kty": "RSA"}
    if kid is not None:
        jwk["kid"] = kid
    jwk.update(key.jwk_members()[:2])
    return jwk


def public_pem_from_pem(pem: str | bytes) -> str:
    """The SubjectPublicKeyInfo PEM of a private (or public) RSA key."""
    return prepare_rsa_key(pem).public_pem()


def load_rsa_key(key: str | bytes | dict[str, Any]) -> _native.RsaKey:
    """Parse an RSA key once (PEM, ``ssh-rsa`` or JWK dict) into the object ``encode`` and
    ``decode`` use directly. Passing the PEM text each time is as fast (parsed keys are cached);
    this is for code that prefers to hold a key object, as with ``cryptography``."""
    return prepare_rsa_key(key)


@dataclass(frozen=True)
class ECKeyPair:
    """A generated EC or EdDSA key pair. ``private_pem`` is unencrypted PKCS#8: store it like a
    password."""

    private_pem: str = field(repr=False)
    public_pem: str
    public_jwk: dict[str, Any]

    def public_jwk_json(self) -> str:
        return json.dumps(self.public_jwk)


#: The curve each EC or EdDSA algorithm signs on.
_CURVE_FOR_ALGORITHM = {
    "ES256": "P-256",
    "ES384": "P-384",
    "ES512": "P-521",
    "ES256K": "secp256k1",
    "EdDSA": "Ed25519",
}


def generate_ec_key(alg: str = "ES256", kid: str | None = None) -> ECKeyPair:
    """Generate a key pair for ``alg``: ES256 (P-256), ES384 (P-384), ES512 (P-521), ES256K
    (secp256k1) or EdDSA (Ed25519), from AWS-LC's random generator.

    ``kid`` and ``alg`` go into the public JWK (``kty`` EC or OKP), ready to publish in a JWK Set.
    """
    try:
        crv = _CURVE_FOR_ALGORITHM[alg]
    except KeyError:
        raise ValueError(
            f"alg must be one of {', '.join(_CURVE_FOR_ALGORITHM)}, got {alg!r}"
        ) from None
    key = _native.generate_curve_key(crv)
    jwk: dict[str, Any] = {"kty": key.kty, "use": "sig", "alg": alg}
    if kid is not None:
        jwk["kid"] = kid
    jwk.update((name, value) for name, value in key.jwk_members() if name != "d")
    return ECKeyPair(private_pem=key.private_pem(), public_pem=key.public_pem(), public_jwk=jwk)


def load_curve_key(key: str | bytes | dict[str, Any]) -> _native.CurveKey:
    """Parse an EC or EdDSA key once (PEM, OpenSSH line or JWK dict) into the object ``encode``
    and ``decode`` use directly; like ``load_rsa_key``, for code that prefers a key object."""
    return prepare_curve_key(key)
