"""JSON Web Tokens: claims on top of JWS, with PyJWT's ``PyJWT`` interface and checks.

The claim rules follow PyJWT 2.15 case by case (see ``tests/test_claims.py``): ``exp``, ``nbf``
and ``iat`` must be numbers, ``leeway`` widens every time check, ``aud`` may be a string or a list
unless ``strict_aud``, and ``require`` lists claims that must be present and not null.
"""

from __future__ import annotations

import json
import warnings
from calendar import timegm
from collections.abc import Container, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from . import _native
from ._claims import RegisteredClaims
from ._fast_encode import encode_fast
from ._fast_path import fast_path_inputs
from .api_jws import _ALGORITHM_UNSET, PyJWS, _json_loads, _jws_global_obj
from .exceptions import DecodeError
from .exceptions import ExpiredSignatureError as ExpiredSignatureError
from .exceptions import ImmatureSignatureError as ImmatureSignatureError
from .exceptions import InvalidAudienceError as InvalidAudienceError
from .exceptions import InvalidIssuedAtError as InvalidIssuedAtError
from .exceptions import InvalidIssuerError as InvalidIssuerError
from .exceptions import InvalidJTIError as InvalidJTIError
from .exceptions import InvalidSubjectError as InvalidSubjectError
from .exceptions import MissingRequiredClaimError as MissingRequiredClaimError
from .types import FullOptions, Options, SigOptions
from .warnings import RemovedInPyjwt3Warning as RemovedInPyjwt3Warning
from .warnings import warn_unsupported_kwargs


def _json_from_bytes(data: Any) -> Any:
    """``json.loads`` on bytes, minus its encoding sniffing in the usual UTF-8 case.

    ``json.loads(bytes)`` decodes as UTF-8 with ``surrogatepass`` unless the data starts with a
    BOM or has a NUL among its first four bytes (UTF-16/32); those cases keep the original call.
    The decoded text then goes through ``_json_loads``, which gives what ``json.loads`` gives.
    """
    if type(data) is bytes and not data.startswith(b"\xef\xbb\xbf") and b"\x00" not in data[:4]:
        return _json_loads(data.decode("utf-8", "surrogatepass"))
    return json.loads(data)


_CLAIM_CHECKS = ("verify_exp", "verify_nbf", "verify_iat", "verify_aud", "verify_iss")


class PyJWT(RegisteredClaims):
    """Encodes and decodes JWTs. ``PyJWT(options=...)`` sets default options, as in PyJWT."""

    def __init__(self, options: Options | None = None) -> None:
        self.options: FullOptions = self._get_default_options()
        if options is not None:
            self.options = self._merge_options(options)
        self._jws = PyJWS(options=self._get_sig_options())

    @staticmethod
    def _get_default_options() -> FullOptions:
        return {
            "verify_signature": True,
            "verify_exp": True,
            "verify_nbf": True,
            "verify_iat": True,
            "verify_aud": True,
            "verify_iss": True,
            "verify_sub": True,
            "verify_jti": True,
            "require": [],
            "strict_aud": False,
            "enforce_minimum_key_length": False,
        }

    def _get_sig_options(self) -> SigOptions:
        return {
            "verify_signature": self.options["verify_signature"],
            "enforce_minimum_key_length": self.options["enforce_minimum_key_length"],
        }

    def _merge_options(self, options: Options | None) -> FullOptions:
        if options is None:
            return self.options
        merged: dict[str, Any] = dict(options)
        # Without a verified signature, claim checks default to off (they would check
        # attacker-controlled data); each can still be turned on explicitly.
        if not merged.get("verify_signature", True):
            for name in (*_CLAIM_CHECKS, "verify_sub", "verify_jti"):
                merged.setdefault(name, False)
        return cast("FullOptions", {**self.options, **merged})

    def encode(
        self,
        payload: dict[str, Any],
        key: Any,
        algorithm: str | None = _ALGORITHM_UNSET,
        headers: dict[str, Any] | None = None,
        json_encoder: type[json.JSONEncoder] | None = None,
        sort_headers: bool = True,
    ) -> str:
        """Encode the claims ``payload`` as a signed JWT.

        ``exp``, ``iat`` and ``nbf`` may be ``datetime`` objects (converted to UTC seconds). The
        default algorithm is HS256, as in PyJWT; ``algorithm="none"`` (or ``None``) makes an
        unsigned token, which ``decode`` never accepts when it verifies.
        """
        if type(payload) is dict and json_encoder is None and type(self) is PyJWT:
            jws = self._jws
            if type(jws) is PyJWS:
                token = encode_fast(
                    jws._ordinary, jws.header_typ, payload, key, algorithm, headers, sort_headers
                )
                if token is not None:
                    return token
        if not isinstance(payload, dict):
            raise TypeError(
                "Expecting a dict object, as JWT only supports JSON objects as payloads."
            )
        payload = payload.copy()
        for claim in ("exp", "iat", "nbf"):
            value = payload.get(claim)
            if isinstance(value, datetime):
                payload[claim] = timegm(value.utctimetuple())
        if "iss" in payload and not isinstance(payload["iss"], str):
            raise TypeError("Issuer (iss) must be a string.")

        json_payload = self._encode_payload(payload, headers=headers, json_encoder=json_encoder)
        return self._jws.encode(
            json_payload, key, algorithm, headers, json_encoder, sort_headers=sort_headers
        )

    def _encode_payload(
        self,
        payload: dict[str, Any],
        headers: dict[str, Any] | None = None,
        json_encoder: type[json.JSONEncoder] | None = None,
    ) -> bytes:
        """The bytes to sign; override to change the encoding (e.g. compression)."""
        return json.dumps(payload, separators=(",", ":"), cls=json_encoder).encode("utf-8")

    def decode_complete(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: Options | None = None,
        verify: bool | None = None,
        detached_payload: bytes | None = None,
        audience: str | Iterable[str] | None = None,
        issuer: str | Container[str] | None = None,
        subject: str | None = None,
        leeway: float | timedelta = 0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Like ``decode`` but returns ``{"header", "payload", "signature"}``."""
        if kwargs:
            warn_unsupported_kwargs("decode_complete", kwargs)
        return self._decode(  # type: ignore[no-any-return]
            jwt,
            key,
            algorithms,
            options,
            verify,
            detached_payload,
            audience,
            issuer,
            subject,
            leeway,
            extra_arguments=bool(kwargs),
            complete=True,
        )

    def decode(
        self,
        jwt: str | bytes,
        key: Any = "",
        algorithms: Sequence[str] | None = None,
        options: Options | None = None,
        verify: bool | None = None,
        detached_payload: bytes | None = None,
        audience: str | Iterable[str] | None = None,
        subject: str | None = None,
        issuer: str | Container[str] | None = None,
        leeway: float | timedelta = 0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Verify ``jwt`` and return its claims.

        ``algorithms`` is required (unless ``key`` is a ``PyJWK``): never derive it from the
        token. ``audience``, ``issuer`` and ``subject`` are checked when given; ``leeway``
        (seconds or ``timedelta``) widens the ``exp``/``nbf``/``iat`` checks.
        """
        if kwargs:
            warn_unsupported_kwargs("decode", kwargs)
        if type(self) is not PyJWT:
            # PyJWT's own route, through decode_complete, which a subclass may override.
            decoded = self.decode_complete(
                jwt,
                key,
                algorithms,
                options,
                verify=verify,
                detached_payload=detached_payload,
                audience=audience,
                subject=subject,
                issuer=issuer,
                leeway=leeway,
            )
            claims: dict[str, Any] = decoded["payload"]
            return claims
        return self._decode(  # type: ignore[no-any-return]
            jwt,
            key,
            algorithms,
            options,
            verify,
            detached_payload,
            audience,
            issuer,
            subject,
            leeway,
            extra_arguments=bool(kwargs),
            complete=False,
        )

    def _decode(
        self,
        jwt: str | bytes,
        key: Any,
        algorithms: Sequence[str] | None,
        options: Options | None,
        verify: bool | None,
        detached_payload: bytes | None,
        audience: Any,
        issuer: Any,
        subject: Any,
        leeway: Any,
        *,
        extra_arguments: bool,
        complete: bool,
    ) -> Any:
        """``decode`` and ``decode_complete``: the one place where a token's route is decided.

        The fast path is asked once; when it declines, the token goes down the general path,
        which does not ask again: the claims as ``dict`` (``complete=False``) or the whole
        ``{"header", "payload", "signature"}``.
        """
        fast_path_asked = False
        if not extra_arguments and verify is None and detached_payload is None:
            fast_path_asked, fast = self._decode_fast(
                jwt, key, algorithms, options, audience, issuer, subject, leeway, complete
            )
            if fast is not None:
                return fast
        verify_signature = True if options is None else options.get("verify_signature", True)
        if verify is not None and verify != verify_signature:
            warnings.warn(
                "The `verify` argument to `decode` does nothing in PyJWT 2.0 and newer. The"
                " equivalent is setting `verify_signature` to False in the `options`"
                " dictionary. This invocation has a mismatch between the kwarg and the option"
                " entry.",
                category=DeprecationWarning,
                stacklevel=3,
            )
        merged = self._merge_options(options)
        # Once the fast path has been asked, PyJWS's general path (the exact PyJWS class: nothing
        # to override); otherwise PyJWS's decode_complete, as PyJWT calls it.
        jws = self._jws
        decoded = (jws._decode_complete if fast_path_asked else jws.decode_complete)(
            jwt,
            key=key,
            algorithms=algorithms,
            options={
                "verify_signature": verify_signature,
                "enforce_minimum_key_length": merged.get("enforce_minimum_key_length", False),
            },
            detached_payload=detached_payload,
        )
        payload = self._decode_payload(decoded)
        self._validate_claims(
            payload, merged, audience=audience, issuer=issuer, subject=subject, leeway=leeway
        )
        if not complete:
            return payload
        decoded["payload"] = payload
        return decoded

    def _decode_fast(
        self,
        jwt: str | bytes,
        key: Any,
        algorithms: Sequence[str] | None,
        options: Options | None,
        audience: Any,
        issuer: Any,
        subject: Any,
        leeway: Any,
        complete: bool,
    ) -> tuple[bool, Any]:
        """The native fast path: ``(asked, result)``, ``result`` ``None`` when it declines.

        It applies to the exact ``PyJWT`` class holding the exact ``PyJWS`` (a subclass may
        override any step), with no options or a plain ``dict`` of them that keeps the signature
        check on, and to an ordinary token and key (``fast_path_inputs``: an RSA, EC or EdDSA key
        and built-in algorithms of its family). Then one native call verifies the signature
        with the GIL released, checks the claims in Rust beside it when their shape is plain,
        and parses the payload with ``json``'s own scanner. The core declines (``None``) what it
        cannot vouch for, an option it does not know included, and that token takes the
        general path, which decides everything the way PyJWT does. A forged signature is
        ``InvalidSignatureError`` here, without a second verification; claims the Rust check
        could not vouch for go through this class's ``_decode_payload`` and
        ``_validate_claims``, so every result and every error is the general path's.
        """
        if type(self) is not PyJWT or type(self._jws) is not PyJWS:
            return False, None
        if options is None:
            merged = self.options
        elif type(options) is dict and options.get("verify_signature", True):
            merged = self._merge_options(options)
        else:
            return False, None
        inputs = fast_path_inputs(self._jws._ordinary, jwt, key, algorithms)
        if inputs is None:
            return True, None
        decoded = _native.decode_jwt(*inputs, merged, audience, issuer, subject, leeway, complete)
        if decoded is None:
            return True, None
        payload, checked, header, signature = decoded
        if not checked:
            if isinstance(payload, bytes):
                payload = self._decode_payload({"payload": payload})
            self._validate_claims(
                payload, merged, audience=audience, issuer=issuer, subject=subject, leeway=leeway
            )
        if complete:
            return True, {"payload": payload, "header": header, "signature": signature}
        return True, payload

    def _decode_payload(self, decoded: dict[str, Any]) -> dict[str, Any]:
        """Parse the verified payload bytes; override to change the decoding."""
        try:
            payload = _json_from_bytes(decoded["payload"])
        except (ValueError, RecursionError) as error:
            raise DecodeError(f"Invalid payload string: {error}") from error
        if not isinstance(payload, dict):
            raise DecodeError("Invalid payload string: must be a json object")
        return payload


_jwt_global_obj = PyJWT()
# The module-level functions share the module-level PyJWS, so register_algorithm() on
# ferrojwt.api_jws affects ferrojwt.encode/decode too (as in PyJWT).
_jwt_global_obj._jws = _jws_global_obj
encode = _jwt_global_obj.encode
decode_complete = _jwt_global_obj.decode_complete
decode = _jwt_global_obj.decode
