"""PyJWT's public helpers (``jwt.utils``): base64url, big-endian integers as JWK members, the
ECDSA signature forms, and the tests the HMAC-secret guard applies to key text.

They keep PyJWT's behaviour, which is more lenient than what ferrojwt accepts in a token:
``base64url_decode`` adds missing padding and, like ``base64.urlsafe_b64decode``, skips
characters outside the alphabet. Token segments are decoded strictly, in Rust, instead.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any

from ._key_objects import lazy_cryptography_names

__all__ = [
    "base64url_decode",
    "base64url_encode",
    "bytes_from_int",
    "bytes_to_number",
    "der_to_raw_signature",
    "force_bytes",
    "from_base64url_uint",
    "is_pem_format",
    "is_ssh_key",
    "number_to_bytes",
    "raw_to_der_signature",
    "to_base64url_uint",
]


def force_bytes(value: str | bytes) -> bytes:
    """``value`` as bytes (UTF-8 for text); ``TypeError`` for anything else."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError("Expected a string or bytes value")


def base64url_decode(input: str | bytes) -> bytes:  # noqa: A002 - PyJWT's parameter name
    """Decode base64url, padded or not."""
    data = force_bytes(input)
    return base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))


def base64url_encode(input: bytes) -> bytes:  # noqa: A002 - PyJWT's parameter name
    """Encode as base64url without padding (the JOSE form)."""
    return base64.urlsafe_b64encode(input).rstrip(b"=")


def bytes_from_int(val: int, *, bit_length: int | None = None) -> bytes:
    """``val`` big-endian in as few bytes as ``bit_length`` bits need (``val``'s own length by
    default, so 0 gives ``b""``). ``OverflowError`` if it does not fit."""
    bits = val.bit_length() if bit_length is None else bit_length
    return val.to_bytes((bits + 7) // 8, "big", signed=False)


def to_base64url_uint(val: int, *, bit_length: int | None = None) -> bytes:
    """A non-negative integer as a JWK member (``n``, ``e``, ``x``...): big-endian, base64url.

    ``bit_length`` pads to a fixed width, as EC coordinates require (RFC 7518 §6.2.1.2).
    """
    if val < 0:
        raise ValueError("Must be a positive integer")
    return base64url_encode(bytes_from_int(val, bit_length=bit_length) or b"\x00")


def from_base64url_uint(val: str | bytes) -> int:
    """The integer a JWK member encodes."""
    return int.from_bytes(base64url_decode(val), "big")


def number_to_bytes(num: int, num_bytes: int) -> bytes:
    """``num`` big-endian, left-padded with zeros to ``num_bytes`` bytes."""
    # Through hex, as PyJWT does, so a number too long for `num_bytes` gives the same result
    # (its own length when that is whole bytes, else binascii.Error).
    return binascii.a2b_hex(f"{num:0{2 * num_bytes}x}")


def bytes_to_number(string: bytes) -> int:
    """The big-endian unsigned integer in ``string`` (``ValueError`` when it is empty)."""
    if not string:
        raise ValueError("Cannot convert empty bytes to a number")
    return int.from_bytes(string, "big")


def _curve_bytes(curve: Any) -> int:
    return (int(curve.key_size) + 7) // 8


def der_to_raw_signature(der_sig: bytes, curve: Any) -> bytes:
    """An ECDSA signature in DER (what OpenSSL gives) as JOSE's ``r || s`` for ``curve`` (an
    object with ``key_size``, such as ``cryptography``'s ``ec.SECP256R1()``).

    Needs ``cryptography`` (its DER reader), as in PyJWT.
    """
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    size = _curve_bytes(curve)
    r, s = decode_dss_signature(der_sig)
    return number_to_bytes(r, size) + number_to_bytes(s, size)


def raw_to_der_signature(raw_sig: bytes, curve: Any) -> bytes:
    """JOSE's ``r || s`` as a DER ECDSA signature; ``ValueError`` if the length does not fit
    ``curve``. Needs ``cryptography``, as in PyJWT."""
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    size = _curve_bytes(curve)
    if len(raw_sig) != 2 * size:
        raise ValueError("Invalid signature")
    r, s = int.from_bytes(raw_sig[:size], "big"), int.from_bytes(raw_sig[size:], "big")
    return bytes(encode_dss_signature(r, s))


_SSH_KEY_PREFIXES = (
    b"ssh-ed25519",
    b"ssh-rsa",
    b"ssh-dss",
    b"ecdsa-sha2-nistp256",
    b"ecdsa-sha2-nistp384",
    b"ecdsa-sha2-nistp521",
)


def is_ssh_key(key: bytes) -> bool:
    """Whether ``key`` starts like an OpenSSH public key line (as ``cryptography`` reads one:
    nothing before the key type)."""
    return key.startswith(_SSH_KEY_PREFIXES)


#: The PEM labels PyJWT counts as key material (the ``pem`` package's list).
_PEM_LABELS = (
    b"CERTIFICATE",
    b"TRUSTED CERTIFICATE",
    b"PRIVATE KEY",
    b"PUBLIC KEY",
    b"ENCRYPTED PRIVATE KEY",
    b"OPENSSH PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"RSA PUBLIC KEY",
    b"EC PRIVATE KEY",
    b"DH PARAMETERS",
    b"NEW CERTIFICATE REQUEST",
    b"CERTIFICATE REQUEST",
    b"SSH2 PUBLIC KEY",
    b"SSH2 ENCRYPTED PRIVATE KEY",
    b"X509 CRL",
)
# A BEGIN or END line of one of them, in the dash-or-space variants a loader still reads; the
# lookahead finds markers that overlap ("-----END X----BEGIN Y-----").
_PEM_MARKER = re.compile(rb"(?=(----[- ](BEGIN|END) (" + b"|".join(_PEM_LABELS) + rb")[- ]----))")


def is_pem_format(key: bytes) -> bool:
    """Whether ``key`` holds a PEM block: an END marker after a BEGIN marker of the same
    label, ending before it (the HMAC guard refuses such text; PyJWT's rule)."""
    begun_at: dict[bytes, int] = {}  # label -> where its latest BEGIN marker ends
    for marker in _PEM_MARKER.finditer(key):
        text, kind, label = marker.group(1, 2, 3)
        start = marker.start(1)
        if kind == b"BEGIN":
            begun_at[label] = start + len(text)
        elif begun_at.get(label, start) < start:
            return True
    return False


if not TYPE_CHECKING:
    # `encode_dss_signature`, `decode_dss_signature` and `EllipticCurve`, which PyJWT's utils
    # imports from `cryptography`: imported when first asked for.
    __getattr__ = lazy_cryptography_names(
        __name__,
        globals(),
        {
            "encode_dss_signature": "cryptography.hazmat.primitives.asymmetric.utils",
            "decode_dss_signature": "cryptography.hazmat.primitives.asymmetric.utils",
            "EllipticCurve": "cryptography.hazmat.primitives.asymmetric.ec",
        },
    )
