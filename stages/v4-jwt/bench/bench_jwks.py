"""The cached JWKS lookup, for `bench_jwt.py`: what a service pays per request to find the key
of a token from an OpenID Connect provider, once the provider's JWK Set is cached.

A JWKS server runs on 127.0.0.1 in this process; each library's `PyJWKClient` fetches the set
once, and every measured call is answered from the cache (checked: the server counts requests).

- `lookup`: `client.get_signing_key_from_jwt(token)`, the JWK Set cached (the default client);
- `lookup, keys cached`: the same with `cache_keys=True` (the signing key cached by `kid`);
- `lookup + decode`: the lookup, then `decode(token, signing_key)` (RS256, RSA-2048): the whole
  per-request cost.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Call = Callable[[], object]
KEYS_DIR = Path(__file__).resolve().parent.parent / "tests" / "keys"
PAYLOAD = {"sub": "bench", "aud": "api", "exp": 4102444800}


@contextmanager
def jwks_server(document: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """(URL, list of requested paths) of a JWKS endpoint serving `document`."""
    body = json.dumps(document).encode()
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json", requests
    finally:
        server.shutdown()
        server.server_close()


def lookup_calls(library: Any, url: str, token: str) -> dict[str, Call]:
    plain = library.PyJWKClient(url)
    keys_cached = library.PyJWKClient(url, cache_keys=True)

    def lookup_and_decode() -> object:
        key = plain.get_signing_key_from_jwt(token)
        return library.decode(token, key, audience="api")

    calls: dict[str, Call] = {
        "lookup": lambda: plain.get_signing_key_from_jwt(token),
        "lookup, keys cached": lambda: keys_cached.get_signing_key_from_jwt(token),
        "lookup + decode": lookup_and_decode,
    }
    assert lookup_and_decode() == PAYLOAD
    assert calls["lookup, keys cached"]().key_id == "bench-key"  # type: ignore[attr-defined]
    return calls


def measure(timings: Callable[[Call], tuple[float, float]]) -> list[dict[str, Any]]:
    """Rows {library, op, t1, t2}: `timings(call)` gives (1-thread, 2-thread) µs per call."""
    import ferrojwt

    public_jwk = ferrojwt.keys.public_jwk_from_pem((KEYS_DIR / "rsa2048.pub.pem").read_text())
    document = {"keys": [{**public_jwk, "kid": "bench-key", "alg": "RS256", "use": "sig"}]}
    token = ferrojwt.encode(
        PAYLOAD,
        (KEYS_DIR / "rsa2048.pkcs8.pem").read_text(),
        algorithm="RS256",
        headers={"kid": "bench-key"},
    )
    libraries: dict[str, Any] = {"ferrojwt": ferrojwt}
    try:
        import jwt as pyjwt

        libraries["PyJWT"] = pyjwt
    except ImportError:
        pass

    rows = []
    with jwks_server(document) as (url, requests):
        for name, library in libraries.items():
            before = len(requests)
            for op, call in lookup_calls(library, url, token).items():
                one, two = timings(call)
                rows.append({"library": name, "op": op, "t1": one, "t2": two})
            # One fetch per client (two clients), however many lookups: the cache answered.
            assert len(requests) - before == 2, f"{name}: {len(requests) - before} fetches"
    return rows


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "Cached JWKS lookup (PyJWKClient.get_signing_key_from_jwt, local server, RS256):",
        "",
        "| library | op | µs | 2 threads µs/op |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {r['library']} | {r['op']} | {r['t1']:.1f} | {r['t2']:.1f} |" for r in rows]
    ours = {r["op"]: r["t1"] for r in rows if r["library"] == "ferrojwt"}
    theirs = {r["op"]: r["t1"] for r in rows if r["library"] == "PyJWT"}
    if theirs:
        lines.append("")
        lines += [f"- {op}: ferrojwt vs PyJWT {theirs[op] / ours[op]:.2f}×" for op in ours]
    return lines
