"""Which tokens the native fast path may decide, and with which arguments.

``PyJWT`` (its ``_decode_fast``) and ``PyJWS`` (``_decode_fast``) call this, each for itself: the
fast path is decided by the API layer the caller entered, once, and nothing here calls back up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._native import CurveKey, RsaKey
from .algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm
from .api_jwk import PyJWK

# Algorithm classes whose tokens the native fast path may check (not subclasses: those may
# override verify), by the key family they take.
ORDINARY_RSA = (RSAAlgorithm, RSAPSSAlgorithm)
ORDINARY_CURVE = (ECAlgorithm, OKPAlgorithm)
ORDINARY = ORDINARY_RSA + ORDINARY_CURVE


def fast_path_inputs(
    ordinary: dict[str, Callable[[Any], RsaKey | CurveKey]],
    jwt: str | bytes,
    key: Any,
    algorithms: Sequence[str] | None,
) -> tuple[bytes, list[str], RsaKey | CurveKey] | None:
    """The native fast path's arguments when it may decide, else ``None``.

    ``ordinary`` maps the algorithm names the caller's ``PyJWS`` may verify natively to the
    loader of their key family (``PyJWS._ordinary_names``). It takes the common case only: a
    ``str`` or ``bytes`` token, and either a list or tuple of built-in algorithms of one
    key family (RS*/PS*, or ES*/EdDSA) with a key of that family, or a ``PyJWK`` bound to a
    built-in algorithm (``algorithms`` absent or naming it), as ``PyJWKClient`` gives. The
    core sends back RSA keys below 2048 bits (they warn first) and a key on another curve
    than the token's algorithm (it is refused), both to the general path.
    """
    prepared: RsaKey | CurveKey
    if type(key) is PyJWK:
        # A JWK verifies with its own algorithm, whatever this object registers: the token
        # must name exactly that one, which must also be allowed when `algorithms` is given.
        alg_obj, name = key.Algorithm, key.algorithm_name
        if type(alg_obj) not in ORDINARY or alg_obj.name != name:
            return None
        if algorithms is not None and (
            type(algorithms) not in (list, tuple) or name not in algorithms
        ):
            return None
        # The parsed key kept beside the key object (a `cryptography` object, or the parsed
        # key itself), as long as the object is still the one it was made from.
        source, parsed = key._parsed
        if parsed is None or key.key is not source:
            return None
        allowed, prepared = [name], parsed
    else:
        if type(algorithms) not in (list, tuple) or not algorithms:
            return None
        prepare = None
        try:
            for name in algorithms:
                loader = ordinary.get(name)
                if loader is None or (prepare is not None and loader is not prepare):
                    return None
                prepare = loader
        except TypeError:  # an unhashable name: the general path reports it
            return None
        if type(key) is RsaKey or type(key) is CurveKey:
            prepared = key
        elif isinstance(key, PyJWK) or prepare is None:
            return None
        else:
            try:
                prepared = prepare(key)
            except Exception:  # noqa: BLE001 - the general path reports key errors in PyJWT's order
                return None
        # pyo3 copies the names into a Vec<String> before the GIL is released: no copy.
        allowed = algorithms if type(algorithms) is list else list(algorithms)
    if isinstance(jwt, str):
        try:
            jwt = jwt.encode("utf-8")
        except UnicodeEncodeError:
            return None
    elif type(jwt) is not bytes:
        return None
    return jwt, allowed, prepared
