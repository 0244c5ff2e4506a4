"""ES256, ES384, ES512, ES256K and EdDSA (Ed25519 and Ed448 keys): tokens and JWKs cross both
ways with PyJWT (a test dependency only) for every key form, and random input never ends in
anything but a PyJWT error.

The confusion attacks (curve, key type, a DER signature) are in test_security.py."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import jwt as pyjwt
import pytest
from conftest import FUZZ_EXAMPLES, read_key
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrojwt
from ferrojwt import algorithms

#: Each case's test key pair (tests/keys/README.md says how they were made). A case is an
#: algorithm, and for EdDSA's second curve the algorithm and the curve.
KEY_FILES = {
    "ES256": ("ec256.pem", "ec256.pub.pem"),
    "ES384": ("ec384.pkcs8.pem", "ec384.pub.pem"),
    "ES512": ("ec521.pkcs8.pem", "ec521.pub.pem"),
    "ES256K": ("ec256k1.pkcs8.pem", "ec256k1.pub.pem"),
    "EdDSA": ("ed25519.pkcs8.pem", "ed25519.pub.pem"),
    "EdDSA-Ed448": ("ed448.pkcs8.pem", "ed448.pub.pem"),
}
CASES = list(KEY_FILES)
CURVE_ALGORITHMS = ["ES256", "ES384", "ES512", "ES256K", "EdDSA"]
SIGNATURE_BYTES = {
    "ES256": 64,
    "ES384": 96,
    "ES512": 132,
    "ES256K": 64,
    "EdDSA": 64,
    "EdDSA-Ed448": 114,
}
PAYLOAD = {"sub": "ferris", "aud": ["a", "b"], "n": 1}

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def alg_of(case: str) -> str:
    return case.split("-")[0]


def crypto_private(case: str) -> Any:
    return serialization.load_pem_private_key(read_key(KEY_FILES[case][0]).encode(), None)


def crypto_public(case: str) -> Any:
    return serialization.load_pem_public_key(read_key(KEY_FILES[case][1]).encode())


def private_forms(case: str) -> dict[str, Callable[[], Any]]:
    forms: dict[str, Callable[[], Any]] = {
        "pkcs8-pem": lambda: read_key(KEY_FILES[case][0]),
        "pkcs8-bytes": lambda: read_key(KEY_FILES[case][0]).encode(),
        "cryptography-object": lambda: crypto_private(case),
    }
    if alg_of(case) != "EdDSA":
        # SEC 1 ("EC PRIVATE KEY"), what `openssl ecparam -genkey` writes.
        forms["sec1-pem"] = lambda: (
            crypto_private(case)
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
            .decode()
        )
    return forms


def public_forms(case: str) -> dict[str, Callable[[], Any]]:
    forms: dict[str, Callable[[], Any]] = {
        "spki-pem": lambda: read_key(KEY_FILES[case][1]),
        "spki-bytes": lambda: read_key(KEY_FILES[case][1]).encode(),
        "cryptography-object": lambda: crypto_public(case),
    }
    # OpenSSH has no secp256k1 key type; cryptography writes no Ed448 one (nor does PyJWT read it).
    if case not in ("ES256K", "EdDSA-Ed448"):
        forms["openssh"] = lambda: (
            crypto_public(case)
            .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
            .decode()
        )
    return forms


FORM_CASES = [
    (case, private, public)
    for case in CASES
    for private in private_forms(case)
    for public in public_forms(case)
]


@pytest.mark.parametrize(("case", "private_form", "public_form"), FORM_CASES)
def test_tokens_cross_both_ways(case: str, private_form: str, public_form: str) -> None:
    alg = alg_of(case)
    private = private_forms(case)[private_form]()
    public = public_forms(case)[public_form]()

    ours = ferrojwt.encode(PAYLOAD, private, algorithm=alg, headers={"kid": "k"})
    assert pyjwt.decode(ours, public, algorithms=[alg], audience="a") == PAYLOAD

    theirs = pyjwt.encode(PAYLOAD, private, algorithm=alg, headers={"kid": "k"})
    assert ferrojwt.decode(theirs, public, algorithms=[alg], audience="b") == PAYLOAD
    assert ferrojwt.get_unverified_header(theirs) == pyjwt.get_unverified_header(ours)


@pytest.mark.parametrize("case", CASES)
def test_signatures_are_jose_r_s_of_the_curve_size(case: str) -> None:
    token = ferrojwt.encode({"a": 1}, read_key(KEY_FILES[case][0]), algorithm=alg_of(case))
    signature = base64.urlsafe_b64decode(token.rsplit(".", 1)[1] + "==")
    assert len(signature) == SIGNATURE_BYTES[case]


def test_es521_is_a_second_name_for_es512() -> None:
    token = ferrojwt.encode({"a": 1}, read_key("ec521.pkcs8.pem"), algorithm="ES521")
    assert pyjwt.decode(token, read_key("ec521.pub.pem"), algorithms=["ES521"]) == {"a": 1}


def algorithm_classes(alg: str) -> tuple[Any, Any]:
    """(ferrojwt's class, PyJWT's class) for `alg`."""
    if alg == "EdDSA":
        return algorithms.OKPAlgorithm, pyjwt.algorithms.OKPAlgorithm
    return algorithms.ECAlgorithm, pyjwt.algorithms.ECAlgorithm


@pytest.mark.parametrize("case", CASES)
def test_jwk_export_is_pyjwts_member_for_member(case: str) -> None:
    ours, theirs = algorithm_classes(alg_of(case))
    for key_file, crypto_key in [
        (KEY_FILES[case][0], crypto_private(case)),
        (KEY_FILES[case][1], crypto_public(case)),
    ]:
        # The same JSON text: the same members, in the same order.
        assert ours.to_jwk(read_key(key_file)) == theirs.to_jwk(crypto_key)
        assert ours.to_jwk(crypto_key, as_dict=True) == theirs.to_jwk(crypto_key, as_dict=True)


@pytest.mark.parametrize("case", CASES)
def test_jwks_cross_both_ways(case: str) -> None:
    alg = alg_of(case)
    ours, theirs = algorithm_classes(alg)
    private_jwk = ours.to_jwk(read_key(KEY_FILES[case][0]), as_dict=True)
    public_jwk = ours.to_jwk(read_key(KEY_FILES[case][1]), as_dict=True)

    # Keys loaded from each other's JWK sign tokens the other verifies.
    token = ferrojwt.encode({"a": 1}, ours.from_jwk(json.dumps(private_jwk)), algorithm=alg)
    assert pyjwt.decode(token, theirs.from_jwk(public_jwk), algorithms=[alg]) == {"a": 1}
    token = pyjwt.encode({"a": 1}, theirs.from_jwk(private_jwk), algorithm=alg)
    assert ferrojwt.decode(token, ours.from_jwk(public_jwk), algorithms=[alg]) == {"a": 1}
    # And the other way round: JWKs that PyJWT exports load in ferrojwt.
    their_private = theirs.to_jwk(crypto_private(case))
    their_public = theirs.to_jwk(crypto_public(case), as_dict=True)
    token = ferrojwt.encode({"a": 1}, ours.from_jwk(their_private), algorithm=alg)
    assert ferrojwt.decode(token, ours.from_jwk(their_public), algorithms=[alg]) == {"a": 1}
    assert pyjwt.decode(token, theirs.from_jwk(their_public), algorithms=[alg]) == {"a": 1}

    # PyJWK and PyJWKSet pick the algorithm from `crv` when `alg` is absent, as PyJWT does; for
    # Ed448 PyJWT picks none, so such a JWK needs its `alg`.
    for jwk in (private_jwk, public_jwk):
        assert "alg" not in jwk
        if case == "EdDSA-Ed448":
            for library in (ferrojwt, pyjwt):
                with pytest.raises(library.InvalidKeyError, match="Unsupported crv: Ed448"):
                    library.PyJWK(jwk)
            jwk["alg"] = alg
        assert ferrojwt.PyJWK(jwk).algorithm_name == pyjwt.PyJWK(jwk).algorithm_name == alg
    token = ferrojwt.encode({"a": 1}, ferrojwt.PyJWK(private_jwk))
    assert pyjwt.decode(token, pyjwt.PyJWK(public_jwk)) == {"a": 1}
    token = pyjwt.encode({"a": 1}, pyjwt.PyJWK(private_jwk))
    jwks = ferrojwt.PyJWKSet.from_dict({"keys": [{**public_jwk, "kid": "k"}]})
    assert ferrojwt.decode(token, jwks["k"]) == {"a": 1}


def test_pyjwk_without_crv_or_with_unknown_crv_decides_as_pyjwt() -> None:
    ec = algorithms.ECAlgorithm.to_jwk(read_key("ec256.pub.pem"), as_dict=True)
    without_crv = {k: v for k, v in ec.items() if k != "crv"}
    # An EC JWK without crv is taken as ES256, and then fails to load: no curve to read it on.
    for library in (ferrojwt, pyjwt):
        with pytest.raises(library.InvalidKeyError):
            library.PyJWK(without_crv)
        with pytest.raises(library.InvalidKeyError, match="Unsupported crv"):
            library.PyJWK({**ec, "crv": "P-192"})
        with pytest.raises(library.InvalidKeyError, match="crv is not found"):
            library.PyJWK({"kty": "OKP", "x": "AA"})
        with pytest.raises(library.InvalidKeyError, match="Unsupported crv"):
            library.PyJWK({"kty": "OKP", "crv": "X25519", "x": "AA"})


@pytest.mark.parametrize("alg", CURVE_ALGORITHMS)
def test_generated_keys_work_in_both_libraries(alg: str) -> None:
    pair = ferrojwt.generate_ec_key(alg, kid="k1")
    assert pair.public_jwk["alg"] == alg and pair.public_jwk["kid"] == "k1"
    assert "d" not in pair.public_jwk
    assert "PRIVATE" not in repr(pair)
    token = ferrojwt.encode({"a": 1}, pair.private_pem, algorithm=alg, headers={"kid": "k1"})
    assert pyjwt.decode(token, pair.public_pem, algorithms=[alg]) == {"a": 1}
    assert pyjwt.decode(token, pyjwt.PyJWK(pair.public_jwk)) == {"a": 1}
    token = pyjwt.encode({"a": 1}, pair.private_pem, algorithm=alg)
    assert ferrojwt.decode(token, ferrojwt.PyJWK.from_json(pair.public_jwk_json())) == {"a": 1}
    with pytest.raises(ValueError, match="alg must be one of"):
        ferrojwt.generate_ec_key("RS256")


def test_algorithm_objects_have_pyjwts_interface() -> None:
    for name in ("ES256", "ES256K", "ES384", "ES512", "ES521", "EdDSA"):
        assert name in algorithms.get_default_algorithms()
        assert name in ferrojwt.PyJWS().get_algorithms()
    es256 = algorithms.ECAlgorithm(algorithms.ECAlgorithm.SHA256)
    key = es256.prepare_key(read_key("ec256.pem"))
    signature = es256.sign(b"message", key)
    assert es256.verify(b"message", es256.prepare_key(read_key("ec256.pub.pem")), signature)
    assert not es256.verify(b"massage", key, signature)
    # PyJWT's ECAlgorithm takes cryptography's curve classes as expected_curve.
    from cryptography.hazmat.primitives.asymmetric import ec

    assert algorithms.ECAlgorithm(algorithms.ECAlgorithm.SHA384, ec.SECP384R1).name == "ES384"
    with pytest.raises(NotImplementedError):
        algorithms.ECAlgorithm(algorithms.ECAlgorithm.SHA256, ec.SECP384R1)
    # ... and cryptography's hash classes, as code written for PyJWT passes them.
    from cryptography.hazmat.primitives import hashes

    es512 = algorithms.ECAlgorithm(hashes.SHA512, ec.SECP521R1)
    key = es512.prepare_key(read_key("ec521.pkcs8.pem"))
    assert pyjwt.algorithms.ECAlgorithm(hashes.SHA512, ec.SECP521R1).verify(
        b"m", crypto_public("ES512"), es512.sign(b"m", key)
    )
    okp = algorithms.OKPAlgorithm()
    key = okp.prepare_key(read_key("ed25519.pkcs8.pem"))
    assert okp.verify("message", key, okp.sign("message", key))
    # A registered subclass is used by PyJWS like the built-in one.
    calls = []

    class Counting(algorithms.OKPAlgorithm):
        def sign(self, msg: str | bytes, key: Any) -> bytes:
            calls.append(msg)
            return super().sign(msg, key)

    jws = ferrojwt.PyJWS(algorithms=["HS256"])
    jws.register_algorithm("EdDSA", Counting())
    jws.encode(b"x", read_key("ed25519.pkcs8.pem"), algorithm="EdDSA")
    assert len(calls) == 1


@pytest.mark.slow
@pytest.mark.parametrize("case", ["ES256", "EdDSA", "EdDSA-Ed448"])
def test_the_gil_is_released_during_signing_and_verifying(case: str) -> None:
    """One native call that hashes 64 MB (a sign, then a verify) runs in another thread while this
    one keeps running Python code. Had the GIL been held, the counter would stay near zero."""
    alg = alg_of(case)
    private = ferrojwt.keys.load_curve_key(read_key(KEY_FILES[case][0]))
    public = ferrojwt.keys.load_curve_key(read_key(KEY_FILES[case][1]))
    message = bytes(64 * 1024 * 1024)
    results: list[Any] = []
    for call in (
        lambda: ferrojwt._native.curve_sign(alg, private, message),
        lambda: ferrojwt._native.curve_verify(alg, public, message, results[0]),
    ):
        done = threading.Event()

        def work(call: Callable[[], object] = call, done: threading.Event = done) -> None:
            results.append(call())
            done.set()

        thread = threading.Thread(target=work)
        thread.start()
        time.sleep(0.01)
        spins = 0
        while not done.is_set():
            spins += 1
        thread.join()
        assert spins > 10_000
    assert results[1] is True


# --- property tests --------------------------------------------------------------------------

b64_segment = st.binary(max_size=200).map(
    lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
)


@pytest.mark.slow
@FUZZ
@given(
    st.sampled_from(CASES),
    st.sampled_from(["ES256", "ES384", "ES512", "ES256K", "EdDSA", "HS256", "RS256", "none"]),
    b64_segment,
    st.binary(max_size=140),
)
def test_random_signatures_never_verify(case: str, header_alg: str, body: str, sig: bytes) -> None:
    header = base64.urlsafe_b64encode(json.dumps({"alg": header_alg}).encode()).rstrip(b"=")
    signature = base64.urlsafe_b64encode(sig).rstrip(b"=").decode()
    token = f"{header.decode()}.{body}.{signature}"
    with pytest.raises(ferrojwt.PyJWTError):
        ferrojwt.decode(token, read_key(KEY_FILES[case][1]), algorithms=CURVE_ALGORITHMS)


jwk_member = st.none() | b64_segment | st.text(max_size=90) | st.integers() | st.lists(st.text())


@pytest.mark.slow
@FUZZ
@given(
    st.sampled_from(["EC", "OKP"]),
    st.sampled_from(["P-256", "P-384", "P-521", "secp256k1", "Ed25519", "Ed448", "X25519"])
    | jwk_member,
    jwk_member,
    jwk_member,
    jwk_member,
)
def test_random_jwk_members_are_a_pyjwt_error_or_a_key(
    kty: str, crv: Any, x: Any, y: Any, d: Any
) -> None:
    jwk = {"kty": kty, "crv": crv, "x": x, "y": y, "d": d}
    jwk = {name: value for name, value in jwk.items() if value is not None}
    try:
        key = ferrojwt.PyJWK(jwk)
    except ferrojwt.PyJWTError:
        return
    # Random members that do make a key (vanishingly rare) make a usable one.
    assert key.Algorithm.prepare_key(key.key) is not None


@pytest.mark.slow
@FUZZ
@given(st.sampled_from(CURVE_ALGORITHMS), st.binary(max_size=400))
def test_random_key_bytes_are_an_invalid_key_error(alg: str, data: bytes) -> None:
    for key in (data, b"-----BEGIN PUBLIC KEY-----\n" + data + b"\n-----END PUBLIC KEY-----\n"):
        with pytest.raises(ferrojwt.InvalidKeyError):
            ferrojwt.get_algorithm_by_name(alg).prepare_key(key)
