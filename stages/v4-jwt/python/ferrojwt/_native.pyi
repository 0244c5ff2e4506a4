# Types of the compiled module (src/bindings.rs), for type checkers and editors: they cannot read
# Rust. Internal: callers use the ferrojwt API. `make lint` runs mypy's stubtest to compare the two.

from collections.abc import Mapping
from typing import Any, Final, final

__all__ = [
    "MIN_RECOMMENDED_BITS",
    "CurveKey",
    "RsaKey",
    "__version__",
    "b64url_decode",
    "b64url_encode",
    "curve_key_from_jwk",
    "curve_sign",
    "curve_verify",
    "generate_curve_key",
    "generate_rsa_key",
    "hmac_sign",
    "hmac_verify",
    "is_der_key",
    "json_object",
    "load_curve_key",
    "load_rsa_key",
    "decode_jwt",
    "encode_jwt",
    "rsa_key_from_jwk",
    "rsa_sign",
    "rsa_verify",
    "verify_compact",
]

#: RSA keys below this size get InsecureKeyLengthWarning (or InvalidKeyError when enforced).
MIN_RECOMMENDED_BITS: Final[int]
#: The version in Cargo.toml when this module was compiled.
__version__: Final[str]

@final
class RsaKey:
    """A parsed RSA key kept ready for signing and verifying; immutable and thread-safe."""

    @property
    def key_size(self) -> int: ...
    @property
    def is_private(self) -> bool: ...
    def public_pem(self) -> str: ...
    def private_pem(self) -> str: ...
    def jwk_members(self) -> list[tuple[str, str]]: ...

def load_rsa_key(data: bytes) -> RsaKey:
    """Parse PEM (PKCS#1/PKCS#8 private, SPKI/PKCS#1 public) or an ``ssh-rsa`` line."""

def is_der_key(secret: bytes) -> bool:
    """Whether ``secret`` is the whole of a DER public key or X.509 certificate."""

def rsa_key_from_jwk(
    n: str,
    e: str,
    d: str | None = None,
    p: str | None = None,
    q: str | None = None,
    crt: tuple[str, str, str] | None = None,
) -> RsaKey:
    """Build a key from base64url JWK members; with ``d`` it is a private key, and ``crt``
    (``dp``, ``dq``, ``qi``) must match ``d``, ``p`` and ``q``."""

def generate_rsa_key(bits: int) -> RsaKey:
    """A new private key of ``bits`` bits (2048 to 8192), GIL released."""

def rsa_sign(algorithm: str, key: RsaKey, message: bytes) -> bytes:
    """RS256..PS512 signature of ``message``, GIL released."""

def rsa_verify(algorithm: str, key: RsaKey, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is valid for ``message``, GIL released."""

def verify_compact(
    token: bytes, allowed: list[str], key: RsaKey | CurveKey
) -> tuple[bytes, bytes, bytes] | None:
    """(header JSON, payload, signature) of a valid ordinary token, ``InvalidSignatureError``
    when only its signature is wrong, else ``None`` (the general path decides)."""

def decode_jwt(
    token: bytes,
    allowed: list[str],
    key: RsaKey | CurveKey,
    options: Mapping[str, Any],
    audience: object,
    issuer: object,
    subject: object,
    leeway: object,
    complete: bool,
) -> tuple[dict[str, Any] | bytes, bool, dict[str, Any] | None, bytes | None] | None:
    """``verify_compact`` plus the payload parsed and the claims checked when certain:
    ``(claims, checked, header, signature)`` (header and signature only when ``complete``)."""

def json_object(data: bytes) -> dict[str, Any] | None:
    """The dict ``json.loads(data)`` returns, built in Rust, or ``None`` where the ``json``
    module must decide (see ``src/bindings/json_object.rs``). For the tests."""

def encode_jwt(
    payload: dict[str, Any],
    algorithm: str,
    key: RsaKey | CurveKey,
    typ: object,
    headers: dict[str, Any] | None,
    sort_headers: bool,
) -> str | None:
    """The signed token, written as ``PyJWT.encode`` writes it, or ``None`` when its Python
    route must write it (see ``src/bindings/fast_encode.rs``)."""

@final
class CurveKey:
    """A parsed EC (P-256, P-384, P-521, secp256k1) or EdDSA (Ed25519, Ed448) key; immutable and
    thread-safe."""

    @property
    def curve(self) -> str:
        """The JWK ``crv``: ``P-256``, ``P-384``, ``P-521``, ``secp256k1``, ``Ed25519`` or
        ``Ed448``."""
    @property
    def kty(self) -> str:
        """The JWK ``kty``: ``EC`` or ``OKP``."""
    @property
    def key_size(self) -> int: ...
    @property
    def is_private(self) -> bool: ...
    def public_pem(self) -> str: ...
    def private_pem(self) -> str: ...
    def jwk_members(self) -> list[tuple[str, str]]: ...

def load_curve_key(data: bytes) -> CurveKey:
    """Parse PEM (SEC 1 or PKCS#8 private, SPKI public) or an ``ecdsa-sha2-*``/``ssh-ed25519``
    line."""

def curve_key_from_jwk(crv: str, x: str, y: str | None = None, d: str | None = None) -> CurveKey:
    """Build a key from base64url JWK members; with ``d`` it is a private key."""

def generate_curve_key(crv: str) -> CurveKey:
    """A new private key on the curve named by its JWK ``crv``."""

def curve_sign(algorithm: str, key: CurveKey, message: bytes) -> bytes:
    """ES256..ES512, ES256K or EdDSA signature (JOSE ``r || s`` for ECDSA), GIL released."""

def curve_verify(algorithm: str, key: CurveKey, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is valid for ``message``, GIL released."""

def hmac_sign(algorithm: str, secret: bytes, message: bytes) -> bytes:
    """HS256..HS512 MAC of ``message``."""

def hmac_verify(algorithm: str, secret: bytes, message: bytes, signature: bytes) -> bool:
    """Constant-time check of an HS256..HS512 MAC."""

def b64url_decode(segment: bytes, name: str) -> bytes:
    """Strict base64url (``DecodeError`` naming ``name`` on any non-canonical input)."""

def b64url_encode(data: bytes) -> bytes:
    """Unpadded base64url."""
