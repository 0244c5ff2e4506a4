"""The native encode fast path (``encode_jwt``) must be invisible: the token it writes is byte
for byte PyJWT's, and whatever it cannot write exactly takes PyJWT's own route.

RS256 and EdDSA signatures are deterministic, so whole tokens are compared with PyJWT's; an
ES256 signature is not, so its header and payload segments are compared and the token verified.
"""

from __future__ import annotations

import enum
import json
import warnings
from datetime import UTC, datetime
from typing import Any

import jwt as pyjwt
import pytest
from conftest import FUZZ_EXAMPLES, read_key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jwt.utils import base64url_decode

import ferrojwt
from ferrojwt import _native

KEYS = {
    "RS256": ("rsa2048.pkcs8.pem", "rsa2048.pub.pem"),
    "PS256": ("rsa2048.pkcs8.pem", "rsa2048.pub.pem"),
    "ES256": ("ec256.pem", "ec256.pub.pem"),
    "EdDSA": ("ed25519.pkcs8.pem", "ed25519.pub.pem"),
}
DETERMINISTIC = ("RS256", "EdDSA")


@pytest.fixture
def fast_encodes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records each use of the encode fast path and whether it wrote the token."""
    calls: list[bool] = []
    original = _native.encode_jwt

    def spy(*args: Any) -> Any:
        result = original(*args)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(_native, "encode_jwt", spy)
    return calls


def outcomes(payload: Any, alg: str, **kwargs: Any) -> tuple[Any, Any]:
    """(ferrojwt's result, PyJWT's): the token, or the exception's type and message."""
    private = read_key(KEYS[alg][0])

    def run(library: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return library.encode(payload, private, algorithm=alg, **kwargs)
            except Exception as error:  # noqa: BLE001 - compared between the two libraries
                return (type(error).__name__, str(error))

    return run(ferrojwt), run(pyjwt)


def same_token(ours: Any, theirs: Any, alg: str) -> None:
    if not isinstance(ours, str):
        # The same exception; some of PyJWT's messages differ (they show a generator's repr).
        assert ours[0] == theirs[0]
        return
    if alg in DETERMINISTIC:
        assert ours == theirs
        return
    assert ours.rsplit(".", 1)[0] == theirs.rsplit(".", 1)[0]
    public = read_key(KEYS[alg][1])
    header = json.loads(base64url_decode(ours.split(".")[0]))  # unchecked: `crit` may be odd
    if header.get("b64", True) is not False:  # a detached payload is signed as it is
        signing_input, signature = ours.rsplit(".", 1)
        verifier = pyjwt.get_algorithm_by_name(header["alg"])  # `headers` may name another
        assert verifier.verify(
            signing_input.encode(), verifier.prepare_key(public), base64url_decode(signature)
        )


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("alg", list(KEYS))
@pytest.mark.parametrize(
    ("payload", "kwargs"),
    [
        ({"sub": "ferris", "exp": 4102444800}, {}),
        ({"scope": "read write", "n": [1, 2.5, None, True], "o": {"b": 1, "a": ""}}, {}),
        ({"name": "Grüße, 世界 \U0001f980", "ctl": '\x00\x1f\x7f"\\/'}, {}),
        ({"big": 2**63 - 1, "small": -(2**63), "f": [1e16, 1e-05, -0.0, 0.1]}, {}),
        ({"nan": float("nan"), "inf": [float("inf"), float("-inf")]}, {}),
        ({"deep": nested(60), "tuple": (1, ("a",))}, {}),
        ({"a": 1}, {"headers": {"kid": "k1", "z": [1], "b": {"y": 1, "x": 2}}}),
        ({"a": 1}, {"headers": {"kid": "k1", "z": 1, "b": 2}, "sort_headers": False}),
    ],
)
def test_plain_payloads_take_the_fast_path(
    payload: dict[str, Any], kwargs: dict[str, Any], alg: str, fast_encodes: list[bool]
) -> None:
    ours, theirs = outcomes(payload, alg, **kwargs)
    assert fast_encodes == [True]
    same_token(ours, theirs, alg)


class Level(enum.IntEnum):
    HIGH = 1


class Text(str):
    pass


@pytest.mark.parametrize("alg", list(KEYS))
@pytest.mark.parametrize(
    ("payload", "kwargs"),
    [
        ({"exp": datetime(2100, 1, 1, tzinfo=UTC)}, {}),
        ({"n": 2**64}, {}),
        ({"n": -(2**63) - 1}, {}),
        ({"level": Level.HIGH}, {}),
        ({"name": Text("x")}, {}),
        ({Text("k"): 1}, {}),
        ({1: "int key", None: "none key"}, {}),
        ({"s": "\ud800"}, {}),
        ({"\udfff": 1}, {}),
        ({"deep": nested(100)}, {}),
        ({"set": {1, 2}}, {}),
        ({"bytes": b"x"}, {}),
        ({"iss": 7}, {}),
        ({"a": 1}, {"headers": {"kid": 7}}),
        ({"a": 1}, {"headers": {"alg": "RS256"}}),
        ({"a": 1}, {"headers": {"typ": None}}),
        ({"a": 1}, {"headers": {"b64": False}}),
        ({"a": 1}, {"headers": {"crit": ["exp"]}}),
        ({"a": 1}, {"headers": {1: "x"}}),
    ],
)
def test_other_shapes_take_pyjwts_route(
    payload: dict[str, Any], kwargs: dict[str, Any], alg: str, fast_encodes: list[bool]
) -> None:
    ours, theirs = outcomes(payload, alg, **kwargs)
    assert True not in fast_encodes
    same_token(ours, theirs, alg)


def test_circular_payload_raises_as_pyjwt_does(fast_encodes: list[bool]) -> None:
    payload: dict[str, Any] = {"a": []}
    payload["a"].append(payload)
    ours, theirs = outcomes(payload, "RS256")
    assert ours == theirs == ("ValueError", "Circular reference detected")


@pytest.mark.parametrize(
    ("key", "alg"),
    [
        ("rsa2048.pub.pem", "RS256"),  # a public key cannot sign
        ("ec256.pem", "ES384"),  # another curve than the algorithm's
        ("ed25519.pkcs8.pem", "ES256"),
        ("rsa2048.pkcs8.pem", "EdDSA"),
        ("rsa1024.pkcs8.pem", "RS256"),  # below the recommended size: the route warns
    ],
)
def test_keys_it_cannot_sign_with_take_the_route(
    key: str, alg: str, fast_encodes: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    pem = read_key(key)

    def encode() -> tuple[Any, list[str]]:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            try:
                result: Any = ferrojwt.encode({"a": 1}, pem, algorithm=alg)
            except Exception as error:  # noqa: BLE001 - compared between the two routes
                result = (type(error).__name__, str(error))
        return result, [str(w.message) for w in warned]

    first = encode()
    assert True not in fast_encodes
    monkeypatch.setattr(_native, "encode_jwt", lambda *args: None)
    assert first == encode()


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text()
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
header_values = st.dictionaries(
    st.sampled_from(["kid", "cty", "x5t", "jku", "zz", "a", "\u00e9", "\U0001f980"]),
    json_values,
    max_size=4,
)


@pytest.mark.slow
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    payload=st.dictionaries(st.text(max_size=8), json_values, max_size=6),
    headers=st.none() | header_values,
    sort_headers=st.booleans(),
    alg=st.sampled_from(DETERMINISTIC),
)
def test_tokens_are_pyjwts(
    payload: dict[str, Any], headers: Any, sort_headers: bool, alg: str
) -> None:
    ours, theirs = outcomes(payload, alg, headers=headers, sort_headers=sort_headers)
    same_token(ours, theirs, alg)
