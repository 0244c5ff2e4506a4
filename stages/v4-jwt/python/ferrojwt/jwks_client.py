"""``PyJWKClient``: the signing keys an identity provider publishes as a JWK Set over HTTP(S).

The usual way a service verifies tokens from an OpenID Connect provider::

    client = ferrojwt.PyJWKClient("https://issuer.example/.well-known/jwks.json")
    signing_key = client.get_signing_key_from_jwt(token)  # picked by the token's `kid`
    claims = ferrojwt.decode(token, signing_key, audience="api")  # the key's own algorithm

Same constructor, methods, caching and exceptions as PyJWT 2.15's client, on the standard
library's ``urllib`` (no HTTP dependency); two failures PyJWT lets escape as they are (a
connection reset, a body that is not JSON) are ``PyJWKClientError`` subclasses here. Beyond
PyJWT, a request is bounded as a whole: ``timeout`` covers all of it (PyJWT's bounds each read
of the socket, so a server sending a byte at a time holds the caller indefinitely), and a body
larger than ``max_response_bytes`` is refused once that many bytes (and one more) are read,
before any parsing. Two caches:

- the **JWK Set** (on by default): the parsed set, for ``lifespan`` seconds;
- the **signing keys** (``cache_keys=True``): ``get_signing_key`` results by ``kid``, least
  recently used out after ``max_cached_keys``, never expired by time.

With the JWK Set cached, a ``kid`` missing from it triggers one refetch (a provider rotated its
keys), unless the last fetch, or the last refetch attempt (PyJWT counts successful ones only), is
less than ``cooldown_duration`` seconds old: that bounds how often tokens with invented ``kid``
values can make the service call the provider, even while the provider fails. Without that cache
(``cache_jwk_set=False``) every lookup fetches, as in PyJWT.
"""

from __future__ import annotations

import http.client
import json
import math
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import lru_cache
from ssl import SSLContext
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse

from .api_jwk import PyJWK, PyJWKSet
from .api_jwt import decode_complete as decode_token
from .exceptions import PyJWKClientConnectionError, PyJWKClientError
from .jwk_set_cache import JWKSetCache


class _NoRedirectHandler(urllib.request.HTTPRedirectHandler):
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


class _Deadline:
    """Ends one request once ``seconds`` have passed since it started, however the server
    spaces its bytes: a timer shuts down the request's sockets, which wakes a read blocked on
    them. Each socket is watched through a duplicate of it, closed with the request, so the
    timer can never reach a socket that another request has since been given.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:  # already closed by the other side
                    pass

    def _create_connection(self, *args: Any, **kwargs: Any) -> socket.socket:
        sock = socket.create_connection(*args, **kwargs)
        with self._lock:
            if self.expired:
                sock.close()
                raise TimeoutError("timed out")
            self._sockets.append(sock.dup())
        return sock

    def connection(self, cls: type[http.client.HTTPConnection]) -> Callable[..., Any]:
        """A factory for ``cls`` whose connections open their sockets under this deadline
        (through ``_create_connection``, the hook ``http.client`` keeps for that)."""

        def make(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            connection = cls(*args, **kwargs)
            connection._create_connection = self._create_connection  # type: ignore[attr-defined]
            return connection

        return make


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def do_open(self, http_class: Any, req: Any, **http_conn_args: Any) -> Any:
        return super().do_open(self._deadline.connection(http_class), req, **http_conn_args)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, context: SSLContext | None) -> None:
        super().__init__(context=context)
        self._deadline = deadline

    def do_open(self, http_class: Any, req: Any, **http_conn_args: Any) -> Any:
        return super().do_open(self._deadline.connection(http_class), req, **http_conn_args)


class InvalidJWKSResponseError(PyJWKClientError, ValueError):
    """The endpoint answered with something that is not JSON.

    Also a ``ValueError``: PyJWT lets ``json``'s ``JSONDecodeError`` (a ``ValueError``) escape
    here, so code written for it keeps catching what it caught.
    """


class PyJWKClient:
    """Fetches, caches and looks up the signing keys published at ``uri``."""

    #: The largest JWK Set body read (a provider's set is a few kilobytes); a larger one is
    #: refused with ``InvalidJWKSResponseError`` after reading one byte more than this.
    max_response_bytes: int = 1 << 20

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
        self._last_refetch: float | None = None
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
        limit = self.max_response_bytes
        with _Deadline(self.timeout) as deadline:
            handlers: list[urllib.request.BaseHandler] = [
                _NoRedirectHandler(),
                _DeadlineHTTPHandler(deadline),
                _DeadlineHTTPSHandler(deadline, self.ssl_context),
            ]
            opener = urllib.request.build_opener(*handlers)
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    # One read of at most one byte over the limit: the body either fits or
                    # is refused, and is never read whole.
                    body = response.read(limit + 1)
            except (URLError, http.client.HTTPException, OSError, ValueError) as error:
                # URLError covers TLS and refused connections; TimeoutError and a connection
                # reset while reading the body are OSErrors; IncompleteRead is an
                # HTTPException; a socket the deadline shut down may surface as any of them.
                if isinstance(error, HTTPError):
                    error.close()
                detail = "timed out" if deadline.expired else error
                raise PyJWKClientConnectionError(
                    f'Fail to fetch data from the url, err: "{detail}"'
                ) from error
            if deadline.expired:
                raise PyJWKClientConnectionError(
                    'Fail to fetch data from the url, err: "timed out"'
                )
        if len(body) > limit:
            raise InvalidJWKSResponseError(f"The JWKS response is larger than {limit} bytes")
        try:
            jwk_set = json.loads(body)
        except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError
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
        last fetch, or the last such refetch even if it failed, is still running; then
        ``PyJWKClientError``.
        """
        with self._client_lock:
            signing_key = self.match_kid(self.get_signing_keys(), kid)
            if signing_key is not None:
                return signing_key
            last = max(
                (t for t in (self._last_successful_fetch, self._last_refetch) if t is not None),
                default=None,
            )
            cooling_down = (
                self.jwk_set_cache is not None
                and last is not None
                and time.monotonic() - last < self.cooldown_duration
            )
            if not cooling_down:
                self._last_refetch = time.monotonic()
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
        unverified = decode_token(token, options={"verify_signature": False})
        return self.get_signing_key(unverified["header"].get("kid"))

    @staticmethod
    def match_kid(signing_keys: list[PyJWK], kid: str) -> PyJWK | None:
        """The first key of ``signing_keys`` whose ``kid`` is ``kid``, else ``None``."""
        for key in signing_keys:
            if key.key_id == kid:
                return key
        return None
