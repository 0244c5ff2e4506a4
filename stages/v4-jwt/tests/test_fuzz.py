"""Property tests: random input to ``decode`` ends in a PyJWT error, never anything else.

`make test` runs thousands of examples per test (FERROJWT_FUZZ_EXAMPLES); a bare pytest run
uses fewer.
"""

from __future__ import annotations

import base64
import json
import warnings
from typing import Any

import pytest
from conftest import FUZZ_EXAMPLES, HMAC_SECRET, read_key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrojwt

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
PUBLIC_PEM = read_key("rsa2048.pub.pem")
PRIVATE_PEM = read_key("rsa2048.pkcs8.pem")
VALID = ferrojwt.encode({"sub": "ferris"}, PRIVATE_PEM, algorithm="RS256")


def decode_expecting_only_pyjwt_errors(token: Any, key: Any, algorithms: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ferrojwt.decode(token, key, algorithms=algorithms)
        except ferrojwt.PyJWTError:
            return
    pytest.fail(f"accepted a random token: {token!r}")


@FUZZ
@given(st.text())
def test_random_text(token: str) -> None:
    decode_expecting_only_pyjwt_errors(token, PUBLIC_PEM, ["RS256", "PS256"])


@FUZZ
@given(st.binary())
def test_random_bytes(token: bytes) -> None:
    decode_expecting_only_pyjwt_errors(token, HMAC_SECRET, ["HS256"])


b64_segment = st.binary(max_size=300).map(
    lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
header = st.fixed_dictionaries(
    {"alg": st.sampled_from(["RS256", "PS256", "HS256", "none", "ES256", ""]) | json_value},
    optional={"kid": json_value, "crit": json_value, "b64": json_value, "typ": json_value},
)


@FUZZ
@given(
    header,
    json_value,
    b64_segment,
    st.sampled_from(["", ".", ".x", "="]),
)
def test_structured_tokens(head: dict[str, Any], payload: Any, signature: str, suffix: str) -> None:
    def enc(value: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    token = f"{enc(head)}.{enc(payload)}.{signature}{suffix}"
    decode_expecting_only_pyjwt_errors(token, PUBLIC_PEM, ["RS256", "PS256"])


@FUZZ
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.characters(codec="ascii"))
def test_one_character_changed(position: int, replacement: str) -> None:
    if VALID[position] == replacement:
        return
    token = VALID[:position] + replacement + VALID[position + 1 :]
    try:
        ferrojwt.decode(token, PUBLIC_PEM, algorithms=["RS256"])
    except ferrojwt.PyJWTError:
        return
    pytest.fail(f"accepted a modified token (position {position}, {replacement!r})")


@FUZZ
@given(st.binary(max_size=2000) | st.text(max_size=2000))
def test_random_keys(key: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ferrojwt.decode(VALID, key, algorithms=["RS256"])
        except ferrojwt.PyJWTError:
            return
    pytest.fail(f"a random key verified the token: {key!r}")
