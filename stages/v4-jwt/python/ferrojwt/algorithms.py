"""Algorithm objects with PyJWT's interface: ``prepare_key``, ``sign``, ``verify``, ``to_jwk``,
``from_jwk`` and ``check_key_length``.

The work happens in Rust (``ferrojwt._native``); this module decides which key forms are
acceptable for which algorithm, and caches parsed keys. The cache is what makes passing the same
PEM string on every call as cheap as passing a key object: PyJWT re-parses and re-validates the
PEM each time, which costs far more than the RSA operation itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar, Generic, NoReturn, TypeVar

from . import _native
from .exceptions import InvalidAlgorithmError, InvalidKeyError

RsaKey = _native.RsaKey
CurveKey = _native.CurveKey
JWKDict = dict[str, Any]
AllowedRSAKeys = RsaKey | str | bytes | JWKDict | Any
AllowedECKeys = CurveKey | str | bytes | JWKDict | Any
AllowedOKPKeys = CurveKey | str | bytes | JWKDict | Any
HashFunction = Callable[..., Any]

#: Compatibility flags: PyJWT needs ``cryptography`` for RSA, EC and EdDSA; ferrojwt does not.
has_crypto = True
requires_cryptography: set[str] = set()

_KEY_CACHE_SIZE = 256


def force_bytes(value: str | bytes) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError("Expected a string value")


class Algorithm(ABC):
    """Interface shared by all algorithms (same method names as PyJWT's)."""

    #: The JOSE name this object implements, e.g. ``"RS256"``.
    name: str

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
        hash_alg: HashFunction | None = getattr(self, "hash_alg", None)
        if hash_alg is None:
            raise NotImplementedError
        return bytes(hash_alg(bytestr).digest())


def _load_jwk_object(jwk: str | JWKDict) -> JWKDict:
    try:
        if isinstance(jwk, str):
            obj = json.loads(jwk)
        elif isinstance(jwk, dict):
            obj = jwk
        else:
            raise ValueError
    except ValueError:
        raise InvalidKeyError("Key is not valid JSON") from None
    if not isinstance(obj, dict):
        raise InvalidKeyError("Key is not valid JSON")
    return obj


# --- none -----------------------------------------------------------------------------------


class NoneAlgorithm(Algorithm):
    """PyJWT's class for ``alg: none``, kept importable; it never vouches for anything.

    ``prepare_key`` takes only ``None`` (or ``""``, read as ``None``), as in PyJWT; ``verify``
    is always ``False``, as in PyJWT; ``sign`` raises where PyJWT returns an empty signature,
    so no code path of ferrojwt produces an unsigned token. It is not among the default
    algorithms, and ``register_algorithm("none", ...)`` is refused.
    """

    name = "none"

    def prepare_key(self, key: str | None) -> None:
        if key == "":
            key = None
        if key is not None:
            raise InvalidKeyError('When alg = "none", key value must be None.')
        return key

    def sign(self, msg: bytes, key: None) -> bytes:
        raise InvalidAlgorithmError(
            'The "none" algorithm is refused: ferrojwt only produces and accepts signed tokens.'
        )

    def verify(self, msg: bytes, key: None, sig: bytes) -> bool:
        return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> NoReturn:
        raise NotImplementedError()

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> NoReturn:
        raise NotImplementedError()


# --- HMAC -----------------------------------------------------------------------------------

# Any PEM block (BEGIN and matching END), whatever its label: such text is key material, never
# an HMAC secret.
_PEM_BLOCK = re.compile(rb"----[- ]BEGIN ([A-Z0-9 ]+?)[- ]----.*?----[- ]END \1[- ]----", re.S)


def is_pem_format(key: bytes) -> bool:
    return _PEM_BLOCK.search(key) is not None


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


@lru_cache(maxsize=_KEY_CACHE_SIZE)
def _prepare_hmac_secret(key: str | bytes) -> bytes:
    secret = force_bytes(key)
    if not secret:
        raise InvalidKeyError("HMAC key must not be empty.")
    # Algorithm confusion: if a verifier configured with an RSA public key lets the token pick
    # HS256, the attacker signs with the (public) PEM as the HMAC secret. Key material is
    # therefore refused outright: any PEM block, and whatever the Rust core calls a key (the
    # text its key loader reads, after the same whitespace trimming, or a DER public key or
    # certificate that parses as one).
    if is_pem_format(secret) or _native.is_asymmetric_key(secret):
        raise InvalidKeyError(
            "The specified key is an asymmetric key or x509 certificate and"
            " should not be used as an HMAC secret."
        )
    try:
        parsed = json.loads(secret, parse_int=lambda _: 0)
    except RecursionError:
        parsed = {"kty": None} if secret.lstrip().startswith((b"{", b"[")) else None
    except ValueError:
        parsed = None
    if _contains_jwk_member(parsed):
        raise InvalidKeyError(
            "The specified key looks like a JWK and should not be used directly as an HMAC"
            " secret. Load it via PyJWK first."
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
            raise TypeError("Expected a string value")
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


_Parsed = TypeVar("_Parsed")


class _ObjectKeyCache(Generic[_Parsed]):
    """Parsed forms of ``cryptography`` key objects, keyed by identity.

    Those objects need not be hashable; the entry keeps the object alive so its ``id`` cannot be
    reused while cached. Bounded, least recently used out first.
    """

    def __init__(self, size: int, load: Callable[[Any], _Parsed]) -> None:
        self._size = size
        self._load = load
        self._entries: OrderedDict[int, tuple[Any, _Parsed]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, obj: Any) -> _Parsed:
        with self._lock:
            entry = self._entries.get(id(obj))
            if entry is not None and entry[0] is obj:
                self._entries.move_to_end(id(obj))
                return entry[1]
        parsed = self._load(obj)
        with self._lock:
            self._entries[id(obj)] = (obj, parsed)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return parsed


def _cryptography_key_to_pem(obj: Any) -> bytes:
    """PEM for a ``cryptography`` RSA key object, imported only when such an object arrives."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    if isinstance(obj, rsa.RSAPrivateKey):
        return obj.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    if isinstance(obj, rsa.RSAPublicKey):
        return obj.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    raise InvalidKeyError(f"Expected an RSA key, got: {type(obj).__name__}")


_object_keys: _ObjectKeyCache[RsaKey] = _ObjectKeyCache(
    _KEY_CACHE_SIZE, lambda obj: _native.load_rsa_key(_cryptography_key_to_pem(obj))
)


def _is_cryptography_key(obj: Any) -> bool:
    module = type(obj).__module__ or ""
    return module.startswith("cryptography.")


def prepare_rsa_key(key: AllowedRSAKeys) -> RsaKey:
    """The parsed form of any RSA key PyJWT accepts (cached), or ``InvalidKeyError``."""
    if isinstance(key, RsaKey):
        return key
    if isinstance(key, (str, bytes)):
        return _load_rsa_text(key)
    if isinstance(key, dict):
        return RSAAlgorithm.from_jwk(key)
    if _is_cryptography_key(key):
        return _object_keys.get(key)
    raise TypeError("Expecting a PEM-formatted key.")


class RSAAlgorithm(Algorithm):
    """RS256/RS384/RS512: RSASSA-PKCS1-v1_5 with SHA-2."""

    SHA256: ClassVar[HashFunction] = hashlib.sha256
    SHA384: ClassVar[HashFunction] = hashlib.sha384
    SHA512: ClassVar[HashFunction] = hashlib.sha512
    _MIN_KEY_SIZE: ClassVar[int] = _native.MIN_RECOMMENDED_BITS
    _PREFIX: ClassVar[str] = "RS"

    def __init__(self, hash_alg: HashFunction) -> None:
        self.hash_alg = hash_alg
        self.name = f"{self._PREFIX}{hash_alg().digest_size * 8}"

    def prepare_key(self, key: AllowedRSAKeys) -> RsaKey:
        return prepare_rsa_key(key)

    def check_key_length(self, key: RsaKey) -> str | None:
        if key.key_size < self._MIN_KEY_SIZE:
            return (
                f"The RSA key is {key.key_size} bits long, which is below the minimum"
                f" recommended size of {self._MIN_KEY_SIZE} bits. See NIST SP 800-131A."
            )
        return None

    def sign(self, msg: bytes, key: RsaKey) -> bytes:
        return _native.rsa_sign(self.name, key, msg)

    def verify(self, msg: bytes, key: RsaKey, sig: bytes) -> bool:
        return _native.rsa_verify(self.name, key, msg, sig)

    @staticmethod
    def to_jwk(key_obj: AllowedRSAKeys, as_dict: bool = False) -> Any:
        key = RSAAlgorithm(hashlib.sha256).prepare_key(key_obj)
        jwk: JWKDict = {"kty": "RSA", "key_ops": ["sign" if key.is_private else "verify"]}
        jwk.update(key.jwk_members())
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> RsaKey:
        obj = _load_jwk_object(jwk)
        if obj.get("kty") != "RSA":
            raise InvalidKeyError("Not an RSA key")
        n, e = obj.get("n"), obj.get("e")
        if not isinstance(n, str) or not isinstance(e, str):
            raise InvalidKeyError("Not a public or private key")
        if "d" not in obj:
            return _native.rsa_key_from_jwk(n, e)
        if "oth" in obj:
            raise InvalidKeyError("Unsupported RSA private key: > 2 primes not supported")
        crt = [name in obj for name in ("p", "q", "dp", "dq", "qi")]
        if any(crt) and not all(crt):
            raise InvalidKeyError(
                "RSA key must include all parameters if any are present besides d"
            )
        members = [obj.get(name) for name in ("d", "p", "q")]
        if any(value is not None and not isinstance(value, str) for value in members):
            raise InvalidKeyError("RSA JWK members must be strings")
        return _native.rsa_key_from_jwk(n, e, *members)


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


def _cryptography_curve_key_to_pem(obj: Any) -> bytes:
    """PEM for a ``cryptography`` EC or EdDSA key object (PKCS#8 private, SPKI public)."""
    from cryptography.hazmat.primitives import serialization

    if hasattr(obj, "private_bytes"):
        return bytes(
            obj.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    if hasattr(obj, "public_bytes"):
        return bytes(
            obj.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    raise InvalidKeyError(f"Expected an EC or EdDSA key, got: {type(obj).__name__}")


_curve_object_keys: _ObjectKeyCache[CurveKey] = _ObjectKeyCache(
    _KEY_CACHE_SIZE, lambda obj: _native.load_curve_key(_cryptography_curve_key_to_pem(obj))
)


def prepare_curve_key(key: Any) -> CurveKey:
    """The parsed form of any EC or EdDSA key (cached): PEM, OpenSSH line, JWK dict or
    ``cryptography`` object. Which curve the algorithm needs is the caller's check."""
    if isinstance(key, CurveKey):
        return key
    if isinstance(key, (str, bytes)):
        return _load_curve_text(key)
    if isinstance(key, dict):
        kty = key.get("kty")
        return OKPAlgorithm.from_jwk(key) if kty == "OKP" else ECAlgorithm.from_jwk(key)
    if _is_cryptography_key(key):
        return _curve_object_keys.get(key)
    raise TypeError("Expecting a PEM-formatted key.")


def _jwk_of(key: CurveKey, order: tuple[str, ...], as_dict: bool) -> Any:
    members = dict(key.jwk_members())
    members["kty"] = key.kty
    jwk = {name: members[name] for name in order if name in members}
    return jwk if as_dict else json.dumps(jwk)


class ECAlgorithm(Algorithm):
    """ES256/ES384/ES512 (and ES256K): ECDSA with SHA-2 on the matching curve, signatures in
    JOSE's ``r || s`` form (a DER signature does not verify).

    As in PyJWT, ``expected_curve`` (a ``cryptography`` curve class such as ``SECP256R1``, or a
    JWK ``crv`` string) binds the algorithm to one curve, and a key on another curve is refused.
    Without it the curve is the one the hash belongs to (P-256 for SHA-256, P-384 for SHA-384,
    P-521 for SHA-512): unlike PyJWT, ferrojwt does not sign P-384 keys with SHA-256.
    """

    SHA256: ClassVar[HashFunction] = hashlib.sha256
    SHA384: ClassVar[HashFunction] = hashlib.sha384
    SHA512: ClassVar[HashFunction] = hashlib.sha512
    #: The curve each digest size goes with when no curve is named.
    _CURVE_FOR_DIGEST_SIZE: ClassVar[dict[int, str]] = {32: "P-256", 48: "P-384", 64: "P-521"}
    #: Each curve's JOSE name and the digest size (bytes) that name signs with.
    _ALGORITHM_FOR_CURVE: ClassVar[dict[str, tuple[str, int]]] = {
        "P-256": ("ES256", 32),
        "P-384": ("ES384", 48),
        "P-521": ("ES512", 64),
        "secp256k1": ("ES256K", 32),
    }

    def __init__(self, hash_alg: HashFunction, expected_curve: Any = None) -> None:
        self.hash_alg = hash_alg
        self.expected_curve = expected_curve
        # By digest size, so that hashlib constructors (ferrojwt's SHA256) and `cryptography`
        # hash classes (PyJWT's, in code that builds its own ECAlgorithm) both work.
        digest_size = hash_alg().digest_size
        if expected_curve is None:
            curve = self._CURVE_FOR_DIGEST_SIZE.get(digest_size, "")
        elif isinstance(expected_curve, str):
            curve = expected_curve
        else:
            curve = _JWK_CURVE_FOR_SEC_NAME.get(getattr(expected_curve, "name", ""), "")
        name, curve_digest_size = self._ALGORITHM_FOR_CURVE.get(curve, ("", 0))
        if curve_digest_size != digest_size:
            raise NotImplementedError(
                f"ferrojwt signs each curve with the hash its JOSE algorithm names only"
                f" (got curve {curve or expected_curve!r} with {hash_alg!r})"
            )
        self.curve = curve
        self.name = name

    def prepare_key(self, key: AllowedECKeys) -> CurveKey:
        prepared = prepare_curve_key(key)
        if prepared.kty != "EC":
            raise InvalidKeyError(
                f"Expected an EC key, got: {prepared.kty} {prepared.curve}."
                " Invalid Key type for ECAlgorithm"
            )
        if prepared.curve != self.curve:
            raise InvalidKeyError(
                f"The key's curve '{_sec_name(prepared.curve)}' does not match the expected"
                f" curve '{_sec_name(self.curve)}' for this algorithm"
            )
        return prepared

    def sign(self, msg: bytes, key: CurveKey) -> bytes:
        return _native.curve_sign(self.name, key, msg)

    def verify(self, msg: bytes, key: CurveKey, sig: bytes) -> bool:
        return _native.curve_verify(self.name, key, msg, sig)

    @staticmethod
    def to_jwk(key_obj: AllowedECKeys, as_dict: bool = False) -> Any:
        key = prepare_curve_key(key_obj)
        if key.kty != "EC":
            raise InvalidKeyError("Not a public or private key")
        return _jwk_of(key, ("kty", "crv", "x", "y", "d"), as_dict)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> CurveKey:
        obj = _load_jwk_object(jwk)
        if obj.get("kty") != "EC":
            raise InvalidKeyError("Not an Elliptic curve key")
        x, y, d, crv = obj.get("x"), obj.get("y"), obj.get("d"), obj.get("crv")
        if not isinstance(x, str) or not isinstance(y, str):
            raise InvalidKeyError("Not an Elliptic curve key")
        if (
            not isinstance(crv, str) or _NAME_FOR_JWK_CURVE.get(crv, "EdDSA") == "EdDSA"
        ):  # OKP curves too
            raise InvalidKeyError(f"Invalid curve: {crv}")
        if d is not None and not isinstance(d, str):
            raise InvalidKeyError("EC JWK member 'd' must be a string")
        return _native.curve_key_from_jwk(crv, x, y, d)


def _sec_name(crv: str) -> str:
    for sec_name, jwk_name in _JWK_CURVE_FOR_SEC_NAME.items():
        if jwk_name == crv:
            return sec_name
    return crv.lower()


class OKPAlgorithm(Algorithm):
    """EdDSA (RFC 8037) with Ed25519 keys (signed by AWS-LC) or Ed448 keys (by RustCrypto's
    ``ed448-goldilocks``, AWS-LC having no Ed448): one algorithm name for both curves."""

    name = "EdDSA"

    def __init__(self, **kwargs: Any) -> None:
        pass

    def prepare_key(self, key: AllowedOKPKeys) -> CurveKey:
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

    def sign(self, msg: str | bytes, key: CurveKey) -> bytes:
        return _native.curve_sign(self.name, key, force_bytes(msg))

    def verify(self, msg: str | bytes, key: CurveKey, sig: str | bytes) -> bool:
        return _native.curve_verify(self.name, key, force_bytes(msg), force_bytes(sig))

    @staticmethod
    def to_jwk(key: AllowedOKPKeys, as_dict: bool = False) -> Any:
        prepared = prepare_curve_key(key)
        if prepared.kty != "OKP":
            raise InvalidKeyError("Not a public or private key")
        return _jwk_of(prepared, ("x", "d", "kty", "crv"), as_dict)

    @staticmethod
    def from_jwk(jwk: str | JWKDict) -> CurveKey:
        obj = _load_jwk_object(jwk)
        if obj.get("kty") != "OKP":
            raise InvalidKeyError("Not an Octet Key Pair")
        crv = obj.get("crv")
        if crv != "Ed25519" and crv != "Ed448":
            raise InvalidKeyError(f"Invalid curve: {crv}")
        x, d = obj.get("x"), obj.get("d")
        if x is None:
            raise InvalidKeyError('OKP should have "x" parameter')
        if not isinstance(x, str) or (d is not None and not isinstance(d, str)):
            raise InvalidKeyError("Invalid key parameter")
        return _native.curve_key_from_jwk(crv, x, None, d)


#: The algorithm PyJWK picks for a key without ``alg``, from its ``crv`` (as PyJWT).
_NAME_FOR_JWK_CURVE = {
    "P-256": "ES256",
    "P-384": "ES384",
    "P-521": "ES512",
    "secp256k1": "ES256K",
    "Ed25519": "EdDSA",
    "Ed448": "EdDSA",
}


def get_default_algorithms() -> dict[str, Algorithm]:
    """The algorithms ferrojwt implements (PyJWT's, with ``ES521`` as its second name for
    ES512). ``none`` is deliberately absent."""
    return {
        "HS256": HMACAlgorithm(HMACAlgorithm.SHA256),
        "HS384": HMACAlgorithm(HMACAlgorithm.SHA384),
        "HS512": HMACAlgorithm(HMACAlgorithm.SHA512),
        "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
        "RS384": RSAAlgorithm(RSAAlgorithm.SHA384),
        "RS512": RSAAlgorithm(RSAAlgorithm.SHA512),
        "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
        "PS384": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384),
        "PS512": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512),
        "ES256": ECAlgorithm(ECAlgorithm.SHA256, "P-256"),
        "ES256K": ECAlgorithm(ECAlgorithm.SHA256, "secp256k1"),
        "ES384": ECAlgorithm(ECAlgorithm.SHA384, "P-384"),
        "ES521": ECAlgorithm(ECAlgorithm.SHA512, "P-521"),
        "ES512": ECAlgorithm(ECAlgorithm.SHA512, "P-521"),
        "EdDSA": OKPAlgorithm(),
    }
