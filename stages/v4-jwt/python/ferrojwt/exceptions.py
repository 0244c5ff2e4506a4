"""The exception hierarchy, with PyJWT's names, so ``except jwt.InvalidTokenError`` keeps working.

Every error the Rust core reports arrives as one of these (the binding layer looks the classes
up here), so a user never sees a Rust type name or a ``PanicException``.

    PyJWTError
    ├── InvalidTokenError
    │   ├── DecodeError
    │   │   └── InvalidSignatureError
    │   ├── ExpiredSignatureError, ImmatureSignatureError
    │   ├── InvalidAudienceError, InvalidIssuerError, InvalidIssuedAtError
    │   ├── InvalidSubjectError, InvalidJTIError, InvalidAlgorithmError
    │   └── MissingRequiredClaimError
    ├── InvalidKeyError
    ├── PyJWKError ── MissingCryptographyError
    ├── PyJWKSetError
    └── PyJWKClientError ── PyJWKClientConnectionError
"""

from __future__ import annotations


class PyJWTError(Exception):
    """Base class of every ferrojwt error."""


class InvalidTokenError(PyJWTError):
    """The token was rejected by ``decode()``."""


class DecodeError(InvalidTokenError):
    """The token is malformed: segments, base64, JSON or a claim of the wrong type."""


class InvalidSignatureError(DecodeError):
    """The signature does not match the token and key."""


class ExpiredSignatureError(InvalidTokenError):
    """The ``exp`` claim is in the past (beyond ``leeway``)."""


class InvalidAudienceError(InvalidTokenError):
    """The ``aud`` claim does not match the expected audience."""


class InvalidIssuerError(InvalidTokenError):
    """The ``iss`` claim does not match the expected issuer."""


class InvalidIssuedAtError(InvalidTokenError):
    """The ``iat`` claim is not a number."""


class ImmatureSignatureError(InvalidTokenError):
    """The ``nbf`` or ``iat`` claim is in the future (beyond ``leeway``)."""


class InvalidKeyError(PyJWTError):
    """The key cannot be used: unparsable, wrong type for the algorithm, or too small."""


class InvalidAlgorithmError(InvalidTokenError):
    """The algorithm is not allowed, not supported (``none`` never is), or not the key's."""


class MissingRequiredClaimError(InvalidTokenError):
    """A claim listed in ``options["require"]`` (or needed for a check) is absent."""

    def __init__(self, claim: str) -> None:
        super().__init__(claim)
        self.claim = claim

    def __str__(self) -> str:
        return f'Token is missing the "{self.claim}" claim'


class InvalidSubjectError(InvalidTokenError):
    """The ``sub`` claim is not a string or not the expected subject."""


class InvalidJTIError(InvalidTokenError):
    """The ``jti`` claim is not a string."""


class PyJWKError(PyJWTError):
    """A JWK cannot be turned into a key."""


class MissingCryptographyError(PyJWKError):
    """Kept for PyJWT compatibility; ferrojwt never needs ``cryptography``."""


class PyJWKSetError(PyJWTError):
    """A JWK Set is empty or holds no usable key."""


class PyJWKClientError(PyJWTError):
    """``PyJWKClient`` cannot provide the key: bad settings, an unusable answer, no such ``kid``."""


class PyJWKClientConnectionError(PyJWKClientError):
    """``PyJWKClient`` could not download the JWK Set (network, TLS, timeout, HTTP status)."""
