"""The native fast paths for ordinary tokens (RSA, EC and Ed25519 keys) must be invisible: same
results as the general path for valid tokens, and the general path's exact errors for everything
else.

Two native calls serve them: ``verify_compact`` for ``PyJWS`` (the signature) and
``decode_jwt`` for ``PyJWT`` (the signature, the payload and a conservative claim check).
The general path is forced by passing ``algorithms`` as a set (the fast paths only take a list or
tuple), which PyJWT accepts too.
"""

from __future__ import annotations

import base64
import json
import time
import warnings
from datetime import timedelta
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
    """Records each use of a native fast path and whether it decided (verified, or refused a
    forged signature) rather than handing the token to the general path."""
    calls: list[bool] = []
    for name in ("verify_compact", "decode_jwt"):
        original = getattr(_native, name)

        def spy(*args: Any, original: Any = original) -> Any:
            try:
                result = original(*args)
            except ferrojwt.InvalidSignatureError:
                calls.append(True)
                raise
            calls.append(result is not None)
            return result

        monkeypatch.setattr(_native, name, spy)
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
    ("alg", "private", "public"),
    [
        ("ES256", "ec256.pem", "ec256.pub.pem"),
        ("ES384", "ec384.pkcs8.pem", "ec384.pub.pem"),
        ("ES512", "ec521.pkcs8.pem", "ec521.pub.pem"),
        ("ES256K", "ec256k1.pkcs8.pem", "ec256k1.pub.pem"),
        ("EdDSA", "ed25519.pkcs8.pem", "ed25519.pub.pem"),
    ],
)
def test_curve_tokens_take_the_fast_path_and_agree_with_the_general_one(
    alg: str, private: str, public: str, fast_calls: list[bool]
) -> None:
    public_pem = read_key(public)
    token = ferrojwt.encode({"a": 1}, read_key(private), algorithm=alg, headers={"kid": "k"})
    result = api_jws.PyJWS().decode_complete(token, public_pem, algorithms=[alg, "EdDSA"])
    assert fast_calls == [True]
    assert result == outcome(token, {alg, "EdDSA"}, public_pem)
    assert ferrojwt.decode(token, public_pem, algorithms=(alg,)) == {"a": 1}
    assert fast_calls == [True, True]
    # A forged signature is refused by the fast path itself, as the general path would.
    head, body, _ = token.split(".")
    forged = f"{head}.{body}.{token.split('.')[2][::-1]}"
    assert outcome(forged, [alg], public_pem) == outcome(forged, {alg}, public_pem)
    # A key on another curve, or of another family, goes to the general path, which refuses it.
    for other in ("ec384.pub.pem" if alg != "ES384" else "ec256.pub.pem", "rsa2048.pub.pem"):
        calls_before = len(fast_calls)
        refused = outcome(token, [alg], read_key(other))
        assert refused == outcome(token, {alg}, read_key(other))
        assert refused[0] == "InvalidKeyError"
        assert not any(fast_calls[calls_before:])


@pytest.mark.parametrize(
    "case",
    ["hmac-allowed", "small-key", "pyjwk-hmac", "subclass", "detached", "set"],
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
        elif case == "pyjwk-hmac":
            hs_token = ferrojwt.encode({"a": 1}, "k" * 32, algorithm="HS256")
            hs_jwk = ferrojwt.algorithms.HMACAlgorithm.to_jwk("k" * 32, as_dict=True)
            assert jws.decode(hs_token, ferrojwt.PyJWK(hs_jwk)) == b'{"a":1}'
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
    assert True not in fast_calls


JWK = {**ferrojwt.algorithms.RSAAlgorithm.to_jwk(PUBLIC_PEM, as_dict=True), "alg": "PS256"}


@pytest.mark.parametrize(
    ("token_alg", "algorithms", "fast"),
    [
        ("PS256", None, True),
        ("PS256", ["PS256"], True),
        ("PS256", ("RS256", "PS256"), True),
        ("PS256", ["RS256"], False),  # the key's algorithm is not allowed
        ("RS256", None, False),  # the token names another algorithm than the key's
        ("RS256", ["RS256", "PS256"], False),
        ("PS256", {"PS256"}, False),
    ],
)
def test_a_pyjwk_takes_the_fast_path_for_its_own_algorithm(
    token_alg: str, algorithms: Any, fast: bool, fast_calls: list[bool]
) -> None:
    # PyJWKClient's keys: decode(token, signing_key) verifies natively when the token names
    # the key's algorithm, and otherwise gets the general path's (PyJWT's) error.
    token = ferrojwt.encode({"a": 1}, PRIVATE_PEM, algorithm=token_alg)
    key = ferrojwt.PyJWK(JWK)

    class GeneralPath(api_jws.PyJWS):  # a subclass never takes the fast path
        pass

    try:
        general: Any = GeneralPath().decode_complete(token, key, algorithms=algorithms)
    except ferrojwt.PyJWTError as error:
        general = (type(error).__name__, str(error))
    assert fast_calls == []
    assert outcome(token, algorithms, key) == general
    assert (True in fast_calls) == fast  # declined (False) or not asked: the general path
    if fast:
        assert general["payload"] == b'{"a":1}'
        assert ferrojwt.decode(token, key, algorithms=algorithms) == {"a": 1}
        with pytest.raises(ferrojwt.InvalidSignatureError):
            api_jws.PyJWS().decode(token[:-4] + "AAAA", key, algorithms=algorithms)
        assert fast_calls == [True, True, True]
    elif not isinstance(algorithms, set):  # a set is allowed, only never fast
        assert general[0] == "InvalidAlgorithmError"


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


def test_forged_token_costs_one_rsa_operation(
    monkeypatch: pytest.MonkeyPatch, fast_calls: list[bool]
) -> None:
    """A wrong signature is refused by the fast path itself, with PyJWT's exception and
    message: the general path, which would verify a second time, is not taken."""
    general: list[bytes] = []
    original = _native.rsa_verify
    monkeypatch.setattr(
        _native, "rsa_verify", lambda *args: general.append(args[2]) or original(*args)
    )
    head, _, signature = ferrojwt.encode({"a": 1}, PRIVATE_PEM, algorithm="RS256").split(".")
    forged = ".".join((head, b64(b'{"a":2}'), signature))
    for decode in (ferrojwt.decode, ferrojwt.decode_complete, api_jws.PyJWS().decode):
        with pytest.raises(ferrojwt.InvalidSignatureError, match="^Signature verification failed$"):
            decode(forged, PUBLIC_PEM, algorithms=["RS256"])
    assert fast_calls == [True, True, True]
    assert general == []
    # The general path reaches the same verdict.
    with pytest.raises(ferrojwt.InvalidSignatureError, match="^Signature verification failed$"):
        ferrojwt.decode(forged, PUBLIC_PEM, algorithms={"RS256"})
    assert len(general) == 1


def test_failing_claim_is_reported_without_a_second_verification(
    monkeypatch: pytest.MonkeyPatch, fast_calls: list[bool]
) -> None:
    general: list[bytes] = []
    original = _native.rsa_verify
    monkeypatch.setattr(
        _native, "rsa_verify", lambda *args: general.append(args[2]) or original(*args)
    )
    token = ferrojwt.encode({"exp": int(time.time()) - 60}, PRIVATE_PEM, algorithm="PS256")
    with pytest.raises(ferrojwt.ExpiredSignatureError, match="^Signature has expired$"):
        ferrojwt.decode(token, PUBLIC_PEM, algorithms=["PS256"])
    assert fast_calls == [True]
    assert general == []


def test_a_declined_token_goes_one_way_down(fast_calls: list[bool]) -> None:
    """``PyJWT`` asks its fast path once per call; when the core declines a token (here a header
    that is not flat), the general path takes it without asking again, at either layer."""
    token = ferrojwt.encode(
        {"a": 1}, PRIVATE_PEM, algorithm="RS256", headers={"x": {"nested": True}}
    )
    assert ferrojwt.decode(token, PUBLIC_PEM, algorithms=["RS256"]) == {"a": 1}
    assert fast_calls == [False]
    complete = ferrojwt.decode_complete(token, PUBLIC_PEM, algorithms=["RS256"])
    assert complete["header"]["x"] == {"nested": True}
    assert fast_calls == [False, False]


def test_only_known_options_are_honoured_natively(monkeypatch: pytest.MonkeyPatch) -> None:
    """An option the fast path does not know (an extension's, a subclass's) sends the whole call
    down the general path, which may act on it; a missing one is PyJWT's KeyError either way."""
    results: list[Any] = []
    original = _native.decode_jwt
    monkeypatch.setattr(
        _native, "decode_jwt", lambda *args: results.append(original(*args)) or results[-1]
    )
    token = ferrojwt.encode({"a": 1}, PRIVATE_PEM, algorithm="RS256")
    decode = ferrojwt.decode
    assert decode(token, PUBLIC_PEM, algorithms=["RS256"], options={"x_limit": 1}) == {"a": 1}
    extended = ferrojwt.PyJWT(options={"x_limit": 1})
    assert extended.decode(token, PUBLIC_PEM, algorithms=["RS256"]) == {"a": 1}
    assert decode(token, PUBLIC_PEM, algorithms=["RS256"], options={"verify_exp": 0}) == {"a": 1}
    # Each call asks once: on None the general path takes the token and does not ask again.
    assert [result is None for result in results] == [True, True, False]

    incomplete = ferrojwt.PyJWT()
    del incomplete.options["verify_iat"]
    token = ferrojwt.encode({"iat": int(time.time())}, PRIVATE_PEM, algorithm="RS256")
    for algorithms in (["RS256"], {"RS256"}):
        with pytest.raises(KeyError, match="verify_iat"):
            incomplete.decode(token, PUBLIC_PEM, algorithms=algorithms)


@pytest.fixture
def claims_checked(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each decode_jwt call vouched for the claims itself (else Python checked)."""
    checked: list[bool] = []
    original = _native.decode_jwt

    def spy(*args: Any) -> Any:
        result = original(*args)
        checked.append(result is not None and result[1])
        return result

    monkeypatch.setattr(_native, "decode_jwt", spy)
    return checked


@pytest.mark.parametrize(
    ("claims", "kwargs", "in_rust"),
    [
        ({}, {}, True),
        (
            {"sub": "u", "exp": 600, "iat": 0, "aud": ["a", "b"], "iss": "i", "jti": "j"},
            {"audience": "b", "issuer": ("x", "i"), "subject": "u", "leeway": 1.5},
            True,
        ),
        ({"exp": 600, "aud": "a"}, {"audience": ["a"], "options": {"require": ["exp"]}}, True),
        ({"iss": "i"}, {"issuer": {"i"}, "options": {"strict_aud": True}}, True),
        ({"exp": 600.5}, {}, False),
        ({"exp": 600}, {"leeway": timedelta(seconds=5)}, False),
        ({"aud": ""}, {}, False),
        ({"sub": 5}, {"options": {"verify_sub": False}}, False),
    ],
)
def test_plain_claims_are_checked_in_rust(
    claims: dict[str, Any], kwargs: dict[str, Any], in_rust: bool, claims_checked: list[bool]
) -> None:
    """Plain shapes are vouched for natively; anything else is decided by the Python rules,
    and either way the result is the general path's."""
    now = int(time.time())
    claims = {k: v + now if k in ("exp", "iat") else v for k, v in claims.items()}
    token = api_jws.PyJWS().encode(json.dumps(claims).encode(), PRIVATE_PEM, algorithm="RS256")
    fast = ferrojwt.decode(token, PUBLIC_PEM, algorithms=["RS256"], **kwargs)
    assert claims_checked == [in_rust]
    assert fast == ferrojwt.decode(token, PUBLIC_PEM, algorithms={"RS256"}, **kwargs) == claims


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


# Claim values in every shape PyJWT distinguishes. Times are offsets from the moment of the test,
# far enough from it (10,000 s) that the two decodes compared below cannot disagree on the clock.
TIME_SHAPES = st.sampled_from(["int", "float", "str", "bool", "null", "text", "list", "huge"])
claim_time = st.tuples(st.sampled_from([-10_000, 10_000]), TIME_SHAPES)
claim_text = st.sampled_from(["a", "b", "", None, 1, True, ["a"], {"a": 1}])
claim_aud = st.sampled_from(["a", "b", "", None, 0, [], ["a", "b"], ["b"], ["a", 1], {"a": 1}])
claims_strategy = st.fixed_dictionaries(
    {},
    optional={
        "exp": claim_time,
        "nbf": claim_time,
        "iat": claim_time,
        "iss": claim_text,
        "sub": claim_text,
        "jti": claim_text,
        "aud": claim_aud,
        "tenant": claim_text,
    },
)
decode_kwargs = st.fixed_dictionaries(
    {},
    optional={
        "audience": st.sampled_from([None, "a", "", ["a", "x"], ("b",), ["x"], [], {"a"}, 5]),
        "issuer": st.sampled_from([None, "a", ["a"], ("a", "b"), {"b"}, frozenset({"a"}), 5]),
        "subject": st.sampled_from([None, "a", "b", 1]),
        "leeway": st.sampled_from([0, 5, -5, 1.5, 20_000, timedelta(seconds=20_000), 2**60]),
        "options": st.fixed_dictionaries(
            {},
            optional={
                "verify_exp": st.booleans(),
                "verify_nbf": st.booleans(),
                "verify_iat": st.sampled_from([True, False, 0, "yes"]),
                "verify_aud": st.booleans(),
                "verify_iss": st.booleans(),
                "verify_sub": st.booleans(),
                "verify_jti": st.booleans(),
                "strict_aud": st.booleans(),
                "require": st.sampled_from([[], ["exp"], ["exp", "aud"], ("iss",), ["tenant"]]),
                "verify_signature": st.just(True),
            },
        ),
    },
)


def time_value(offset: int, shape: str) -> Any:
    seconds = int(time.time()) + offset
    return {
        "int": seconds,
        "float": seconds + 0.5,
        "str": str(seconds),
        "bool": offset > 0,
        "null": None,
        "text": "soon",
        "list": [seconds],
        "huge": seconds * 10**12,
    }[shape]


def jwt_outcome(token: str, algorithms: Any, complete: bool, kwargs: dict[str, Any]) -> Any:
    """What PyJWT-level decoding returns (as repr: order counts) or raises, and its warnings."""
    decode = ferrojwt.decode_complete if complete else ferrojwt.decode
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Any = repr(decode(token, PUBLIC_PEM, algorithms=algorithms, **kwargs))
        except Exception as error:  # noqa: BLE001 - compared between the two paths
            result = (type(error).__name__, str(error))
    return result, [(w.category, str(w.message)) for w in caught]


@pytest.mark.slow
@settings(
    max_examples=max(100, FUZZ_EXAMPLES // 3),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    claims=claims_strategy,
    kwargs=decode_kwargs,
    complete=st.booleans(),
    alg=st.sampled_from(["RS256", "PS512"]),
)
def test_claim_checks_agree_with_the_general_path(
    claims: dict[str, Any], kwargs: dict[str, Any], complete: bool, alg: str
) -> None:
    payload = {
        name: time_value(*value) if name in ("exp", "nbf", "iat") else value
        for name, value in claims.items()
    }
    token = api_jws.PyJWS().encode(json.dumps(payload).encode(), PRIVATE_PEM, algorithm=alg)
    fast = jwt_outcome(token, [alg], complete, kwargs)
    assert fast == jwt_outcome(token, {alg}, complete, kwargs)


# Payload bytes the JSON module may read differently from a strict UTF-8 JSON parser: a BOM,
# UTF-16, whitespace or data around the document, non-objects, NaN, huge numbers, duplicates.
payload_bytes = st.one_of(
    json_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.builds(
        lambda prefix, value, codec: prefix + json.dumps(value).encode(codec),
        st.sampled_from([b"", b"\xef\xbb\xbf", b" \r\n"]),
        st.dictionaries(st.sampled_from(["exp", "sub", "a"]), json_value, max_size=3),
        st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32"]),
    ),
    st.sampled_from(
        [
            b'{"a":1,"a":2,"exp":1,"exp":99999999999}',
            b'{"exp":99999999999999999999999999}',
            b'{"exp":1e400,"sub":"\\ud800"}',
            b'{"sub":"\\u0061","iss":"x\\/y"}',
            b'{"a":' * 200 + b"1" + b"}" * 200,
            b"\xed\xa0\x80",
        ]
    ),
)


@pytest.mark.slow
@settings(
    max_examples=max(100, FUZZ_EXAMPLES // 3),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(payload=payload_bytes, complete=st.booleans())
def test_payload_parsing_agrees_with_the_general_path(payload: bytes, complete: bool) -> None:
    token = api_jws.PyJWS().encode(payload, PRIVATE_PEM, algorithm="RS256")
    fast = jwt_outcome(token, ["RS256"], complete, {})
    assert fast == jwt_outcome(token, {"RS256"}, complete, {})
