"""``JWKSetCache``: the parsed JWK Set a ``PyJWKClient`` keeps between fetches, as in PyJWT."""

from __future__ import annotations

import time
from typing import Any

from .api_jwk import PyJWKSet, PyJWTSetWithTimestamp
from .exceptions import PyJWKSetError


class JWKSetCache:
    """One JWK Set and the moment it was stored; stale after ``lifespan`` seconds.

    The clock is ``time.monotonic``, so a wall-clock change (NTP, daylight saving) neither
    expires the set early nor keeps it forever.
    """

    def __init__(self, lifespan: float) -> None:
        self.jwk_set_with_timestamp: PyJWTSetWithTimestamp | None = None
        self.lifespan = lifespan

    def put(self, jwk_set: PyJWKSet | dict[str, Any] | None) -> None:
        """Store ``jwk_set`` (parsed first if it is a JWKS payload), or empty the cache with
        ``None``. ``PyJWKSetError`` if it is neither a set nor a payload with a usable key."""
        if jwk_set is None:
            self.jwk_set_with_timestamp = None
            return
        if not isinstance(jwk_set, PyJWKSet):
            if not isinstance(jwk_set, dict):
                raise PyJWKSetError("Invalid JWK Set value")
            jwk_set = PyJWKSet.from_dict(jwk_set)
        self.jwk_set_with_timestamp = PyJWTSetWithTimestamp(jwk_set)

    def get(self) -> PyJWKSet | None:
        """The stored set, or ``None`` when there is none or it has expired."""
        stored = self.jwk_set_with_timestamp
        if stored is None or self.is_expired():
            return None
        return stored.get_jwk_set()

    def is_expired(self) -> bool:
        # A lifespan of -1 (or below) never expires, as in PyJWT.
        stored = self.jwk_set_with_timestamp
        return (
            stored is not None
            and self.lifespan > -1
            and time.monotonic() > stored.get_timestamp() + self.lifespan
        )
