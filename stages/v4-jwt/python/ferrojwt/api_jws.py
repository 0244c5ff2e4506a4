"""JWS compact serialization: ``header.payload.signature``, with PyJWT's ``PyJWS`` interface.

Parsing order matters for safety: the header is checked (``alg`` allowed, ``crit`` understood)
before the key is prepared, and the key is prepared for the algorithm the *caller* allowed, so
a token cannot choose how its own key is interpreted.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Sequence
from typing import Any, cast

from . import _native
from ._fast_path import ORDINARY, ORDINARY_RSA, fast_path_inputs
from .algorithms import (
    Algorithm,
    CurveKey,
    RsaKey,
    get_default_algorithms,
    has_crypto,
    prepare_curve_key,
    prepare_rsa_key,
    prepared_for,
    requires_cryptography,
)
from .api_jwk import PyJWK
from .exceptions import (
    DecodeError,
    InvalidAlgorithmError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTokenError,
)
from .types import SigOptions
from .utils import base64url_decode as base64url_decode
from .utils import base64url_encode as base64url_encode
from .warnings import InsecureKeyLengthWarning, warn_unsupported_kwargs
from .warnings import RemovedInPyjwt3Warning as RemovedInPyjwt3Warning

_ALGORITHM_UNSET: Any = object()
# Configured like the decoder json.loads uses when it is given no options.
_JSON_DECODER = json.JSONDecoder()


def _json_loads(text: str) -> Any:
    """``json.loads(text)``, minus its wrapper's cost in the usual case.

    ``json.loads`` skips leading whitespace, runs the same decoder's ``raw_decode`` and then
    refuses trailing data. For a small header or payload that wrapper costs as much as the
    parse. When the text is exactly one JSON document, ``raw_decode`` alone gives the same value;
    anything else (surrounding whitespace, a BOM, invalid JSON, deep nesting) goes to
    ``json.loads``, which returns or raises what it always does.
    """
    try:
        value, end = _JSON_DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


class PyJWS:
    """Signs and verifies JWS tokens. ``PyJWS(algorithms=..., options=...)`` as in PyJWT."""

    header_typ: str | None = "JWT"
    #: ``crit`` header extensions this implementation understands (RFC 7797 unencoded payload).
    _supported_crit: frozenset[str] = frozenset({"b64"})

    def __init__(
        self,
        algorithms: Sequence[str] | None = None,
        options: SigOptions | None = None,
    ) -> None:
        self._algorithms: dict[str, Algorithm] = get_default_algorithms()
        self._valid_algs = set(algorithms) if algorithms is not None else set(self._algorithms)
        for name in list(self._algorithms):
            if name not in self._valid_algs:
                del self._algorithms[name]
        self._ordinary = self._ordinary_names()
        self.options: SigOptions = {**self._get_default_options(), **(options or {})}

    @staticmethod
    def _get_default_options() -> SigOptions:
        return {"verify_signature": True, "enforce_minimum_key_length": False}

    def register_algorithm(self, alg_id: str, alg_obj: Algorithm) -> None:
        """Add an algorithm implementation under ``alg_id``. Whatever is registered under
        ``none`` (in any capitalization), a token naming it never verifies."""
        if alg_id in self._algorithms:
            raise ValueError("Algorithm already has a handler.")
        if not isinstance(alg_obj, Algorithm):
            raise TypeError("Object is not of type `Algorithm`")
        self._algorithms[alg_id] = alg_obj
        self._valid_algs.add(alg_id)
        self._ordinary = self._ordinary_names()

    def unregister_algorithm(self, alg_id: str) -> None:
        """Remove an algorithm; ``KeyError`` if it is not registered."""
        if alg_id not in self._algorithms:
            raise KeyError(
                "The specified algorithm could not be removed because it is not registered."
            )
        del self._algorithms[alg_id]
        self._valid_algs.remove(alg_id)
        self._ordinary = self._ordinary_names()

    def _ordinary_names(self) -> dict[str, Callable[[Any], RsaKey | CurveKey]]:
        """The names the native fast path may verify, each with the loader of its key family:
        built-in RS*/PS*/ES*/EdDSA classes registered under their own name (not subclasses,
        which may override ``verify``; not a relabelled hash)."""
        return {
            name: prepare_rsa_key if type(alg_obj) in ORDINARY_RSA else prepare_curve_key
            for name, alg_obj in self._algorithms.items()
            if type(alg_obj) in ORDINARY and alg_obj.name == name
        }

    def get_algorithms(self) -> list[str]:
        """The names usable in the ``alg`` header."""
        return list(self._valid_algs)

    def get_algorithm_by_name(self, alg_name: str) -> Algorithm:
        """The ``Algorithm`` object for ``alg_name``; ``NotImplementedError`` if unknown."""
        try:
            return self._algorithms[alg_name]
        except (KeyError, TypeError):
            # `has_crypto` as this module imported it, as in PyJWT.
            if not has_crypto and alg_name in requires_cryptography:
                raise NotImplementedError(
                    f"Algorithm '{alg_name}' could not be found. Do you have cryptography"
                    " installed?"
                ) from None
            raise NotImplementedError("Algorithm not supported") from None

    def _check_key_length(self, alg_obj: Algorithm, key: Any, options: SigOptions) -> None:
        message = alg_obj.check_key_length(key)
        if message:
            if options.get("enforce_minimum_key_length", False):
                raise InvalidKeyError(message)
            warnings.warn(message, InsecureKeyLengthWarning, stacklevel=4)

    def encode(
        self,
        payload: bytes,
        key: Any,
        algorithm: str | None = _ALGORITHM_UNSET,
        headers: dict[str, Any] | None = None,
        json_encoder: type[json.JSONEncoder] | None = None,
        is_payload_detached: bool = False,
        sort_headers: bool = True,
    ) -> str:
        """Sign ``payload`` (bytes) and return the compact token.

        ``algorithm="none"`` (or ``None`` with a key that is not a ``PyJWK``) makes an unsigned
        token, as in PyJWT; no ``decode`` that verifies accepts one.
        """
        if algorithm is _ALGORITHM_UNSET:
            alg_name = key.algorithm_name if isinstance(key, PyJWK) else "HS256"
        elif algorithm is None:
            alg_name = key.algorithm_name if isinstance(key, PyJWK) else "none"
        else:
            alg_name = algorithm

        if headers:
            if headers.get("alg"):
                alg_name = headers["alg"]
            if headers.get("b64") is False:
                is_payload_detached = True

        header: dict[str, Any] = {"typ": self.header_typ, "alg": alg_name}
        if headers:
            self._validate_headers(headers, encoding=True)
            header.update(headers)
        if not header["typ"]:
            del header["typ"]
        if is_payload_detached:
            header["b64"] = False
            crit = header.get("crit", [])
            if not isinstance(crit, list):
                raise InvalidTokenError("Invalid 'crit' header: must be a list")
            if "b64" not in crit:
                header["crit"] = [*crit, "b64"]
        else:
            header.pop("b64", None)

        header_json = json.dumps(
            header, separators=(",", ":"), cls=json_encoder, sort_keys=sort_headers
        ).encode()
        header_segment = _native.b64url_encode(header_json)
        payload_segment = payload if is_payload_detached else _native.b64url_encode(payload)
        signing_input = header_segment + b"." + payload_segment

        alg_obj = self.get_algorithm_by_name(alg_name)
        if isinstance(key, PyJWK):
            key = key.key
        prepared = prepared_for(alg_obj, key)
        self._check_key_length(alg_obj, prepared, self.options)
        signature = _native.b64url_encode(alg_obj.sign(signing_input, prepared))

        if is_payload_detached:
            payload_segment = b""
        return b".".join((header_segment, payload_segment, signature)).decode()

    def decode_complete(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: SigOptions | None = None,
        detached_payload: bytes | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Verify ``jwt`` and return ``{"payload": bytes, "header": dict, "signature": bytes}``."""
        if kwargs:
            warn_unsupported_kwargs("decode_complete", kwargs)
        return self._decode_complete(
            jwt, key, algorithms, options, detached_payload, fast_path=type(self) is PyJWS
        )

    def _decode_complete(
        self,
        jwt: str | bytes,
        key: Any,
        algorithms: Sequence[str] | None,
        options: SigOptions | dict[str, Any] | None,
        detached_payload: bytes | None,
        *,
        fast_path: bool = False,
    ) -> dict[str, Any]:
        """``decode_complete`` itself. ``fast_path`` says whether this call may ask the native
        fast path: ``PyJWT`` passes ``False`` when it has asked its own already."""
        merged: SigOptions = (
            self.options if options is None else cast("SigOptions", {**self.options, **options})
        )
        verify_signature = merged["verify_signature"]
        if verify_signature and not algorithms and not isinstance(key, PyJWK):
            raise DecodeError(
                'It is required that you pass in a value for the "algorithms" argument when'
                " calling decode()."
            )

        if fast_path and verify_signature and detached_payload is None:
            fast = self._decode_fast(jwt, key, algorithms)
            if fast is not None:
                return fast

        payload, signing_input, header, signature = self._load(jwt)
        self._validate_headers(header)

        unencoded = header.get("b64", True) is False
        if detached_payload is not None and not unencoded:
            raise DecodeError(
                'It is only valid to pass "detached_payload" when the protected header has'
                ' "b64" set to false.'
            )
        if unencoded:
            crit = header.get("crit") or []
            if not isinstance(crit, list) or "b64" not in crit:
                raise InvalidTokenError(
                    "The 'b64' header parameter requires 'b64' to be listed in 'crit'."
                )
            if detached_payload is None:
                raise DecodeError(
                    'It is required that you pass in a value for the "detached_payload"'
                    " argument to decode a message having the b64 header set to false."
                )
            payload = detached_payload
            signing_input = signing_input.rsplit(b".", 1)[0] + b"." + payload

        if verify_signature:
            self._verify_signature(signing_input, header, signature, key, algorithms, merged)
        return {"payload": payload, "header": header, "signature": signature}

    def _decode_fast(
        self, jwt: str | bytes, key: Any, algorithms: Sequence[str] | None
    ) -> dict[str, Any] | None:
        """The native fast path of the exact ``PyJWS`` class, for a call that verifies an
        attached payload: an ordinary token and key (``fast_path_inputs``) are checked in one
        native call with the GIL released. ``None`` sends the token down the general path,
        which makes every decision (and raises every error) the way PyJWT does; a valid token
        checked here gives exactly the result the general path would, and a forged one the same
        ``InvalidSignatureError``.
        """
        inputs = fast_path_inputs(self._ordinary, jwt, key, algorithms)
        if inputs is None:
            return None
        segments = _native.verify_compact(*inputs)
        if segments is None:
            return None
        header_json, payload, signature = segments
        # The core vouches for a flat UTF-8 header only, so text and bytes parse alike. Should
        # `json` still refuse it, the general path raises PyJWT's DecodeError.
        try:
            header = _json_loads(header_json.decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        return {"payload": payload, "header": header, "signature": signature}

    def decode(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: SigOptions | None = None,
        detached_payload: bytes | None = None,
        **kwargs: Any,
    ) -> Any:
        """Verify ``jwt`` and return its payload (bytes)."""
        if kwargs:
            warn_unsupported_kwargs("decode", kwargs)
        decoded = self.decode_complete(
            jwt, key, algorithms, options, detached_payload=detached_payload
        )
        return decoded["payload"]

    def get_unverified_header(self, jwt: str | bytes) -> dict[str, Any]:
        """The token's header, **not verified**: use it only to pick a key (``kid``)."""
        header = self._load(jwt)[2]
        self._validate_headers(header)
        return header

    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        """One token segment, strictly: unpadded or with its exact padding, nothing outside
        the alphabet, no stray bits (``DecodeError`` naming ``name`` otherwise)."""
        return _native.b64url_decode(segment, name)

    @staticmethod
    def _load(jwt: str | bytes) -> tuple[bytes, bytes, dict[str, Any], bytes]:
        if isinstance(jwt, str):
            try:
                jwt = jwt.encode("utf-8")
            except UnicodeEncodeError:
                raise DecodeError("Invalid token type. Token must be valid UTF-8") from None
        if not isinstance(jwt, bytes):
            raise DecodeError(f"Invalid token type. Token must be a {bytes}")
        try:
            signing_input, crypto_segment = jwt.rsplit(b".", 1)
            header_segment, payload_segment = signing_input.split(b".", 1)
        except ValueError:
            raise DecodeError("Not enough segments") from None

        header_data = _native.b64url_decode(header_segment, "header")
        try:
            header = json.loads(header_data)
        except (ValueError, RecursionError) as error:
            raise DecodeError(f"Invalid header string: {error}") from error
        if not isinstance(header, dict):
            raise DecodeError("Invalid header string: must be a json object")

        if header.get("b64", True) is False:
            # RFC 7797 detached form: the payload comes from the caller, so the segment must be
            # empty rather than decoded for nothing.
            if payload_segment:
                raise DecodeError("Payload segment must be empty when 'b64' is false.")
            payload = b""
        else:
            payload = _native.b64url_decode(payload_segment, "payload")
        signature = _native.b64url_decode(crypto_segment, "crypto")
        return payload, signing_input, header, signature

    def _verify_signature(
        self,
        signing_input: bytes,
        header: dict[str, Any],
        signature: bytes,
        key: Any,
        algorithms: Sequence[str] | None,
        options: SigOptions,
    ) -> None:
        if algorithms is None and isinstance(key, PyJWK):
            algorithms = [key.algorithm_name]
        if "alg" not in header:
            raise InvalidAlgorithmError("Algorithm not specified")
        alg = header["alg"]
        if (
            not alg
            or not isinstance(alg, str)
            or (algorithms is not None and alg not in algorithms)
        ):
            raise InvalidAlgorithmError("The specified alg value is not allowed")

        if isinstance(key, PyJWK):
            # A JWK is bound to one algorithm; the token's header may not pick another.
            if alg != key.algorithm_name:
                raise InvalidAlgorithmError(
                    f"Token algorithm {alg!r} does not match the key's algorithm"
                    f" {key.algorithm_name!r}"
                )
            alg_obj = key.Algorithm
            prepared = prepared_for(alg_obj, key.key)
        else:
            try:
                alg_obj = self.get_algorithm_by_name(alg)
            except NotImplementedError as error:
                raise InvalidAlgorithmError("Algorithm not supported") from error
            prepared = prepared_for(alg_obj, key)

        self._check_key_length(alg_obj, prepared, options)
        # An unsigned token never verifies, whatever is registered under its name: what
        # PyJWT's NoneAlgorithm answers, without asking the algorithm object.
        if alg.lower() == "none" or not alg_obj.verify(signing_input, prepared, signature):
            raise InvalidSignatureError("Signature verification failed")

    def _validate_headers(self, headers: dict[str, Any], *, encoding: bool = False) -> None:
        if "kid" in headers:
            self._validate_kid(headers["kid"])
        if not encoding and "crit" in headers:
            self._validate_crit(headers)

    def _validate_kid(self, kid: Any) -> None:
        if not isinstance(kid, str):
            raise InvalidTokenError("Key ID header parameter must be a string")

    def _validate_crit(self, headers: dict[str, Any]) -> None:
        # RFC 7515 §4.1.11: a recipient must reject a token whose critical extensions it does
        # not understand.
        crit = headers["crit"]
        if not isinstance(crit, list) or not crit:
            raise InvalidTokenError("Invalid 'crit' header: must be a non-empty list")
        for extension in crit:
            if not isinstance(extension, str):
                raise InvalidTokenError("Invalid 'crit' header: values must be strings")
            if extension not in self._supported_crit:
                raise InvalidTokenError(f"Unsupported critical extension: {extension}")
            if extension not in headers:
                raise InvalidTokenError(f"Critical extension '{extension}' is missing from headers")


_jws_global_obj = PyJWS()
encode = _jws_global_obj.encode
decode_complete = _jws_global_obj.decode_complete
decode = _jws_global_obj.decode
register_algorithm = _jws_global_obj.register_algorithm
unregister_algorithm = _jws_global_obj.unregister_algorithm
get_algorithm_by_name = _jws_global_obj.get_algorithm_by_name
get_unverified_header = _jws_global_obj.get_unverified_header
