"""JSON Web Tokens: claims on top of JWS, with PyJWT's ``PyJWT`` interface and checks.

The claim rules follow PyJWT 2.15 case by case (see ``tests/test_claims.py``): ``exp``, ``nbf``
and ``iat`` must be numbers, ``leeway`` widens every time check, ``aud`` may be a string or a list
unless ``strict_aud``, and ``require`` lists claims that must be present and not null.
"""

from __future__ import annotations

import json
import time
import warnings
from calendar import timegm
from collections.abc import Container, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from . import _native
from .api_jws import _ALGORITHM_UNSET, PyJWS, _json_loads, _jws_global_obj
from .exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidSubjectError,
    MissingRequiredClaimError,
)
from .types import Options
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


class PyJWT:
    """Encodes and decodes JWTs. ``PyJWT(options=...)`` sets default options, as in PyJWT."""

    def __init__(self, options: Options | None = None) -> None:
        self.options: dict[str, Any] = {
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
        if options is not None:
            self.options = self._merge_options(options)
        self._jws = PyJWS(
            options={
                "verify_signature": self.options["verify_signature"],
                "enforce_minimum_key_length": self.options["enforce_minimum_key_length"],
            }
        )

    def _merge_options(self, options: Options | None) -> dict[str, Any]:
        if options is None:
            return self.options
        merged = dict(options)
        # Without a verified signature, claim checks default to off (they would check
        # attacker-controlled data); each can still be turned on explicitly.
        if not merged.get("verify_signature", True):
            for name in (*_CLAIM_CHECKS, "verify_sub", "verify_jti"):
                merged.setdefault(name, False)
        return {**self.options, **merged}

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
        default algorithm is HS256, as in PyJWT; ``algorithm=None`` (an unsigned token) is
        refused.
        """
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
        if verify is None and detached_payload is None and not kwargs:
            fast = self._decode_ordinary(
                jwt, key, algorithms, options, audience, issuer, subject, leeway, complete=True
            )
            if fast is not None:
                return fast  # type: ignore[no-any-return]
        warn_unsupported_kwargs("decode_complete", kwargs)
        verify_signature = True if options is None else options.get("verify_signature", True)
        if verify is not None and verify != verify_signature:
            warnings.warn(
                "The `verify` argument to `decode` does nothing in PyJWT 2.0 and newer. The"
                " equivalent is setting `verify_signature` to False in the `options`"
                " dictionary. This invocation has a mismatch between the kwarg and the option"
                " entry.",
                category=DeprecationWarning,
                stacklevel=2,
            )
        merged = self._merge_options(options)
        decoded = self._jws.decode_complete(
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
        decoded["payload"] = payload
        return decoded

    def _decode_ordinary(
        self,
        jwt: str | bytes,
        key: Any,
        algorithms: Sequence[str] | None,
        options: Options | None,
        audience: Any,
        issuer: Any,
        subject: Any,
        leeway: Any,
        *,
        complete: bool,
    ) -> Any:
        """The common case in one native call: an ordinary RSA, EC or EdDSA token (``PyJWS``
        says which), verified with the GIL released, its claims checked in Rust beside the
        signature when their shape is plain, and its payload parsed by ``json``'s own scanner.

        ``None`` means: take the general path, which decides everything the way PyJWT does.
        Otherwise the signature is valid, and whatever the Rust check could not vouch for goes
        through this class's own ``_decode_payload`` and ``_validate_claims``, so every result
        and every error is the general path's, without verifying the signature twice.
        """
        if type(self) is not PyJWT:
            return None  # a subclass may override any step
        if options is None:
            merged = self.options
        elif type(options) is dict and options.get("verify_signature", True):
            merged = self._merge_options(options)
        else:
            return None
        inputs = self._jws._ordinary_inputs(jwt, key, algorithms)
        if inputs is None:
            return None
        decoded = _native.decode_jwt(*inputs, merged, audience, issuer, subject, leeway, complete)
        if decoded is None:
            return None
        payload, checked, header, signature = decoded
        if not checked:
            if isinstance(payload, bytes):
                payload = self._decode_payload({"payload": payload})
            self._validate_claims(
                payload, merged, audience=audience, issuer=issuer, subject=subject, leeway=leeway
            )
        if complete:
            return {"payload": payload, "header": header, "signature": signature}
        return payload

    def _decode_payload(self, decoded: dict[str, Any]) -> dict[str, Any]:
        """Parse the verified payload bytes; override to change the decoding."""
        try:
            payload = _json_from_bytes(decoded["payload"])
        except (ValueError, RecursionError) as error:
            raise DecodeError(f"Invalid payload string: {error}") from error
        if not isinstance(payload, dict):
            raise DecodeError("Invalid payload string: must be a json object")
        return payload

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
        # The fast path does not build the header dict decode() has no use for. When it declines,
        # decode_complete() asks it again (a check that costs well under a microsecond) and then
        # takes the general path.
        if verify is None and detached_payload is None and not kwargs:
            fast = self._decode_ordinary(
                jwt, key, algorithms, options, audience, issuer, subject, leeway, complete=False
            )
            if fast is not None:
                return fast  # type: ignore[no-any-return]
        warn_unsupported_kwargs("decode", kwargs)
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

    def _validate_claims(
        self,
        payload: dict[str, Any],
        options: dict[str, Any],
        audience: Any = None,
        issuer: Any = None,
        subject: str | None = None,
        leeway: float | timedelta = 0,
    ) -> None:
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        if audience is not None and not isinstance(audience, (str, Iterable)):
            raise TypeError("audience must be a string, iterable or None")

        for claim in options["require"]:
            if payload.get(claim) is None:
                raise MissingRequiredClaimError(claim)

        now = time.time()
        if "iat" in payload and options["verify_iat"]:
            self._validate_iat(payload, now, leeway)
        if "nbf" in payload and options["verify_nbf"]:
            self._validate_nbf(payload, now, leeway)
        if "exp" in payload and options["verify_exp"]:
            self._validate_exp(payload, now, leeway)
        if options["verify_iss"]:
            self._validate_iss(payload, issuer)
        if options["verify_aud"]:
            self._validate_aud(payload, audience, strict=options.get("strict_aud", False))
        if options["verify_sub"]:
            self._validate_sub(payload, subject)
        if options["verify_jti"]:
            self._validate_jti(payload)

    @staticmethod
    def _as_int(value: Any) -> int | None:
        try:
            return int(value)
        except (ValueError, TypeError, OverflowError):
            return None

    def _validate_iat(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        iat = self._as_int(payload["iat"])
        if iat is None:
            raise InvalidIssuedAtError("Issued At claim (iat) must be an integer.")
        if iat > now + leeway:
            raise ImmatureSignatureError("The token is not yet valid (iat)")

    def _validate_nbf(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        nbf = self._as_int(payload["nbf"])
        if nbf is None:
            raise DecodeError("Not Before claim (nbf) must be an integer.")
        if nbf > now + leeway:
            raise ImmatureSignatureError("The token is not yet valid (nbf)")

    def _validate_exp(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        exp = self._as_int(payload["exp"])
        if exp is None:
            raise DecodeError("Expiration Time claim (exp) must be an integer.")
        if exp <= now - leeway:
            raise ExpiredSignatureError("Signature has expired")

    def _validate_aud(self, payload: dict[str, Any], audience: Any, *, strict: bool) -> None:
        claim = payload.get("aud")
        if audience is None:
            if not claim:
                return
            # The token names an audience but the application did not say who it is.
            raise InvalidAudienceError("Invalid audience")
        if not claim:
            raise MissingRequiredClaimError("aud")

        if strict:
            if not isinstance(audience, str):
                raise InvalidAudienceError("Invalid audience (strict)")
            if not isinstance(claim, str):
                raise InvalidAudienceError("Invalid claim format in token (strict)")
            if audience != claim:
                raise InvalidAudienceError("Audience doesn't match (strict)")
            return

        claims = [claim] if isinstance(claim, str) else claim
        if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
            raise InvalidAudienceError("Invalid claim format in token")
        expected = [audience] if isinstance(audience, str) else audience
        if all(aud not in claims for aud in expected):
            raise InvalidAudienceError("Audience doesn't match")

    def _validate_iss(self, payload: dict[str, Any], issuer: Any) -> None:
        if issuer is None:
            return
        if "iss" not in payload:
            raise MissingRequiredClaimError("iss")
        iss = payload["iss"]
        if not isinstance(iss, str):
            raise InvalidIssuerError("Payload Issuer (iss) must be a string")
        if isinstance(issuer, str):
            if iss != issuer:
                raise InvalidIssuerError("Invalid issuer")
            return
        try:
            allowed = iss in issuer
        except TypeError:
            raise InvalidIssuerError('Issuer param must be "str" or "Container[str]"') from None
        if not allowed:
            raise InvalidIssuerError("Invalid issuer")

    def _validate_sub(self, payload: dict[str, Any], subject: str | None) -> None:
        if "sub" not in payload:
            return
        if not isinstance(payload["sub"], str):
            raise InvalidSubjectError("Subject must be a string")
        if subject is not None and payload["sub"] != subject:
            raise InvalidSubjectError("Invalid subject")

    def _validate_jti(self, payload: dict[str, Any]) -> None:
        if "jti" in payload and not isinstance(payload["jti"], str):
            raise InvalidJTIError("JWT ID must be a string")


_jwt_global_obj = PyJWT()
# The module-level functions share the module-level PyJWS, so register_algorithm() on
# ferrojwt.api_jws affects ferrojwt.encode/decode too (as in PyJWT).
_jwt_global_obj._jws = _jws_global_obj
encode = _jwt_global_obj.encode
decode_complete = _jwt_global_obj.decode_complete
decode = _jwt_global_obj.decode
