"""PyJWKClient against real JWKS servers on 127.0.0.1 (HTTP, and HTTPS with a self-signed
certificate), each scenario run with ferrojwt's client and with PyJWT's: same requests, same
results, same exception classes.

The server counts the requests it answers, so caching is checked by what reached the network.
"""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import jwt as pyjwt
import pytest
from conftest import read_key

import ferrojwt
from ferrojwt.jwks_client import InvalidJWKSResponseError

CLAIMS = {"sub": "ferris", "aud": "api"}


def public_jwk(pem_name: str, kid: str, **extra: Any) -> dict[str, Any]:
    jwk = ferrojwt.keys.public_jwk_from_pem(read_key(pem_name), kid=kid)
    return {**jwk, "alg": "RS256", "use": "sig", **extra}


KEY_A = public_jwk("rsa2048.pub.pem", "key-a")
KEY_B = public_jwk("other2048.pub.pem", "key-b")


def token_for(kid: str | None, private: str = "rsa2048.pkcs8.pem") -> str:
    headers = {} if kid is None else {"kid": kid}
    return ferrojwt.encode(CLAIMS, read_key(private), algorithm="RS256", headers=headers)


@dataclass
class JWKSServer:
    """A JWKS endpoint whose answer each test sets, and the requests it answered."""

    url: str
    document: Any = field(default_factory=lambda: {"keys": [KEY_A]})
    status: int = 200
    raw_body: bytes | None = None  # sent as is instead of `document`
    delay_headers: float = 0.0  # seconds before the status line
    delay_body: float = 0.0  # seconds between the headers and the body
    drip: float = 0.0  # seconds between the body's bytes, sent one at a time
    redirect_to: str | None = None
    reset: bool = False  # reset the connection (RST) instead of answering
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def served(self) -> int:
        return len(self.requests)


def start_server(context: ssl.SSLContext | None) -> tuple[http.server.HTTPServer, JWKSServer]:
    state: JWKSServer

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.requests.append(dict(self.headers.items()))
            time.sleep(state.delay_headers)
            if state.reset:
                # Linger on, timeout 0: close() sends RST rather than FIN.
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.connection.close()
                self.close_connection = True
                return
            if state.redirect_to is not None:
                self.send_response(302)
                self.send_header("Location", state.redirect_to)
                self.end_headers()
                return
            body = state.raw_body
            if body is None:
                body = json.dumps(state.document).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            time.sleep(state.delay_body)
            if not state.drip:
                self.wfile.write(body)
                return
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(state.drip)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that timed out and left: expected in these tests

    server = Server(("127.0.0.1", 0), Handler)
    scheme = "http"
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    state = JWKSServer(url=f"{scheme}://127.0.0.1:{server.server_address[1]}/jwks.json")
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, state


@pytest.fixture
def server() -> Iterator[JWKSServer]:
    httpd, state = start_server(None)
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA), and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        # What VERIFY_X509_STRICT (the default context from Python 3.13 on) asks of a CA.
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[JWKSServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    httpd, state = start_server(context)
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["ferrojwt", "PyJWT"])
def jwt(request: pytest.FixtureRequest) -> ModuleType:
    """The library under test: each scenario runs with both clients."""
    return ferrojwt if request.param == "ferrojwt" else pyjwt


# --- fetching and caching ---------------------------------------------------------------------


def test_signing_key_from_jwt_verifies_the_token(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url)
    token = token_for("key-a")
    signing_key = client.get_signing_key_from_jwt(token)
    assert isinstance(signing_key, jwt.PyJWK)
    assert (signing_key.key_id, signing_key.key_type, signing_key.algorithm_name) == (
        "key-a",
        "RSA",
        "RS256",
    )
    assert jwt.decode(token, signing_key, audience="api") == CLAIMS
    assert jwt.decode(token, signing_key.key, algorithms=["RS256"], audience="api") == CLAIMS
    assert server.served == 1


def test_the_jwk_set_is_cached_for_its_lifespan(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url, lifespan=0.5)
    token = token_for("key-a")
    for _ in range(5):
        client.get_signing_key_from_jwt(token)
    assert server.served == 1
    time.sleep(0.6)
    client.get_signing_key_from_jwt(token)
    assert server.served == 2
    assert client.get_jwk_set(refresh=True).keys[0].key_id == "key-a"
    assert server.served == 3


def test_without_the_set_cache_every_lookup_fetches(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url, cache_jwk_set=False)
    assert client.jwk_set_cache is None
    for _ in range(3):
        client.get_signing_key("key-a")
    assert server.served == 3


def test_signing_key_cache_keeps_max_cached_keys(jwt: ModuleType, server: JWKSServer) -> None:
    # The set cache off, so each signing-key cache miss is one request.
    server.document = {"keys": [KEY_A, KEY_B]}
    client = jwt.PyJWKClient(server.url, cache_keys=True, max_cached_keys=1, cache_jwk_set=False)
    first = client.get_signing_key("key-a")
    assert client.get_signing_key("key-a") is first
    assert server.served == 1
    client.get_signing_key("key-b")  # evicts key-a: the cache holds one key
    assert server.served == 2
    assert client.get_signing_key("key-a") is not first
    assert server.served == 3


def test_configured_headers_are_sent(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url, headers={"User-Agent": "svc/1.0", "X-Api-Key": "k"})
    client.get_jwk_set()
    assert server.requests[0]["User-Agent"] == "svc/1.0"
    assert server.requests[0]["X-Api-Key"] == "k"


def test_signing_keys_are_sig_keys_with_a_kid(jwt: ModuleType, server: JWKSServer) -> None:
    no_use = {k: v for k, v in KEY_B.items() if k != "use"}
    no_kid = {k: v for k, v in KEY_A.items() if k != "kid"}
    encryption = {**KEY_A, "kid": "enc", "use": "enc"}
    server.document = {"keys": [KEY_A, no_use, no_kid, encryption]}
    client = jwt.PyJWKClient(server.url)
    assert [key.key_id for key in client.get_signing_keys()] == ["key-a", "key-b"]
    assert len(client.get_jwk_set().keys) == 4

    server.document = {"keys": [encryption]}
    with pytest.raises(jwt.PyJWKClientError, match="did not contain any signing keys"):
        client.get_signing_keys(refresh=True)


def test_concurrent_cold_lookups_make_one_request(jwt: ModuleType, server: JWKSServer) -> None:
    server.delay_headers = 0.2  # every thread arrives while the first fetch is under way
    client = jwt.PyJWKClient(server.url)
    token = token_for("key-a")
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(client.get_signing_key_from_jwt(token).key_id)
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["key-a"] * 8
    assert server.served == 1


# --- key rotation -----------------------------------------------------------------------------


def test_a_new_kid_refetches_once(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url, cooldown_duration=0)
    client.get_signing_key_from_jwt(token_for("key-a"))
    server.document = {"keys": [KEY_B]}  # the provider rotated its key
    token = token_for("key-b", private="other2048.pkcs8.pem")
    assert jwt.decode(token, client.get_signing_key_from_jwt(token), audience="api") == CLAIMS
    assert server.served == 2
    client.get_signing_key_from_jwt(token)  # now cached
    assert server.served == 2


def test_an_unknown_kid_after_the_refetch_is_an_error(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url, cooldown_duration=0)
    with pytest.raises(jwt.PyJWKClientError, match='matches: "nobody"') as raised:
        client.get_signing_key_from_jwt(token_for("nobody"))
    assert type(raised.value) is jwt.PyJWKClientError
    assert server.served == 2  # the first fetch and one refetch, no more


def test_a_token_without_kid_finds_no_key(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url)
    with pytest.raises(jwt.PyJWKClientError, match='matches: "None"'):
        client.get_signing_key_from_jwt(token_for(None))


def test_the_cooldown_limits_refetches(jwt: ModuleType, server: JWKSServer) -> None:
    # Tokens with invented kids must not make the service call the provider each time.
    client = jwt.PyJWKClient(server.url, cooldown_duration=0.5)
    client.get_signing_key("key-a")
    for kid in ("x", "y", "z"):
        with pytest.raises(jwt.PyJWKClientError):
            client.get_signing_key(kid)
    assert server.served == 1
    server.document = {"keys": [KEY_A, KEY_B]}
    time.sleep(0.6)
    assert client.get_signing_key("key-b").key_id == "key-b"
    assert server.served == 2


@pytest.mark.parametrize("failure", ["503", "not JSON", "slower than the timeout"])
def test_a_failed_refresh_keeps_the_cached_set(
    jwt: ModuleType, server: JWKSServer, failure: str
) -> None:
    client = jwt.PyJWKClient(server.url, timeout=0.3)
    client.get_jwk_set()
    if failure == "503":
        server.status = 503
    elif failure == "not JSON":
        server.raw_body = b"<html>maintenance</html>"
    else:
        server.delay_headers = 1.0
    with pytest.raises((jwt.PyJWKClientConnectionError, ValueError)):
        client.get_jwk_set(refresh=True)
    assert client.get_signing_key("key-a").key_id == "key-a"
    assert server.served == 2


# --- failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 500])
def test_an_http_error_status_is_a_connection_error(
    jwt: ModuleType, server: JWKSServer, status: int
) -> None:
    server.status = status
    client = jwt.PyJWKClient(server.url)
    with pytest.raises(jwt.PyJWKClientConnectionError, match=f"HTTP Error {status}"):
        client.get_signing_key_from_jwt(token_for("key-a"))
    assert server.served == 1


def test_a_redirect_is_not_followed(jwt: ModuleType, server: JWKSServer) -> None:
    server.redirect_to = server.url + "?elsewhere"
    client = jwt.PyJWKClient(server.url)
    with pytest.raises(jwt.PyJWKClientConnectionError, match="HTTP Error 302"):
        client.get_jwk_set()
    assert server.served == 1


def test_a_closed_port_is_a_connection_error(jwt: ModuleType) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    # Nothing listens there now.
    with pytest.raises(jwt.PyJWKClientConnectionError, match="Connection refused"):
        jwt.PyJWKClient(f"http://127.0.0.1:{port}/jwks.json").get_jwk_set()


def test_a_connection_reset_is_a_connection_error(jwt: ModuleType, server: JWKSServer) -> None:
    # The server accepts the request, then resets the connection instead of answering. PyJWT
    # lets that ConnectionResetError escape (it is not one of the errors it wraps); ferrojwt
    # reports it like every other failed download.
    server.reset = True
    client = jwt.PyJWKClient(server.url)
    expected = jwt.PyJWKClientConnectionError if jwt is ferrojwt else ConnectionResetError
    with pytest.raises(expected, match="reset"):
        client.get_jwk_set()
    assert server.served == 1


@pytest.mark.parametrize("where", ["before the headers", "between the headers and the body"])
def test_a_server_slower_than_the_timeout(jwt: ModuleType, server: JWKSServer, where: str) -> None:
    if where == "before the headers":
        server.delay_headers = 2.0
    else:
        server.delay_body = 2.0
    client = jwt.PyJWKClient(server.url, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(jwt.PyJWKClientConnectionError, match="timed out"):
        client.get_jwk_set()
    assert time.monotonic() - started < 1.5


# --- bounds beyond PyJWT's: a whole-request deadline, a body cap, a cooldown after failures -----


def test_a_server_sending_a_byte_at_a_time_meets_the_deadline(server: JWKSServer) -> None:
    # Each byte arrives well within `timeout`, which PyJWT applies to each read of the socket:
    # there, this body would take 30 seconds. ferrojwt's `timeout` bounds the whole request.
    server.drip = 0.1
    server.raw_body = json.dumps({"keys": [KEY_A]}).encode()[:300]
    client = ferrojwt.PyJWKClient(server.url, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(ferrojwt.PyJWKClientConnectionError, match="timed out"):
        client.get_jwk_set()
    assert time.monotonic() - started < 1.5


def test_a_body_larger_than_the_cap_is_refused_unread(server: JWKSServer) -> None:
    limit = ferrojwt.PyJWKClient.max_response_bytes
    padding = "x" * limit
    server.document = {"keys": [KEY_A], "padding": padding}
    client = ferrojwt.PyJWKClient(server.url)
    with pytest.raises(ferrojwt.PyJWKClientError, match="larger than"):
        client.get_jwk_set()
    server.document = {"keys": [KEY_A], "padding": padding[: limit // 2]}
    assert client.get_signing_key("key-a").key_id == "key-a"


def test_a_jwks_body_nested_too_deeply_is_a_client_error(server: JWKSServer) -> None:
    # PyJWT lets json's RecursionError escape, which no `except PyJWTError` catches. A million
    # levels is beyond every CPython's parser (and over the default body cap, so it is raised).
    server.raw_body = b'{"keys": ' + b"[" * 1_000_000 + b"]" * 1_000_000 + b"}"
    client = ferrojwt.PyJWKClient(server.url)
    client.max_response_bytes = 4 << 20
    with pytest.raises(InvalidJWKSResponseError):
        client.get_jwk_set()


def test_the_cooldown_also_follows_a_failed_refetch(server: JWKSServer) -> None:
    # While the provider fails, tokens with invented kids must not each cost a request.
    client = ferrojwt.PyJWKClient(server.url, cooldown_duration=0.5)
    client.get_signing_key("key-a")
    time.sleep(0.6)  # the cooldown since that fetch is over
    server.status = 503
    with pytest.raises(ferrojwt.PyJWKClientConnectionError):
        client.get_signing_key("invented-1")
    assert server.served == 2
    for kid in ("invented-2", "invented-3"):
        with pytest.raises(ferrojwt.PyJWKClientError, match="Unable to find"):
            client.get_signing_key(kid)
    assert server.served == 2
    assert client.get_signing_key("key-a").key_id == "key-a"  # the cached set still serves


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\xfa", b""])
def test_a_body_that_is_not_json(jwt: ModuleType, server: JWKSServer, body: bytes) -> None:
    # PyJWT lets json's ValueError escape; ferrojwt raises a PyJWKClientError that is also a
    # ValueError, so `except ValueError` written for PyJWT still catches it.
    server.raw_body = body
    client = jwt.PyJWKClient(server.url)
    with pytest.raises(ValueError) as raised:
        client.get_jwk_set()
    if jwt is ferrojwt:
        assert isinstance(raised.value, InvalidJWKSResponseError)
        assert isinstance(raised.value, ferrojwt.PyJWKClientError)
    assert client.jwk_set_cache is not None and client.jwk_set_cache.get() is None


@pytest.mark.parametrize(
    ("document", "error"),
    [
        ([KEY_A], "PyJWKClientError"),  # JSON, but not an object
        ({"keys": []}, "PyJWKSetError"),
        ({"keys": [{"kty": "RSA", "n": "AQAB"}]}, "PyJWKSetError"),  # no usable key
        ({"other": 1}, "PyJWKSetError"),
    ],
)
def test_unusable_jwk_sets(jwt: ModuleType, server: JWKSServer, document: Any, error: str) -> None:
    server.document = document
    with pytest.raises(getattr(jwt, error)) as raised:
        jwt.PyJWKClient(server.url).get_jwk_set()
    assert type(raised.value) is getattr(jwt, error)


def test_a_malformed_token_makes_no_request(jwt: ModuleType, server: JWKSServer) -> None:
    client = jwt.PyJWKClient(server.url)
    with pytest.raises(jwt.DecodeError):
        client.get_signing_key_from_jwt("not-a-token")
    assert server.served == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"uri": "file:///etc/passwd"}, "scheme"),
        ({"uri": "ftp://127.0.0.1/jwks.json"}, "scheme"),
        ({"uri": "http://127.0.0.1/", "lifespan": 0}, "Lifespan"),
        ({"uri": "http://127.0.0.1/", "cooldown_duration": -1}, "Cooldown"),
        ({"uri": "http://127.0.0.1/", "cooldown_duration": float("inf")}, "finite"),
    ],
)
def test_bad_settings_are_refused(jwt: ModuleType, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(jwt.PyJWKClientError, match=message):
        jwt.PyJWKClient(**kwargs)


def test_lifespan_is_free_without_the_set_cache(jwt: ModuleType) -> None:
    assert (
        jwt.PyJWKClient("http://127.0.0.1/", cache_jwk_set=False, lifespan=0).jwk_set_cache is None
    )


# --- HTTPS ------------------------------------------------------------------------------------


def test_https_with_the_certificate_in_ssl_context(
    jwt: ModuleType, tls_server: JWKSServer, certificate: tuple[Path, Path]
) -> None:
    context = ssl.create_default_context(cafile=str(certificate[0]))
    client = jwt.PyJWKClient(tls_server.url, ssl_context=context)
    token = token_for("key-a")
    assert jwt.decode(token, client.get_signing_key_from_jwt(token), audience="api") == CLAIMS
    assert tls_server.served == 1


def test_https_refuses_an_unknown_certificate(jwt: ModuleType, tls_server: JWKSServer) -> None:
    client = jwt.PyJWKClient(tls_server.url)  # the system's CAs do not know the test certificate
    with pytest.raises(jwt.PyJWKClientConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        client.get_jwk_set()
    assert tls_server.served == 0


def test_https_checks_the_host_name(
    jwt: ModuleType, tls_server: JWKSServer, certificate: tuple[Path, Path]
) -> None:
    context = ssl.create_default_context(cafile=str(certificate[0]))
    # The certificate names 127.0.0.1 only; "localhost" reaches the same server.
    client = jwt.PyJWKClient(tls_server.url.replace("127.0.0.1", "localhost"), ssl_context=context)
    with pytest.raises(jwt.PyJWKClientConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        client.get_jwk_set()


# --- overriding, as PyJWT's structure allows ---------------------------------------------------


def test_a_subclass_may_filter_what_fetch_data_returns(jwt: ModuleType, server: JWKSServer) -> None:
    server.document = {"keys": [KEY_A, KEY_B]}

    class OnlyKeyB(jwt.PyJWKClient):  # type: ignore[name-defined]
        def fetch_data(self) -> Any:
            data = super().fetch_data()
            return {"keys": [key for key in data["keys"] if key["kid"] == "key-b"]}

    client = OnlyKeyB(server.url)
    assert [key.key_id for key in client.get_jwk_set().keys] == ["key-b"]
    assert [key.key_id for key in client.get_jwk_set().keys] == ["key-b"]  # the cached answer
    assert server.served == 1


def test_module_layout_matches_pyjwt() -> None:
    assert ferrojwt.PyJWKClient is ferrojwt.jwks_client.PyJWKClient
    assert "PyJWKClient" in ferrojwt.__all__
    assert issubclass(ferrojwt.PyJWKClientConnectionError, ferrojwt.PyJWKClientError)
    cache = ferrojwt.jwk_set_cache.JWKSetCache(lifespan=0.05)
    assert cache.get() is None and not cache.is_expired()
    cache.put({"keys": [KEY_A]})
    jwk_set = cache.get()
    assert jwk_set is not None and jwk_set["key-a"].key_id == "key-a"
    time.sleep(0.1)
    assert cache.is_expired() and cache.get() is None
    with pytest.raises(ferrojwt.PyJWKSetError):
        cache.put([KEY_A])  # type: ignore[arg-type]
    cache.put(None)
    assert cache.jwk_set_with_timestamp is None
