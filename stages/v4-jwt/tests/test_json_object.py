"""The claims dict built in Rust (``src/bindings/json_object.rs``) must be exactly what
``json.loads`` returns: the same keys in the same order, the same values of the same types.
Where it cannot be sure it answers ``None`` and the ``json`` module decides; the common payloads
must not fall back, or decode loses its speed without a test noticing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FUZZ_EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrojwt
from ferrojwt import _native


def same(built: Any, loaded: Any) -> bool:
    """Equal, with the same types and the same order throughout (``1 == True == 1.0``, and
    dicts compare without order, so ``==`` alone would not tell)."""
    return repr(built) == repr(loaded) and type(built) is type(loaded)


@pytest.mark.parametrize(
    "text",
    [
        b'{"sub":"1234567890","name":"John Doe","iat":1516239022}',
        b'{"iss":"https://issuer.example","aud":["a","b"],"exp":1893456000,"nbf":0}',
        b'{"admin":true,"guest":false,"deleted":null,"n":-42,"big":999999999999999999}',
        b'{"realm_access":{"roles":["user","admin"]},"scope":"openid profile"}',
        b' \n{"esc":"a\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00\\n\\u0000"}\t\r',
        '{"ünïcödé":"日本語","emoji":"🦀"}'.encode(),
        b'{"a":1,"b":2,"a":3}',
        b"{}",
    ],
)
def test_common_payloads_are_built_in_rust(text: bytes) -> None:
    built = _native.json_object(text)
    assert built is not None, "fell back to the json module"
    assert same(built, json.loads(text))


def test_a_repeated_member_keeps_its_first_place_and_last_value() -> None:
    built = _native.json_object(b'{"a":1,"b":2,"a":3}')
    assert built is not None
    assert list(built.items()) == [("a", 3), ("b", 2)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (b'{"exp":1.5}', "a float: Python rounds its literal itself"),
        (b'{"exp":15e-1}', "an exponent"),
        (b'{"exp":1E3}', "an exponent"),
        (b'{"n":-0}', "-0 is an int in Python, a float in serde_json"),
        (b'{"n":1234567890123456789}', "19 digits may not fit 64 bits"),
        (b'{"n":NaN}', "NaN: Python's extension"),
        (b'{"n":-Infinity}', "Infinity: Python's extension"),
        (b'{"s":"\\ud800"}', "a lone surrogate, which Python keeps"),
        (b'{"a":' * 17 + b"1" + b"}" * 17, "17 levels deep"),
        (b"[1,2]", "not an object"),
        (b'"text"', "not an object"),
        (b"\xef\xbb\xbf{}", "a BOM: json.loads decides"),
        ('{"a":1}'.encode("utf-16"), "UTF-16"),
        (b'{"a":"\xff"}', "invalid UTF-8"),
        (b'{"a":1} x', "data after the document"),
        (b'{"a":1', "truncated"),
        (b"", "empty"),
    ],
)
def test_what_rust_is_not_sure_of_falls_back(text: bytes, why: str) -> None:
    assert _native.json_object(text) is None, why


def test_sixteen_levels_are_still_built_in_rust() -> None:
    text = b'{"a":' * 15 + b"[1]" + b"}" * 15
    built = _native.json_object(text)
    assert built is not None
    assert same(built, json.loads(text))


def test_decode_returns_the_rust_built_claims_for_an_ordinary_token() -> None:
    key = _native.generate_curve_key("Ed25519")
    claims = {"sub": "u", "roles": ["a"], "n": 5, "ok": True, "none": None}
    token = ferrojwt.encode(claims, key, algorithm="EdDSA")
    assert same(ferrojwt.decode(token, key, algorithms=["EdDSA"]), claims)


# --- random JSON: what Rust builds is what json.loads returns ---------------------------------

leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**22), max_value=10**22)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
value = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)
small_key = st.sampled_from(["a", "b", "exp", "é", "\\ud800", "\\ud83d\\ude00", "\\u0041"])


def members_text(pairs: list[tuple[str, Any]], space: str) -> str:
    """An object written member by member, so that keys may repeat and be escaped by hand."""
    body = f",{space}".join(f'"{key}":{space}{json.dumps(item)}' for key, item in pairs)
    return "{" + body + "}"


json_texts = st.one_of(
    st.builds(
        json.dumps,
        st.dictionaries(st.text(max_size=6), value, max_size=5),
        ensure_ascii=st.booleans(),
        indent=st.sampled_from([None, 0, 2]),
    ),
    st.builds(
        members_text, st.lists(st.tuples(small_key, value), max_size=5), st.sampled_from(["", " "])
    ),
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True)
@given(text=json_texts)
def test_random_json_is_built_exactly_or_left_to_python(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    built = _native.json_object(data)
    try:
        loaded = json.loads(data)
    except ValueError:
        assert built is None
        return
    if built is not None:
        assert same(built, loaded)
    elif isinstance(loaded, dict):
        # Integers, strings, literals and shallow nesting: Rust must not fall back on them.
        assert not plain(json.loads(data, object_pairs_hook=Members)), text


class Members(list):
    """An object's members as loaded, every one of them (a dict keeps a repeated key's last)."""


def plain(item: Any, depth: int = 1) -> bool:
    """Whether a loaded value holds only what the Rust builder promises to build."""
    if isinstance(item, Members):
        keys, children = [k for k, _ in item], [v for _, v in item]
    elif isinstance(item, list):
        keys, children = [], item
    if isinstance(item, list):
        return depth <= 16 and all(map(plain, keys)) and all(plain(c, depth + 1) for c in children)
    if isinstance(item, float):
        return False
    if isinstance(item, int) and not isinstance(item, bool):
        return abs(item) < 10**18
    if isinstance(item, str):
        return not any("\ud800" <= c <= "\udfff" for c in item)
    return True


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True)
@given(data=st.binary(max_size=40) | st.builds(lambda t: t.encode(), json_texts))
def test_any_bytes_are_built_exactly_or_left_to_python(data: bytes) -> None:
    built = _native.json_object(data)
    if built is not None:
        assert same(built, json.loads(data))
