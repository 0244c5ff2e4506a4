"""PyJWT's public helpers (``jwt.utils``): base64url, big-endian integers as JWK members, and the
ECDSA signature forms.

They keep PyJWT's behaviour, which is more lenient than what ferrojwt accepts in a token:
``base64url_decode`` adds missing padding and, like ``base64.urlsafe_b64decode``, skips
characters outside the alphabet. Token segments are decoded strictly, in Rust, instead.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from .algorithms import force_bytes as force_bytes
from .algorithms import is_pem_format as is_pem_format

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
    """Whether ``key`` starts like an OpenSSH public key line."""
    return key.startswith(_SSH_KEY_PREFIXES)
