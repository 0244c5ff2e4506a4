"""The registered claims (RFC 7519 §4.1), checked as PyJWT 2.15 checks them.

``exp``, ``nbf`` and ``iat`` must be integers (or numbers that ``int()`` takes), ``leeway`` widens
every time check, ``aud`` may be a string or a list unless ``strict_aud``, ``iss`` a string or a
container of them, and ``require`` lists claims that must be present and not null. Each failure
is PyJWT's exception with PyJWT's message (``tests/test_claims.py`` runs every case through both
libraries). ``PyJWT`` inherits these methods, so a subclass can still override any of them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

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
from .types import FullOptions


class RegisteredClaims:
    """The claim checks of ``PyJWT``, run after the signature has been verified."""

    def _validate_claims(
        self,
        payload: dict[str, Any],
        options: FullOptions,
        audience: Any = None,
        issuer: Any = None,
        subject: str | None = None,
        leeway: float | timedelta = 0,
    ) -> None:
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        if audience is not None and not isinstance(audience, (str, Iterable)):
            raise TypeError("audience must be a string, iterable or None")

        self._validate_required_claims(payload, options["require"])

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

    def _validate_required_claims(self, payload: dict[str, Any], claims: Iterable[str]) -> None:
        for claim in claims:
            if payload.get(claim) is None:
                raise MissingRequiredClaimError(claim)

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

    def _validate_aud(
        self, payload: dict[str, Any], audience: Any, *, strict: bool = False
    ) -> None:
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

    def _validate_sub(self, payload: dict[str, Any], subject: str | None = None) -> None:
        if "sub" not in payload:
            return
        if not isinstance(payload["sub"], str):
            raise InvalidSubjectError("Subject must be a string")
        if subject is not None and payload["sub"] != subject:
            raise InvalidSubjectError("Invalid subject")

    def _validate_jti(self, payload: dict[str, Any]) -> None:
        if "jti" in payload and not isinstance(payload["jti"], str):
            raise InvalidJTIError("JWT ID must be a string")
