"""ferrojwt: JSON Web Tokens with a Rust core, usable as ``import ferrojwt as jwt`` in code
written for PyJWT 2.x.

RS256/384/512, PS256/384/512, ES256/384/512, ES256K, EdDSA (Ed25519, Ed448) and
HS256/384/512. Signing and verifying run in Rust (aws-lc-rs, and ed448-goldilocks for Ed448)
with the GIL released; parsed keys are cached; a token naming ``none`` never verifies.
``PyJWKClient`` fetches an identity provider's signing keys (a JWK Set) over HTTPS.
"""

from __future__ import annotations

from . import utils as utils  # reachable as ferrojwt.utils after `import ferrojwt`, as in PyJWT

# ferrojwt's own version is written once, in Cargo.toml: maturin copies it into the wheel's
# metadata, and the compiled module carries it (env!("CARGO_PKG_VERSION")), the version of the
# Rust code actually loaded, even where no .dist-info exists (vendored copies).
from ._native import __version__ as ferrojwt_version
from .api_jwk import PyJWK, PyJWKSet
from .api_jws import (
    PyJWS,
    get_algorithm_by_name,
    get_unverified_header,
    register_algorithm,
    unregister_algorithm,
)
from .api_jwt import PyJWT, decode, decode_complete, encode
from .exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidSubjectError,
    InvalidTokenError,
    MissingCryptographyError,
    MissingRequiredClaimError,
    PyJWKClientConnectionError,
    PyJWKClientError,
    PyJWKError,
    PyJWKSetError,
    PyJWTError,
)
from .jwks_client import PyJWKClient
from .keys import ECKeyPair, RSAKeyPair, generate_ec_key, generate_rsa_key
from .warnings import InsecureKeyLengthWarning

#: The PyJWT release whose API this one implements. Code written for PyJWT reads `__version__`
#: to choose between PyJWT 1.x and 2.x behaviour (`jwt.__version__.startswith("1.")`, a
#: version comparison), so it gets the answer that takes the 2.x branch, which is ferrojwt's
#: behaviour. ferrojwt's own version is `ferrojwt_version` (and the package metadata's).
__version__ = "2.15.1"

__all__ = [
    "ferrojwt_version",
    "PyJWS",
    "PyJWT",
    "PyJWKClient",
    "PyJWK",
    "PyJWKSet",
    "decode",
    "decode_complete",
    "encode",
    "get_unverified_header",
    "register_algorithm",
    "unregister_algorithm",
    "get_algorithm_by_name",
    "generate_rsa_key",
    "RSAKeyPair",
    "generate_ec_key",
    "ECKeyPair",
    "InsecureKeyLengthWarning",
    "DecodeError",
    "ExpiredSignatureError",
    "ImmatureSignatureError",
    "InvalidAlgorithmError",
    "InvalidAudienceError",
    "InvalidIssuedAtError",
    "InvalidIssuerError",
    "InvalidJTIError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidSubjectError",
    "InvalidTokenError",
    "MissingCryptographyError",
    "MissingRequiredClaimError",
    "PyJWKClientConnectionError",
    "PyJWKClientError",
    "PyJWKError",
    "PyJWKSetError",
    "PyJWTError",
]
