"""Types of PyJWT's ``jwt.types``, used in ferrojwt's signatures so a type checker knows the
option names: ``mypy --strict`` flags ``options={"verfy_exp": False}`` as it does with PyJWT.

At run time these are plain dicts; unknown keys are ignored, as in PyJWT.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

#: A JSON Web Key as a parsed JSON object.
JWKDict = dict[str, Any]

#: A ``hashlib`` constructor such as ``hashlib.sha256``.
HashlibHash = Callable[..., Any]


class SigOptions(TypedDict, total=False):
    """Options of ``PyJWS`` (signature only; ``decode`` has more: ``Options``)."""

    verify_signature: bool
    """Default ``True``. ``False`` reads the token without checking its signature."""
    enforce_minimum_key_length: bool
    """Default ``False``. ``True`` raises ``InvalidKeyError`` where a short key would warn."""


class Options(TypedDict, total=False):
    """Options of ``decode`` and ``decode_complete``; every key may be left out.

    ``exp``, ``iat``, ``jti``, ``nbf`` and ``sub`` are checked only when present: list them in
    ``require`` to make them mandatory.
    """

    verify_signature: bool
    """Default ``True``. Turning it off also turns off every claim check not set here."""
    require: list[str]
    """Default ``[]``. Claims that must be present (and not null); their values are checked
    by the ``verify_*`` options."""
    strict_aud: bool
    """Default ``False``. ``aud`` must be one string, equal to the single ``audience``."""
    verify_aud: bool
    """Default: as ``verify_signature``. ``aud`` must match ``audience``."""
    verify_exp: bool
    """Default: as ``verify_signature``. ``exp``, when present, must be in the future."""
    verify_iat: bool
    """Default: as ``verify_signature``. ``iat``, when present, must be a number not in the
    future."""
    verify_iss: bool
    """Default: as ``verify_signature``. ``iss`` must match ``issuer``."""
    verify_jti: bool
    """Default: as ``verify_signature``. ``jti``, when present, must be a string."""
    verify_nbf: bool
    """Default: as ``verify_signature``. ``nbf``, when present, must be in the past."""
    verify_sub: bool
    """Default: as ``verify_signature``. ``sub``, when present, must be a string (and equal to
    ``subject`` when that is given)."""
    enforce_minimum_key_length: bool
    """Default ``False``. ``True`` raises ``InvalidKeyError`` where a short key would warn."""


class FullOptions(TypedDict):
    """``Options`` with every key present: the defaults merged with the caller's options."""

    verify_signature: bool
    require: list[str]
    strict_aud: bool
    verify_aud: bool
    verify_exp: bool
    verify_iat: bool
    verify_iss: bool
    verify_jti: bool
    verify_nbf: bool
    verify_sub: bool
    enforce_minimum_key_length: bool
