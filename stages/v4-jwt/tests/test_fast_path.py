"""The native fast path for ordinary RSA tokens must be invisible: same results as the general
path for valid tokens, and the general path's exact errors for everything else.

The general path is forced by passing ``algorithms`` as a set (the fast path only takes a list or
tuple), which PyJWT accepts too.
"""

from __future__ import annotations

import base64
import json
import warnings
from typing import Any

import pytest
from conftest import FUZZ_EXAMPLES, read_key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrojwt
from ferrojwt import _native, api_jws

PRIVATE_PEM = read_key("rsa2048.pkcs8.pem")
PUBLIC_PEM = read_key("rsa2048.pub.pem")


def outcome(token: Any, algorithms: Any, key: Any = PUBLIC_PEM) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ferrojwt.api_jws.PyJWS().decode_complete(token, key, algorithms=algorithms)
        except Exception as error:  # noqa: BLE001 - compared between the two paths
            return (type(error).__name__, str(error))


@pytest.fixture
def fast_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records each use of the native fast path and whether it accepted the token."""
    calls: list[bool] = []
    original = _native.rsa_verify_compact

    def spy(token: bytes, allowed: list[str], key: _native.RsaKey) -> Any:
        result = original(token, allowed, key)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(_native, "rsa_verify_compact", spy)
    return calls


def test_valid_token_takes_the_fast_path(fast_calls: list[bool]) -> None:
    token = ferrojwt.encode({"a": 1}, PRIVATE_PEM, algorithm="PS384", headers={"kid": "k"})
    result = api_jws.PyJWS().decode_complete(token, PUBLIC_PEM, algorithms=["PS384"])
    assert fast_calls == [True]
    assert result == outcome(token, {"PS384"})
    assert result["header"] == {"alg": "PS384", "kid": "k", "typ": "JWT"}
    assert ferrojwt.decode(token, PUBLIC_PEM, algorithms=("PS384",)) == {"a": 1}
    assert fast_calls == [True, True]


@pytest.mark.parametrize(
    "case",
    ["hmac-allowed", "small-key", "pyjwk", "subclass", "detached", "set"],
)
def test_unusual_calls_skip_the_fast_path(case: str, fast_calls: list[bool]) -> None:
    token = ferrojwt.encode({"a": 1}, PRIVATE_PEM, algorithm="RS256")
    jws = api_jws.PyJWS()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case == "hmac-allowed":
            # Allowed, and correct: the token says RS256. Only the general path mixes families.
            assert jws.decode(token, PUBLIC_PEM, algorithms=["RS256", "HS256"]) == b'{"a":1}'

        elif case == "small-key":
            small = ferrojwt.encode({"a": 1}, read_key("rsa1024.pkcs8.pem"), algorithm="RS256")
            jws.decode(small, read_key("rsa1024.pub.pem"), algorithms=["RS256"])
        elif case == "pyjwk":
            jwk = ferrojwt.algorithms.RSAAlgorithm.to_jwk(PUBLIC_PEM, as_dict=True)
            jws.decode(token, ferrojwt.PyJWK(jwk))
        elif case == "subclass":

            class Custom(ferrojwt.algorithms.RSAAlgorithm):
                pass

            jws.unregister_algorithm("RS256")
            jws.register_algorithm("RS256", Custom(Custom.SHA256))
            jws.decode(token, PUBLIC_PEM, algorithms=["RS256"])
        elif case == "detached":
            with pytest.raises(ferrojwt.DecodeError):
                jws.decode(token, PUBLIC_PEM, algorithms=["RS256"], detached_payload=b"x")
        else:
            jws.decode(token, PUBLIC_PEM, algorithms={"RS256"})
    assert fast_calls == []


def test_relabelled_hash_is_not_trusted(fast_calls: list[bool]) -> None:
    """An RS256 entry re-registered with another hash must not be verified natively as RS256."""
    jws = api_jws.PyJWS()
    jws.unregister_algorithm("RS256")
    jws.register_algorithm(
        "RS256", ferrojwt.algorithms.RSAAlgorithm(ferrojwt.algorithms.RSAAlgorithm.SHA512)
    )
    token = ferrojwt.encode({"a": 1}, PRIVATE_PEM, algorithm="RS256")
    with pytest.raises(ferrojwt.InvalidSignatureError):
        jws.decode(token, PUBLIC_PEM, algorithms=["RS256"])
    assert fast_calls == []


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.slow
@settings(
    max_examples=max(50, FUZZ_EXAMPLES // 10),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    alg=st.sampled_from(["RS256", "PS256", "RS512", "HS256", "none"]),
    extra=st.dictionaries(st.sampled_from(["kid", "crit", "b64", "typ", "x"]), json_value),
    payload=st.binary(max_size=40) | json_value.map(lambda v: json.dumps(v).encode()),
    allowed=st.lists(st.sampled_from(["RS256", "PS256", "RS512"]), min_size=1, max_size=3),
    damage=st.sampled_from(["none", "signature", "payload", "header"]),
)
def test_both_paths_agree(
    alg: str, extra: dict[str, Any], payload: bytes, allowed: list[str], damage: str
) -> None:
    header = {"alg": alg, **extra}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(payload)}"
    signature = b""
    if alg in ("RS256", "PS256", "RS512"):
        key = _native.load_rsa_key(PRIVATE_PEM.encode())
        signature = _native.rsa_sign(alg, key, signing_input.encode())
    head, body = signing_input.split(".")
    if damage == "signature" and signature:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    elif damage == "payload":
        body = b64(payload + b"!")
    elif damage == "header":
        head = b64(json.dumps({**header, "kid": "other"}).encode())
    token = f"{head}.{body}.{b64(signature)}"
    assert outcome(token, list(allowed)) == outcome(token, set(allowed))


def json_outcome(load: Any, text: str) -> Any:
    """What a JSON loader returns (as repr: key order and NaN compare too) or raises."""
    try:
        return repr(load(text))
    except Exception as error:  # noqa: BLE001 - compared between the two loaders
        return (type(error).__name__, str(error))


@pytest.mark.parametrize(
    "text",
    [
        '{"a":1}',
        ' {"a":1}',
        '{"a":1} ',
        '{"a":1}\n',
        '\ufeff{"a":1}',
        '{"a":1}{"b":2}',
        '{"a":1} x',
        "",
        " ",
        "[1,2]",
        '"text"',
        "NaN",
        '{"n":NaN,"i":-Infinity}',
        '{"big":123456789012345678901234567890,"f":1e400,"neg":-0}',
        '{"a":1,"b":2,"a":3}',
        '{"s":"\\ud800","t":"\\u00e9\\n"}',
        '{"a":',
        '{"a":1,}',
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_json_loads_matches_the_json_module(text: str) -> None:
    assert json_outcome(api_jws._json_loads, text) == json_outcome(json.loads, text)


# JSON documents (floats included: NaN and Infinity too), with or without whitespace or data
# around them, and arbitrary text.
json_text = st.text(max_size=30) | st.builds(
    lambda before, value, after: before + json.dumps(value) + after,
    st.sampled_from(["", " ", "\n\t"]),
    json_value | st.dictionaries(st.text(max_size=5), st.floats(), max_size=3),
    st.sampled_from(["", " ", "x", "{}"]),
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True)
@given(text=json_text)
def test_json_loads_agrees_with_the_json_module(text: str) -> None:
    assert json_outcome(api_jws._json_loads, text) == json_outcome(json.loads, text)
