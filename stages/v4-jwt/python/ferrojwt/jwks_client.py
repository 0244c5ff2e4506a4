"""``PyJWKClient``: the signing keys an identity provider publishes as a JWK Set over HTTP(S).

The usual way a service verifies tokens from an OpenID Connect provider::

    client = ferrojwt.PyJWKClient("https://issuer.example/.well-known/jwks.json")
    signing_key = client.get_signing_key_from_jwt(token)  # picked by the token's `kid`
    claims = ferrojwt.decode(token, signing_key, audience="api")  # the key's own algorithm

Same constructor, methods, caching and exceptions as PyJWT 2.15's client, on the standard
library's ``urllib`` (no HTTP dependency); two failures PyJWT lets escape as they are (a
connection reset, a body that is not JSON) are ``PyJWKClientError`` subclasses here. Two caches:

- the **JWK Set** (on by default): the parsed set, for ``lifespan`` seconds;
- the **signing keys** (``cache_keys=True``): ``get_signing_key`` results by ``kid``, least
  recently used out after ``max_cached_keys``, never expired by time.

A ``kid`` missing from the set triggers one refetch (a provider rotated its keys), unless the
last successful fetch is less than ``cooldown_duration`` seconds old: that bounds how often
tokens with invented ``kid`` values can make the service call the provider.
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
import urllib.request
from functools import lru_cache
from ssl import SSLContext
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse

from .api_jwk import PyJWK, PyJWKSet
from .api_jwt import decode_complete as _decode_unverified
from .exceptions import PyJWKClientConnectionError, PyJWKClientError
from .jwk_set_cache import JWKSetCache


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A JWKS URL is configuration: a redirect elsewhere is an error, not a new key source."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None  # urllib then raises HTTPError for the 3xx response


class InvalidJWKSResponseError(PyJWKClientError, ValueError):
    """The endpoint answered with something that is not JSON.

    Also a ``ValueError``: PyJWT lets ``json``'s ``JSONDecodeError`` (a ``ValueError``) escape
    here, so code written for it keeps catching what it caught.
    """


class PyJWKClient:
    """Fetches, caches and looks up the signing keys published at ``uri``."""

    def __init__(
        self,
        uri: str,
        cache_keys: bool = False,
        max_cached_keys: int = 16,
        cache_jwk_set: bool = True,
        lifespan: float = 300,
        headers: dict[str, Any] | None = None,
        timeout: float = 30,
        ssl_context: SSLContext | None = None,
        cooldown_duration: float = 30,
    ) -> None:
        # urllib would also open file:, ftp: and data: URLs; a JWKS URL taken from somewhere an
        # attacker reaches (a token's `jku`) must not read local files.
        scheme = urlparse(uri).scheme.lower()
        if scheme not in ("http", "https"):
            raise PyJWKClientError(
                f"Invalid JWKS URI scheme {scheme!r}: only 'http' and 'https' are supported."
            )
        if cooldown_duration < 0:
            raise PyJWKClientError(
                "Cooldown duration must be greater than or equal to 0, "
                f'the input is "{cooldown_duration}"'
            )
        if not math.isfinite(cooldown_duration):
            raise PyJWKClientError(
                f'Cooldown duration must be finite, the input is "{cooldown_duration}"'
            )
        self.uri = uri
        self.headers: dict[str, Any] = {} if headers is None else headers
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.cooldown_duration = cooldown_duration
        self._last_successful_fetch: float | None = None
        # Reentrant: get_signing_key holds it while fetching, and a subclass may call back in.
        self._client_lock = threading.RLock()

        self.jwk_set_cache: JWKSetCache | None = None
        if cache_jwk_set:
            if lifespan <= 0:
                raise PyJWKClientError(
                    f'Lifespan must be greater than 0, the input is "{lifespan}"'
                )
            self.jwk_set_cache = JWKSetCache(lifespan)

        if cache_keys:
            # Per instance (not a decorator on the method, which would share one cache between
            # clients and keep every client alive).
            self.get_signing_key = lru_cache(maxsize=max_cached_keys)(  # type: ignore[method-assign]
                self.get_signing_key
            )

    def fetch_data(self) -> Any:
        """Download the JWK Set (always over the network) and cache it when caching is on.

        ``PyJWKClientConnectionError`` when the request fails (unreachable, TLS, timeout, an
        HTTP error status or a redirect); ``PyJWKClientError`` when the body is not a JSON
        object; ``PyJWKSetError`` when caching is on and the set holds no usable key.
        """
        request = urllib.request.Request(url=self.uri, headers=self.headers)
        handlers: list[urllib.request.BaseHandler] = [_RefuseRedirects()]
        if self.ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=self.ssl_context))
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                body = response.read()
        except (URLError, http.client.HTTPException, OSError) as error:
            # URLError covers TLS and refused connections; TimeoutError and a connection reset
            # while reading the body are OSErrors; IncompleteRead is an HTTPException.
            if isinstance(error, HTTPError):
                error.close()
            raise PyJWKClientConnectionError(
                f'Fail to fetch data from the url, err: "{error}"'
            ) from error
        try:
            jwk_set = json.loads(body)
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
            raise InvalidJWKSResponseError(
                f"The JWKS endpoint did not return valid JSON: {error}"
            ) from error
        jwk_set = self._as_jwk_set_payload(jwk_set)
        # Only a good answer replaces the cached set: a failed fetch leaves it in place, so a
        # provider's brief outage does not turn into failed logins.
        if self.jwk_set_cache is not None:
            self.jwk_set_cache.put(jwk_set)
        self._last_successful_fetch = time.monotonic()
        return jwk_set

    def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        """The JWK Set, from the cache unless it is empty, expired or ``refresh`` is true."""
        data: Any = None
        if self.jwk_set_cache is not None and not refresh:
            data = self.jwk_set_cache.get()
        if data is not None:
            return data  # type: ignore[no-any-return]  # the cache holds parsed sets only
        data = self.fetch_data()
        # fetch_data may be overridden (to filter or transform the payload): what this call
        # returns is what later cache hits return.
        jwk_set = (
            data
            if isinstance(data, PyJWKSet)
            else PyJWKSet.from_dict(self._as_jwk_set_payload(data))
        )
        if self.jwk_set_cache is not None:
            self.jwk_set_cache.put(jwk_set)
        return jwk_set

    @staticmethod
    def _as_jwk_set_payload(data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise PyJWKClientError("The JWKS endpoint did not return a JSON object")
        return data

    def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:
        """The keys of the set meant for signatures (``use`` absent or ``"sig"``) that have a
        ``kid``; ``PyJWKClientError`` if there are none."""
        return self._get_signing_keys_from_jwk_set(self.get_jwk_set(refresh))

    @staticmethod
    def _get_signing_keys_from_jwk_set(jwk_set: PyJWKSet) -> list[PyJWK]:
        signing_keys = [
            key for key in jwk_set.keys if key.public_key_use in ("sig", None) and key.key_id
        ]
        if not signing_keys:
            raise PyJWKClientError("The JWKS endpoint did not contain any signing keys")
        return signing_keys

    def get_signing_key(self, kid: str) -> PyJWK:
        """The signing key whose ``kid`` is ``kid``.

        Not in the (cached) set: the set is fetched again once, unless the cooldown since the
        last successful fetch is still running; then ``PyJWKClientError``.
        """
        with self._client_lock:
            signing_key = self.match_kid(self.get_signing_keys(), kid)
            if signing_key is not None:
                return signing_key
            last = self._last_successful_fetch
            cooling_down = (
                self.jwk_set_cache is not None
                and last is not None
                and time.monotonic() - last < self.cooldown_duration
            )
            if not cooling_down:
                signing_keys = self.get_signing_keys(refresh=True)
                self._last_successful_fetch = time.monotonic()
                signing_key = self.match_kid(signing_keys, kid)
            if signing_key is None:
                raise PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')
            return signing_key

    def get_signing_key_from_jwt(self, token: str | bytes) -> PyJWK:
        """The signing key named by the token's ``kid`` header.

        The token is only parsed here (its signature is what the returned key then verifies),
        so a malformed token raises ``DecodeError`` before any request is made.
        """
        unverified = _decode_unverified(token, options={"verify_signature": False})
        return self.get_signing_key(unverified["header"].get("kid"))

    @staticmethod
    def match_kid(signing_keys: list[PyJWK], kid: str) -> PyJWK | None:
        """The first key of ``signing_keys`` whose ``kid`` is ``kid``, else ``None``."""
        for key in signing_keys:
            if key.key_id == kid:
                return key
        return None
