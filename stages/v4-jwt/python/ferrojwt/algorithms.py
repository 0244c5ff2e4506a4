"""Algorithm objects with PyJWT's interface: ``prepare_key``, ``sign``, ``verify``, ``to_jwk``,
``from_jwk`` and ``check_key_length``.

The work happens in Rust (``ferrojwt._native``); this module decides which key forms are
acceptable for which algorithm, and caches parsed keys. The cache is what makes passing the same
PEM string on every call as cheap as passing a key object: PyJWT re-parses and re-validates the
PEM each time, which costs far more than the RSA operation itself.

Keys handed back to callers are what PyJWT hands back: ``cryptography`` key objects when that
package is installed (``_key_objects``), the parsed keys otherwise. ``encode`` and ``decode``
never make one: they take the parsed key (``prepared_for``).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from . import _key_objects, _native
from ._key_objects import curve_objects, handed_out, is_cryptography_key, key_object, rsa_objects
from .exceptions import InvalidKeyError
from .types import HashlibHash as HashlibHash
from .types import JWKDict as JWKDict
from .utils import base64url_decode as base64url_decode
from .utils import base64url_encode as base64url_encode
from .utils import der_to_raw_signature as der_to_raw_signature
from .utils import force_bytes as force_bytes
from .utils import from_base64url_uint as from_base64url_uint
from .utils import is_pem_format as is_pem_format
from .utils import is_ssh_key as is_ssh_key
from .utils import raw_to_der_signature as raw_to_der_signature
from .utils import to_base64url_uint as to_base64url_uint

RsaKey = _native.RsaKey
CurveKey = _native.CurveKey
AllowedRSAKeys = RsaKey | str | bytes | JWKDict | Any
AllowedECKeys = CurveKey | str | bytes | JWKDict | Any
AllowedOKPKeys = CurveKey | str | bytes | JWKDict | Any
AllowedKeys = AllowedRSAKeys | AllowedECKeys | AllowedOKPKeys
AllowedPrivateKeys = AllowedKeys
AllowedPublicKeys = AllowedKeys
HashFunction = Callable[..., Any]

#: Whether the algorithms of ``requires_cryptography`` are available: always, in ferrojwt,
#: which implements them in Rust. Read when it is used, as PyJWT reads it: set it to ``False``
#: (as tests of code written for PyJWT do, to play an installation without ``cryptography``)
#: and ``get_default_algorithms()`` leaves them out.
has_crypto = True
#: The algorithms PyJWT implements with ``cryptography``: every one but ``none`` and HS*.
requires_cryptography = {
    "RS256",
    "RS384",
    "RS512",
    "ES256",
    "ES256K",
    "ES384",
    "ES521",
    "ES512",
    "PS256",
    "PS384",
    "PS512",
    "EdDSA",
}

_KEY_CACHE_SIZE = _key_objects.CACHE_SIZE


class Algorithm(ABC):
    """Interface shared by all algorithms (same method names as PyJWT's)."""

    #: The JOSE name this object implements, e.g. ``"RS256"``.
    name: str
    #: The ``cryptography`` key classes ``check_crypto_key_type`` accepts (module, class).
    _crypto_key_types: ClassVar[tuple[tuple[str, str], ...] | None] = None

    @abstractmethod
    def prepare_key(self, key: Any) -> Any:
        """Validate ``key`` and return the form ``sign`` and ``verify`` use."""

    @abstractmethod
    def sign(self, msg: bytes, key: Any) -> bytes:
        """Return the signature of ``msg``."""

    @abstractmethod
    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        """Return whether ``sig`` is a valid signature of ``msg``."""

    @staticmethod
    @abstractmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Any:
        """Serialize a key as a JWK (a JSON string, or a dict with ``as_dict=True``)."""

    @staticmethod
    @abstractmethod
    def from_jwk(jwk: str | JWKDict) -> Any:
        """Load a key from a JWK (JSON string or dict)."""

    def check_key_length(self, key: Any) -> str | None:
        """Return a warning message if ``key`` is shorter than recommended, else ``None``."""
        return None

    def compute_hash_digest(self, bytestr: bytes) -> bytes:
        hash_alg: Any = getattr(self, "hash_alg", None)
        if hash_alg is None:
            raise NotImplementedError
        if isinstance(hash_alg, type):  # a `cryptography` hash class, as PyJWT's SHA256
            return hashlib.new(hash_alg().name, bytestr).digest()
        return bytes(hash_alg(bytestr).digest())

    def check_crypto_key_type(self, key: Any) -> None:
        """``InvalidKeyError`` unless ``key`` is a ``cryptography`` key of this algorithm's
        family; ``ValueError`` for an algorithm without one, or without ``cryptography``."""
        if (
            not has_crypto
            or self._crypto_key_types is None
            or not _key_objects.cryptography_available()
        ):
            raise ValueError(
                "This method requires the cryptography library, and should only be used by"
                " cryptography-based algorithms."
            )
        classes = tuple(
            getattr(importlib.import_module(module), name)
            for module, name in self._crypto_key_types
        )
        if not isinstance(key, classes):
            raise InvalidKeyError(
                f"Expected one of {', '.join(cls.__name__ for cls in classes)}, got:"
                f" {type(key).__name__}. Invalid Key type for {type(self).__name__}"
            )


def _load_jwk_object(jwk: str | JWKDict) -> JWKDict:
    try:
        if isinstance(jwk, str):
            obj = json.loads(jwk)
        elif isinstance(jwk, dict):
            obj = jwk
        else:
            raise ValueError
    except (ValueError, RecursionError):
        raise InvalidKeyError("Key is not valid JSON") from None
    if not isinstance(obj, dict):
        raise InvalidKeyError("Key is not valid JSON")
    return obj


# --- none -----------------------------------------------------------------------------------


class NoneAlgorithm(Algorithm):
    """``alg: none``, as in PyJWT: it signs with an empty signature (an unsigned token, made
    only when asked for by name) and never verifies one: ``verify`` is always ``False``, and
    ``PyJWS`` refuses a token whose ``alg`` is ``none`` whatever algorithm is registered
    under that name.

    ``prepare_key`` takes only ``None`` (or ``""``, read as ``None``).
    """

    name = "none"

    def prepare_key(self, key: str | None) -> None:
        if key == "":
            key = None
        if key is not None:
            raise InvalidKeyError('When alg = "none", key value must be None.')
        return key

    def sign(self, msg: bytes, key: None) -> bytes:
        return b""

    def verify(self, msg: bytes, key: None, sig: bytes) -> bool:
        return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> NoReturn:
        raise NotImplementedError()

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> NoReturn:
        raise NotImplementedError()


# --- HMAC -----------------------------------------------------------------------------------

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_MEMBER_COLON = re.compile(r"[ \t\r\n]*:")


def _names_a_kty_member(text: str) -> bool:
    """Whether the JSON-like ``text``, read string by string from the start, has a member
    named ``kty`` (a string, escapes allowed, then a colon). An unterminated string ends it."""
    start = text.find('"')
    while start != -1:
        string = _JSON_STRING.match(text, start)
        if string is None:
            return False
        if _MEMBER_COLON.match(text, string.end()):
            try:
                if json.loads(string.group()) == "kty":
                    return True
            except ValueError:
                pass
        start = text.find('"', string.end())
    return False


def _contains_jwk_member(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if "kty" in item:
                return True
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _looks_like_a_jwk(secret: bytes) -> bool:
    """PyJWT's test: JSON (in any encoding ``json`` detects) holding an object with a ``kty``
    member. JSON too deep for Python's parser counts when it is an object, or an array with a
    ``kty`` member somewhere."""
    try:
        return _contains_jwk_member(json.loads(secret, parse_int=lambda _: 0))
    except RecursionError:
        try:
            text = secret.decode(json.detect_encoding(secret), errors="surrogatepass")
        except UnicodeError:
            text = ""
        start = text.lstrip("\ufeff \t\r\n")[:1]
        return start == "{" or (start == "[" and _names_a_kty_member(text))
    except ValueError:
        return False


@lru_cache(maxsize=_KEY_CACHE_SIZE)
def _prepare_hmac_secret(key: str | bytes) -> bytes:
    secret = force_bytes(key)
    if not secret:
        raise InvalidKeyError("HMAC key must not be empty.")
    # Algorithm confusion: if a verifier configured with a public key lets the token pick
    # HS256, the attacker signs with the (public) key text as the HMAC secret. Key material is
    # therefore refused outright, as PyJWT refuses it: a PEM block, an OpenSSH line, a DER public
    # key or certificate. Every text ferrojwt's loaders read as a key is among them.
    if is_pem_format(secret) or is_ssh_key(secret) or _native.is_der_key(secret):
        raise InvalidKeyError(
            "The specified key is an asymmetric key or x509 certificate and"
            " should not be used as an HMAC secret."
        )
    if _looks_like_a_jwk(secret):
        raise InvalidKeyError(
            "The specified key looks like a JWK and should not be used directly as an HMAC"
            " secret. Load it via PyJWK / HMACAlgorithm.from_jwk first."
        )
    return secret


class HMACAlgorithm(Algorithm):
    """HS256/HS384/HS512: HMAC with SHA-2 (``jsonwebtoken`` on aws-lc-rs)."""

    SHA256: ClassVar[HashFunction] = hashlib.sha256
    SHA384: ClassVar[HashFunction] = hashlib.sha384
    SHA512: ClassVar[HashFunction] = hashlib.sha512
    _NAMES: ClassVar[dict[HashFunction, str]] = {
        hashlib.sha256: "HS256",
        hashlib.sha384: "HS384",
        hashlib.sha512: "HS512",
    }

    def __init__(self, hash_alg: HashFunction) -> None:
        self.hash_alg = hash_alg
        self.name = self._NAMES[hash_alg]

    def prepare_key(self, key: str | bytes) -> bytes:
        if not isinstance(key, (str, bytes)):
            force_bytes(key)  # PyJWT's TypeError
        return _prepare_hmac_secret(key)

    def check_key_length(self, key: bytes) -> str | None:
        minimum = self.hash_alg().digest_size
        if len(key) < minimum:
            return (
                f"The HMAC key is {len(key)} bytes long, which is below the minimum"
                f" recommended length of {minimum} bytes for {self.hash_alg().name.upper()}."
                " See RFC 7518 Section 3.2."
            )
        return None

    def sign(self, msg: bytes, key: bytes) -> bytes:
        return _native.hmac_sign(self.name, key, msg)

    def verify(self, msg: bytes, key: bytes, sig: bytes) -> bool:
        return _native.hmac_verify(self.name, key, msg, sig)

    @staticmethod
    def to_jwk(key_obj: str | bytes, as_dict: bool = False) -> Any:
        jwk = {"k": _native.b64url_encode(force_bytes(key_obj)).decode(), "kty": "oct"}
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> bytes:
        obj = _load_jwk_object(jwk)
        if obj.get("kty") != "oct":
            raise InvalidKeyError("Not an HMAC key")
        k = obj.get("k")
        if not isinstance(k, str):
            raise InvalidKeyError("HMAC JWK has no 'k' member")
        try:
            secret = _native.b64url_decode(k.rstrip("=").encode(), "k")
        except Exception as error:
            raise InvalidKeyError("HMAC JWK member 'k' is not base64url") from error
        if not secret:
            raise InvalidKeyError("HMAC key must not be empty.")
        return secret


# --- RSA ------------------------------------------------------------------------------------


@lru_cache(maxsize=_KEY_CACHE_SIZE)
def _load_rsa_text(key: str | bytes) -> RsaKey:
    # Keyed by the PEM text itself (str hashes are cached by CPython), so a hit costs one dict
    # lookup. The cache is bounded: at most _KEY_CACHE_SIZE parsed keys stay alive.
    return _native.load_rsa_key(force_bytes(key))


def prepare_rsa_key(key: AllowedRSAKeys) -> RsaKey:
    """The parsed form of any RSA key PyJWT accepts (cached), or ``InvalidKeyError``."""
    if type(key) is RsaKey:
        return key
    if isinstance(key, (str, bytes)):
        return _load_rsa_text(key)
    if isinstance(key, dict):
        return _rsa_key_from_jwk(_load_jwk_object(key))
    if is_cryptography_key(key):
        return rsa_objects.get(key)
    raise TypeError("Expecting a PEM-formatted key.")


def _rsa_key_from_jwk(obj: JWKDict) -> RsaKey:
    if obj.get("kty") != "RSA":
        raise InvalidKeyError("Not an RSA key")
    n, e = obj.get("n"), obj.get("e")
    if not isinstance(n, str) or not isinstance(e, str):
        raise InvalidKeyError("Not a public or private key")
    if "d" not in obj:
        return _native.rsa_key_from_jwk(n, e)
    if "oth" in obj:
        raise InvalidKeyError("Unsupported RSA private key: > 2 primes not supported")
    crt_names = ("p", "q", "dp", "dq", "qi")
    present = [name in obj for name in crt_names]
    if any(present) and not all(present):
        raise InvalidKeyError("RSA key must include all parameters if any are present besides d")
    d, crt = obj["d"], [obj[name] for name in crt_names if name in obj]
    if not isinstance(d, str) or not all(isinstance(value, str) for value in crt):
        raise InvalidKeyError("RSA JWK members must be strings")
    if not crt:
        return _native.rsa_key_from_jwk(n, e, d)
    p, q, dp, dq, qi = crt
    return _native.rsa_key_from_jwk(n, e, d, p, q, (dp, dq, qi))


class RSAAlgorithm(Algorithm):
    """RS256/RS384/RS512: RSASSA-PKCS1-v1_5 with SHA-2."""

    SHA256: ClassVar[HashFunction] = hashlib.sha256
    SHA384: ClassVar[HashFunction] = hashlib.sha384
    SHA512: ClassVar[HashFunction] = hashlib.sha512
    _MIN_KEY_SIZE: ClassVar[int] = _native.MIN_RECOMMENDED_BITS
    _PREFIX: ClassVar[str] = "RS"
    _crypto_key_types = (
        ("cryptography.hazmat.primitives.asymmetric.rsa", "RSAPrivateKey"),
        ("cryptography.hazmat.primitives.asymmetric.rsa", "RSAPublicKey"),
    )

    def __init__(self, hash_alg: HashFunction) -> None:
        self.hash_alg = hash_alg
        self.name = f"{self._PREFIX}{hash_alg().digest_size * 8}"

    def prepare_key(self, key: AllowedRSAKeys) -> Any:
        """The key as PyJWT gives it back: a ``cryptography`` RSA key object (or, without
        ``cryptography``, or when given one, ferrojwt's parsed ``RsaKey``)."""
        return handed_out(key, self._prepare(key))

    def _prepare(self, key: AllowedRSAKeys) -> RsaKey:
        return prepare_rsa_key(key)

    def check_key_length(self, key: Any) -> str | None:
        if key.key_size < self._MIN_KEY_SIZE:
            return (
                f"The RSA key is {key.key_size} bits long, which is below the minimum"
                f" recommended size of {self._MIN_KEY_SIZE} bits. See NIST SP 800-131A."
            )
        return None

    def sign(self, msg: bytes, key: Any) -> bytes:
        return _native.rsa_sign(self.name, key if type(key) is RsaKey else self._prepare(key), msg)

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        parsed = key if type(key) is RsaKey else self._prepare(key)
        return _native.rsa_verify(self.name, parsed, msg, sig)

    @staticmethod
    def to_jwk(key_obj: AllowedRSAKeys, as_dict: bool = False) -> Any:
        key = prepare_rsa_key(key_obj)
        jwk: JWKDict = {"kty": "RSA", "key_ops": ["sign" if key.is_private else "verify"]}
        jwk.update(key.jwk_members())
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> Any:
        return key_object(_rsa_key_from_jwk(_load_jwk_object(jwk)))


class RSAPSSAlgorithm(RSAAlgorithm):
    """PS256/PS384/PS512: RSASSA-PSS with MGF1 and a salt as long as the digest."""

    _PREFIX: ClassVar[str] = "PS"


# --- EC and EdDSA ---------------------------------------------------------------------------

# The SEC 2 names `cryptography` gives its curve classes (`SECP256R1.name`), for the
# `expected_curve` argument PyJWT's ECAlgorithm takes, and the JWK `crv` each one is.
_JWK_CURVE_FOR_SEC_NAME = {
    "secp256r1": "P-256",
    "secp384r1": "P-384",
    "secp521r1": "P-521",
    "secp256k1": "secp256k1",
}


@lru_cache(maxsize=_KEY_CACHE_SIZE)
def _load_curve_text(key: str | bytes) -> CurveKey:
    return _native.load_curve_key(force_bytes(key))


def prepare_curve_key(key: Any) -> CurveKey:
    """The parsed form of any EC or EdDSA key (cached): PEM, OpenSSH line, JWK dict or
    ``cryptography`` object. Which curve the algorithm needs is the caller's check."""
    if type(key) is CurveKey:
        return key
    if isinstance(key, (str, bytes)):
        return _load_curve_text(key)
    if isinstance(key, dict):
        obj = _load_jwk_object(key)
        return _okp_key_from_jwk(obj) if obj.get("kty") == "OKP" else _ec_key_from_jwk(obj)
    if is_cryptography_key(key):
        return curve_objects.get(key)
    raise TypeError("Expecting a PEM-formatted key.")


def _jwk_of(key: CurveKey, order: tuple[str, ...], as_dict: bool) -> Any:
    members = dict(key.jwk_members())
    members["kty"] = key.kty
    jwk = {name: members[name] for name in order if name in members}
    return jwk if as_dict else json.dumps(jwk)


def _sec_name(crv: str) -> str:
    for sec_name, jwk_name in _JWK_CURVE_FOR_SEC_NAME.items():
        if jwk_name == crv:
            return sec_name
    return crv.lower()


def _ec_key_from_jwk(obj: JWKDict) -> CurveKey:
    if obj.get("kty") != "EC":
        raise InvalidKeyError("Not an Elliptic curve key")
    x, y, crv = obj.get("x"), obj.get("y"), obj.get("crv")
    if not isinstance(x, str) or not isinstance(y, str):
        raise InvalidKeyError("Not an Elliptic curve key")
    if not isinstance(crv, str) or crv not in _key_objects._CURVE_CLASSES:
        raise InvalidKeyError(f"Invalid curve: {crv}")
    d = obj.get("d")
    # Present means private: a null or non-string `d` is a broken private key, not a public one.
    if "d" in obj and not isinstance(d, str):
        raise InvalidKeyError("EC JWK member 'd' must be a string")
    return _native.curve_key_from_jwk(crv, x, y, d)


def _okp_key_from_jwk(obj: JWKDict) -> CurveKey:
    if obj.get("kty") != "OKP":
        raise InvalidKeyError("Not an Octet Key Pair")
    crv = obj.get("crv")
    if crv != "Ed25519" and crv != "Ed448":
        raise InvalidKeyError(f"Invalid curve: {crv}")
    if "x" not in obj:
        raise InvalidKeyError('OKP should have "x" parameter')
    x, d = obj.get("x"), obj.get("d")
    if not isinstance(x, str) or ("d" in obj and not isinstance(d, str)):
        raise InvalidKeyError("Invalid key parameter")
    return _native.curve_key_from_jwk(crv, x, None, d)


class ECAlgorithm(Algorithm):
    """ES256/ES384/ES512 (and ES256K): ECDSA with SHA-2, signatures in JOSE's ``r || s`` form
    (a DER signature does not verify).

    As in PyJWT, ``expected_curve`` (a ``cryptography`` curve class such as ``SECP256R1``, or a
    JWK ``crv`` string) binds the algorithm to one curve and a key on another curve is refused;
    without it, a key on any curve is accepted. A key signs and verifies only with the hash
    its JOSE algorithm names (SHA-256 on P-256 and secp256k1, SHA-384 on P-384, SHA-512 on
    P-521): another pairing, which no JWT algorithm uses, raises ``InvalidKeyError``.
    """

    SHA256: ClassVar[HashFunction] = hashlib.sha256
    SHA384: ClassVar[HashFunction] = hashlib.sha384
    SHA512: ClassVar[HashFunction] = hashlib.sha512
    #: The JOSE name of each curve's algorithm and the digest size (bytes) it signs with.
    _ALGORITHM_FOR_CURVE: ClassVar[dict[str, tuple[str, int]]] = {
        "P-256": ("ES256", 32),
        "P-384": ("ES384", 48),
        "P-521": ("ES512", 64),
        "secp256k1": ("ES256K", 32),
    }
    _NAME_FOR_DIGEST_SIZE: ClassVar[dict[int, str]] = {32: "ES256", 48: "ES384", 64: "ES512"}
    #: The JWK ``crv`` of the expected curve, or ``None`` when any curve is accepted.
    curve: str | None
    _crypto_key_types = (
        ("cryptography.hazmat.primitives.asymmetric.ec", "EllipticCurvePrivateKey"),
        ("cryptography.hazmat.primitives.asymmetric.ec", "EllipticCurvePublicKey"),
    )

    def __init__(self, hash_alg: HashFunction, expected_curve: Any = None) -> None:
        self.hash_alg = hash_alg
        # By digest size, so that hashlib constructors (ferrojwt's SHA256) and `cryptography`
        # hash classes (PyJWT's, in code that builds its own ECAlgorithm) both work.
        self._digest_size: int = hash_alg().digest_size
        self.expected_curve = expected_curve

    @property
    def expected_curve(self) -> Any:
        """The curve keys must be on (``cryptography``'s class, as in PyJWT), or ``None``."""
        if isinstance(self._expected_curve, str):
            return _key_objects.curve_class(self._expected_curve) or self._expected_curve
        return self._expected_curve

    @expected_curve.setter
    def expected_curve(self, expected_curve: Any) -> None:
        self._expected_curve = expected_curve
        if expected_curve is None:
            self.curve = None
            self.name = self._NAME_FOR_DIGEST_SIZE.get(self._digest_size, "")
            return
        if isinstance(expected_curve, str):
            curve = expected_curve
        else:
            curve = _JWK_CURVE_FOR_SEC_NAME.get(getattr(expected_curve, "name", ""), "")
        name, curve_digest_size = self._ALGORITHM_FOR_CURVE.get(curve, ("", 0))
        if curve_digest_size != self._digest_size:
            raise NotImplementedError(
                f"ferrojwt signs each curve with the hash its JOSE algorithm names only"
                f" (got curve {curve or expected_curve!r} with {self.hash_alg!r})"
            )
        self.curve = curve
        self.name = name

    def prepare_key(self, key: AllowedECKeys) -> Any:
        """The key as PyJWT gives it back: a ``cryptography`` EC key object (or, without
        ``cryptography``, or when given one, ferrojwt's parsed ``CurveKey``)."""
        return handed_out(key, self._prepare(key))

    def _prepare(self, key: AllowedECKeys) -> CurveKey:
        try:
            prepared = prepare_curve_key(key)
        except InvalidKeyError as error:
            # A key on a curve ferrojwt does not sign with, such as P-192: with a curve
            # expected, PyJWT's words.
            detail = str(error)
            if self.curve is not None and detail.startswith("Unsupported elliptic curve '"):
                raise InvalidKeyError(
                    f"The key's curve {detail.split(' ', 3)[3]} does not match the expected"
                    f" curve '{_sec_name(self.curve)}' for this algorithm"
                ) from None
            raise
        if prepared.kty != "EC":
            raise InvalidKeyError(
                f"Expected an EC key, got: {prepared.kty} {prepared.curve}."
                " Invalid Key type for ECAlgorithm"
            )
        if self.curve is not None and prepared.curve != self.curve:
            raise InvalidKeyError(
                f"The key's curve '{_sec_name(prepared.curve)}' does not match the expected"
                f" curve '{_sec_name(self.curve)}' for this algorithm"
            )
        return prepared

    def _algorithm_for(self, key: CurveKey) -> str:
        """The JOSE algorithm that signs with ``key``: this one's, or without an expected curve
        the key's curve's, which must go with this algorithm's hash."""
        if self.curve is not None:
            return self.name
        name, digest_size = self._ALGORITHM_FOR_CURVE.get(key.curve, ("", 0))
        if digest_size != self._digest_size:
            raise InvalidKeyError(
                f"A {key.curve} key signs with the hash of {name or 'no JOSE algorithm'} only,"
                f" not a {8 * self._digest_size}-bit one"
            )
        return name

    def sign(self, msg: bytes, key: Any) -> bytes:
        parsed = key if type(key) is CurveKey else self._prepare(key)
        return _native.curve_sign(self._algorithm_for(parsed), parsed, msg)

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        parsed = key if type(key) is CurveKey else self._prepare(key)
        return _native.curve_verify(self._algorithm_for(parsed), parsed, msg, sig)

    @staticmethod
    def to_jwk(key_obj: AllowedECKeys, as_dict: bool = False) -> Any:
        key = prepare_curve_key(key_obj)
        if key.kty != "EC":
            raise InvalidKeyError("Not a public or private key")
        return _jwk_of(key, ("kty", "crv", "x", "y", "d"), as_dict)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> Any:
        return key_object(_ec_key_from_jwk(_load_jwk_object(jwk)))


class OKPAlgorithm(Algorithm):
    """EdDSA (RFC 8037) with Ed25519 keys (signed by AWS-LC) or Ed448 keys (by RustCrypto's
    ``ed448-goldilocks``, AWS-LC having no Ed448): one algorithm name for both curves."""

    name = "EdDSA"
    _crypto_key_types = (
        ("cryptography.hazmat.primitives.asymmetric.ed25519", "Ed25519PrivateKey"),
        ("cryptography.hazmat.primitives.asymmetric.ed25519", "Ed25519PublicKey"),
        ("cryptography.hazmat.primitives.asymmetric.ed448", "Ed448PrivateKey"),
        ("cryptography.hazmat.primitives.asymmetric.ed448", "Ed448PublicKey"),
    )

    def __init__(self, **kwargs: Any) -> None:
        pass

    def prepare_key(self, key: AllowedOKPKeys) -> Any:
        """The key as PyJWT gives it back: a ``cryptography`` Ed25519 or Ed448 key object (or,
        without ``cryptography``, or when given one, ferrojwt's parsed ``CurveKey``)."""
        return handed_out(key, self._prepare(key))

    def _prepare(self, key: AllowedOKPKeys) -> CurveKey:
        try:
            prepared = prepare_curve_key(key)
        except TypeError:
            raise InvalidKeyError(
                f"Expected an Ed25519 or Ed448 key, got: {type(key).__name__}."
                " Invalid Key type for OKPAlgorithm"
            ) from None
        if prepared.kty != "OKP":
            raise InvalidKeyError(
                f"Expected an Ed25519 or Ed448 key, got: {prepared.kty} {prepared.curve}."
                " Invalid Key type for OKPAlgorithm"
            )
        return prepared

    def sign(self, msg: str | bytes, key: Any) -> bytes:
        parsed = key if type(key) is CurveKey else self._prepare(key)
        return _native.curve_sign(self.name, parsed, force_bytes(msg))

    def verify(self, msg: str | bytes, key: Any, sig: str | bytes) -> bool:
        parsed = key if type(key) is CurveKey else self._prepare(key)
        return _native.curve_verify(self.name, parsed, force_bytes(msg), force_bytes(sig))

    @staticmethod
    def to_jwk(key: AllowedOKPKeys, as_dict: bool = False) -> Any:
        prepared = prepare_curve_key(key)
        if prepared.kty != "OKP":
            raise InvalidKeyError("Not a public or private key")
        return _jwk_of(prepared, ("x", "d", "kty", "crv"), as_dict)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> Any:
        return key_object(_okp_key_from_jwk(_load_jwk_object(jwk)))


#: ferrojwt's own key-taking classes: for them, ``encode`` and ``decode`` use the parsed key
#: (``_prepare``) rather than what ``prepare_key`` hands back.
_PARSING_CLASSES = (RSAAlgorithm, RSAPSSAlgorithm, ECAlgorithm, OKPAlgorithm)


def prepared_for(alg_obj: Algorithm, key: Any) -> Any:
    """``key`` as ``alg_obj``'s ``sign`` and ``verify`` take it, checked as ``prepare_key``
    checks it. For ferrojwt's own classes (not subclasses, which may override ``prepare_key``)
    that is the parsed key, so signing with PEM text makes no ``cryptography`` object."""
    if type(alg_obj) in _PARSING_CLASSES:
        return alg_obj._prepare(key)  # type: ignore[attr-defined]
    return alg_obj.prepare_key(key)


def parsed_key(key: Any) -> RsaKey | CurveKey | None:
    """The parsed key behind a key object ``from_jwk`` returned (itself, or the
    ``cryptography`` object made for it), without parsing anything; else ``None``."""
    if type(key) is RsaKey or type(key) is CurveKey:
        return key
    if is_cryptography_key(key):
        for objects in (rsa_objects, curve_objects):
            found = objects.find(key)
            if found is not None:
                return found
    return None


def get_default_algorithms() -> dict[str, Algorithm]:
    """The algorithms ferrojwt implements, as PyJWT's: ``none`` (which never verifies), HS*,
    and, while ``has_crypto`` is true, RS*, PS*, ES* (with ``ES521`` as a second name for
    ES512) and EdDSA."""
    algorithms: dict[str, Algorithm] = {
        "none": NoneAlgorithm(),
        "HS256": HMACAlgorithm(HMACAlgorithm.SHA256),
        "HS384": HMACAlgorithm(HMACAlgorithm.SHA384),
        "HS512": HMACAlgorithm(HMACAlgorithm.SHA512),
    }
    if has_crypto:
        algorithms.update(
            {
                "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
                "RS384": RSAAlgorithm(RSAAlgorithm.SHA384),
                "RS512": RSAAlgorithm(RSAAlgorithm.SHA512),
                "ES256": ECAlgorithm(ECAlgorithm.SHA256, "P-256"),
                "ES256K": ECAlgorithm(ECAlgorithm.SHA256, "secp256k1"),
                "ES384": ECAlgorithm(ECAlgorithm.SHA384, "P-384"),
                "ES521": ECAlgorithm(ECAlgorithm.SHA512, "P-521"),
                "ES512": ECAlgorithm(ECAlgorithm.SHA512, "P-521"),
                "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
                "PS384": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384),
                "PS512": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512),
                "EdDSA": OKPAlgorithm(),
            }
        )
    return algorithms


if not TYPE_CHECKING:
    # The `cryptography` names PyJWT's algorithms module imports (code reaches some of them
    # through it, `jwt.algorithms.RSAPublicKey`), imported when first asked for.
    __getattr__ = _key_objects.lazy_cryptography_names(
        __name__,
        globals(),
        {
            **dict.fromkeys(
                (
                    "RSAPrivateKey",
                    "RSAPrivateNumbers",
                    "RSAPublicKey",
                    "RSAPublicNumbers",
                    "rsa_crt_dmp1",
                    "rsa_crt_dmq1",
                    "rsa_crt_iqmp",
                    "rsa_recover_prime_factors",
                ),
                "cryptography.hazmat.primitives.asymmetric.rsa",
            ),
            **dict.fromkeys(
                (
                    "ECDSA",
                    "SECP256K1",
                    "SECP256R1",
                    "SECP384R1",
                    "SECP521R1",
                    "EllipticCurve",
                    "EllipticCurvePrivateKey",
                    "EllipticCurvePrivateNumbers",
                    "EllipticCurvePublicKey",
                    "EllipticCurvePublicNumbers",
                ),
                "cryptography.hazmat.primitives.asymmetric.ec",
            ),
            "Ed25519PrivateKey": "cryptography.hazmat.primitives.asymmetric.ed25519",
            "Ed25519PublicKey": "cryptography.hazmat.primitives.asymmetric.ed25519",
            "Ed448PrivateKey": "cryptography.hazmat.primitives.asymmetric.ed448",
            "Ed448PublicKey": "cryptography.hazmat.primitives.asymmetric.ed448",
            **dict.fromkeys(
                (
                    "Encoding",
                    "NoEncryption",
                    "PrivateFormat",
                    "PublicFormat",
                    "load_der_public_key",
                    "load_pem_private_key",
                    "load_pem_public_key",
                    "load_ssh_public_key",
                ),
                "cryptography.hazmat.primitives.serialization",
            ),
            "padding": "cryptography.hazmat.primitives.asymmetric",
            "hashes": "cryptography.hazmat.primitives",
            "x509": "cryptography",
            "InvalidSignature": "cryptography.exceptions",
            "UnsupportedAlgorithm": "cryptography.exceptions",
            "default_backend": "cryptography.hazmat.backends",
        },
    )
