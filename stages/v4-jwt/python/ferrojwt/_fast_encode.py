"""Which ``encode`` calls the native fast path may write, in one call.

``PyJWT.encode`` asks this first; ``None`` sends the call down PyJWT's own route (``json.dumps``,
``PyJWS.encode``, the ``Algorithm`` object), unchanged. The native side takes only what it can
write byte for byte as that route would (``encode_jwt`` in ``src/bindings/fast_encode.rs`` lists
what falls back: other types than ``dict``/``list``/``tuple``/``str``/``int``/``float``/
``bool``/``None``, a ``datetime`` claim, big integers, lone surrogates, deep nesting, special
header members); this function checks what only Python knows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _native
from ._native import CurveKey, RsaKey
from .api_jwk import PyJWK


def encode_fast(
    ordinary: dict[str, Callable[[Any], RsaKey | CurveKey]],
    typ: Any,
    payload: dict[str, Any],
    key: Any,
    algorithm: Any,
    headers: Any,
    sort_headers: bool,
) -> str | None:
    """The token, written natively, or ``None`` when PyJWT's route must write it.

    ``ordinary`` is the ``PyJWS``'s built-in RS*/PS*/ES*/EdDSA names with their key loaders
    (``PyJWS._ordinary_names``), ``typ`` its ``header_typ``. The caller has checked that the
    classes are PyJWT's own and that no ``json_encoder`` is given. Declined here: another
    algorithm (HMAC, ``none``, the default), a ``PyJWK`` (it names its own algorithm), a key
    its loader refuses (the route raises PyJWT's error), headers that are not a plain ``dict``,
    and an ``iss`` that is not a ``str`` (the route raises ``TypeError``).
    """
    loader = ordinary.get(algorithm) if type(algorithm) is str else None
    if loader is None or not (headers is None or type(headers) is dict):
        return None
    if "iss" in payload and not isinstance(payload["iss"], str):
        return None
    if type(key) is RsaKey or type(key) is CurveKey:
        prepared = key
    elif isinstance(key, PyJWK):
        return None
    else:
        try:
            prepared = loader(key)
        except Exception:  # noqa: BLE001 - PyJWT's route reports key errors in its own order
            return None
    return _native.encode_jwt(payload, algorithm, prepared, typ, headers, sort_headers)
