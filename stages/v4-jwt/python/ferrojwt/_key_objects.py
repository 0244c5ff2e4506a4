"""``cryptography`` key objects for the keys ferrojwt parses, and the parsed key behind each.

PyJWT hands out ``cryptography`` key objects (``prepare_key``, ``from_jwk``, ``PyJWK.key``), and
code written for it uses them as such: ``public_bytes`` to turn a JWK into PEM, ``isinstance``
against ``RSAPublicKey``, ``public_numbers()``, ``sign``, or another library that takes a
``cryptography`` key. ferrojwt parses keys in Rust (``RsaKey``, ``CurveKey``); when
``cryptography`` is installed it hands out the same objects PyJWT does, each made once from the
parsed key's PEM.

The way back must be quick, because such an object comes back on every ``encode`` and
``decode``: a table keyed by the object's identity gives its parsed key in one lookup.
``cryptography``'s key objects take no weak reference and its public keys cannot be hashed, so
the table holds each object it knows (bounded, least recently used out). Objects ferrojwt made
are entered as they are made; others the first time they are used, parsed from their PEM.

Without ``cryptography``, the parsed keys themselves are handed out.
"""

from __future__ import annotations

import importlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Generic, TypeVar

from . import _native
from .exceptions import InvalidKeyError

RsaKey = _native.RsaKey
CurveKey = _native.CurveKey
CACHE_SIZE = 256

_Parsed = TypeVar("_Parsed", RsaKey, CurveKey)


def is_cryptography_key(obj: Any) -> bool:
    """Whether ``obj`` comes from ``cryptography`` (asked without importing it)."""
    return (type(obj).__module__ or "").startswith("cryptography.")


@lru_cache(maxsize=1)
def _serialization() -> Any:
    """``cryptography``'s serialization module, imported on first use; ``None`` without it."""
    try:
        return importlib.import_module("cryptography.hazmat.primitives.serialization")
    except ImportError:
        return None


def cryptography_available() -> bool:
    return _serialization() is not None


def _pem_of(obj: Any) -> bytes:
    """PKCS#8 PEM for a ``cryptography`` private key, SubjectPublicKeyInfo PEM for a public one."""
    serialization = _serialization()
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
    raise InvalidKeyError(f"Expected a private or public key, got: {type(obj).__name__}")


class ObjectKeys(Generic[_Parsed]):
    """The parsed key of each ``cryptography`` key object, by the object's identity.

    An entry holds its object, so the object's ``id`` cannot be reused while it is cached.
    Bounded, least recently used out first; a key object that fell out is parsed again.
    """

    def __init__(self, load: Callable[[bytes], _Parsed]) -> None:
        self._load: Callable[[bytes], _Parsed] = load
        self._entries: OrderedDict[int, tuple[Any, _Parsed]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, obj: Any) -> _Parsed:
        """The parsed key of ``obj``, parsed from its PEM if it is not in the table."""
        parsed = self.find(obj)
        if parsed is None:
            parsed = self._load(_pem_of(obj))
            self.add(obj, parsed)
        return parsed

    def find(self, obj: Any) -> _Parsed | None:
        """The parsed key of ``obj`` if it is in the table."""
        with self._lock:
            entry = self._entries.get(id(obj))
            if entry is None or entry[0] is not obj:
                return None
            self._entries.move_to_end(id(obj))
            return entry[1]

    def add(self, obj: Any, parsed: _Parsed) -> None:
        with self._lock:
            self._entries[id(obj)] = (obj, parsed)
            self._entries.move_to_end(id(obj))
            while len(self._entries) > CACHE_SIZE:
                self._entries.popitem(last=False)


rsa_objects: ObjectKeys[RsaKey] = ObjectKeys(_native.load_rsa_key)
curve_objects: ObjectKeys[CurveKey] = ObjectKeys(_native.load_curve_key)


@lru_cache(maxsize=CACHE_SIZE)
def key_object(parsed: RsaKey | CurveKey) -> Any:
    """The ``cryptography`` key object of ``parsed`` (the same one while it stays cached), entered
    in the table so that using it costs no parse; ``parsed`` itself without ``cryptography``."""
    serialization = _serialization()
    if serialization is None:
        return parsed
    if parsed.is_private:
        obj = serialization.load_pem_private_key(parsed.private_pem().encode(), password=None)
    else:
        obj = serialization.load_pem_public_key(parsed.public_pem().encode())
    if isinstance(parsed, RsaKey):
        rsa_objects.add(obj, parsed)
    else:
        curve_objects.add(obj, parsed)
    return obj


def handed_out(key: Any, parsed: RsaKey | CurveKey) -> Any:
    """What ``prepare_key`` returns for ``key``: a ``cryptography`` object as PyJWT does (the
    caller's own, or one for ``parsed``), or the parsed key when the caller gave one."""
    if type(key) is RsaKey or type(key) is CurveKey or is_cryptography_key(key):
        return key
    return key_object(parsed)


#: ``cryptography``'s curve classes by JWK ``crv``, for ECAlgorithm's ``expected_curve``.
_CURVE_CLASSES = {
    "P-256": "SECP256R1",
    "P-384": "SECP384R1",
    "P-521": "SECP521R1",
    "secp256k1": "SECP256K1",
}


def curve_class(crv: str) -> Any:
    """``cryptography``'s class for the curve ``crv`` (``SECP256R1`` for ``P-256``), or ``None``
    without ``cryptography``."""
    if _serialization() is None:
        return None
    ec = importlib.import_module("cryptography.hazmat.primitives.asymmetric.ec")
    return getattr(ec, _CURVE_CLASSES[crv])


def lazy_cryptography_names(
    module: str, namespace: dict[str, Any], sources: dict[str, str]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` giving the ``cryptography`` names PyJWT's module of the same name
    imports (``sources``: name to the module that defines it), imported on first use, so that
    ``import ferrojwt`` does not load ``cryptography``. ``AttributeError`` without it."""

    def __getattr__(name: str) -> Any:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        try:
            value = getattr(importlib.import_module(source), name, None)
            if value is None:  # a submodule, such as cryptography.x509
                value = importlib.import_module(f"{source}.{name}")
        except ImportError:
            raise AttributeError(
                f"module {module!r} has no attribute {name!r} (it comes from 'cryptography',"
                " which is not installed)"
            ) from None
        namespace[name] = value
        return value

    return __getattr__
