"""The security checklist from the README: every bad input ends in a PyJWT exception subclass
(never a crash, never ``PanicException``, never a token accepted that should not be)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import warnings
from typing import Any

import pytest
from conftest import HMAC_SECRET, RSA_ALGORITHMS, read_key

import ferrojwt as jwt


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(obj: Any) -> str:
    return b64(json.dumps(obj).encode())


def hs256_token(header: dict[str, Any], payload: dict[str, Any], secret: bytes) -> str:
    """A token signed with an arbitrary secret, built by hand as an attacker would."""
    signing_input = f"{segment(header)}.{segment(payload)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


@pytest.fixture(scope="module")
def rs256_token(private_pem: str) -> str:
    return jwt.encode(
        {"sub": "ferris", "exp": int(time.time()) + 600}, private_pem, algorithm="RS256"
    )


# --- alg: none ------------------------------------------------------------------------------
# An unsigned token is made only when asked for by name, as PyJWT makes one, and no decode that
# verifies ever accepts one: tests/test_dropin.py compares each entry point with PyJWT.


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("allowed", [["RS256"], ["none", "None", "NONE", "nOnE"]])
def test_unsigned_tokens_are_refused(alg: str, allowed: list[str], public_pem: str) -> None:
    token = f"{segment({'alg': alg, 'typ': 'JWT'})}.{segment({'admin': True})}."
    for key in (public_pem, None, ""):
        # InvalidKeyError when "none" is allowed and a key is given, as in PyJWT.
        with pytest.raises(jwt.PyJWTError):
            jwt.decode(token, key, algorithms=allowed)


class AcceptsAnything(jwt.algorithms.NoneAlgorithm):
    """What a careless registration under "none" could bring: a verify that says yes."""

    def verify(self, msg: bytes, key: None, sig: bytes) -> bool:
        return True


@pytest.mark.parametrize("name", ["none", "None", "NONE"])
def test_no_algorithm_registered_under_none_makes_an_unsigned_token_verify(name: str) -> None:
    jws = jwt.PyJWS()
    if name in jws.get_algorithms():
        jws.unregister_algorithm(name)
    jws.register_algorithm(name, AcceptsAnything())
    token = jws.encode(b'{"admin":true}', None, algorithm=name)
    assert token.endswith(".")
    for decode in (jws.decode, jws.decode_complete):
        with pytest.raises(jwt.InvalidSignatureError):
            decode(token, None, algorithms=[name])


# --- algorithm confusion --------------------------------------------------------------------


@pytest.mark.parametrize(
    "public_key_name",
    ["rsa2048.pub.pem", "rsa2048.pub.pkcs1.pem", "rsa2048.pub.ssh"],
)
def test_rsa_public_key_as_hmac_secret_is_refused(public_key_name: str) -> None:
    public_key = read_key(public_key_name)
    forged = hs256_token({"alg": "HS256", "typ": "JWT"}, {"admin": True}, public_key.encode())
    # A correctly configured verifier never considers HS256...
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(forged, public_key, algorithms=["RS256"])
    # ...and even a misconfigured one refuses to use key material as an HMAC secret.
    with pytest.raises(jwt.InvalidKeyError):
        jwt.decode(forged, public_key, algorithms=["RS256", "HS256"])


def test_der_and_jwk_shaped_hmac_secrets_are_refused(public_pem: str) -> None:
    der = base64.b64decode("".join(public_pem.strip().splitlines()[1:-1]))
    jwk_json = json.dumps({"kty": "RSA", "n": "AQAB", "e": "AQAB"})
    for secret in (der, jwk_json, json.dumps([{"keys": [{"kty": "oct"}]}])):
        with pytest.raises(jwt.InvalidKeyError):
            jwt.encode({"a": 1}, secret, algorithm="HS256")
        forged = hs256_token(
            {"alg": "HS256"}, {"a": 1}, secret if isinstance(secret, bytes) else secret.encode()
        )
        with pytest.raises(jwt.InvalidKeyError):
            jwt.decode(forged, secret, algorithms=["HS256"])


def test_hmac_key_must_not_be_empty() -> None:
    with pytest.raises(jwt.InvalidKeyError):
        jwt.encode({"a": 1}, "", algorithm="HS256")


def test_pyjwk_fixes_the_algorithm(private_pem: str, public_pem: str) -> None:
    from ferrojwt.algorithms import RSAAlgorithm

    key = jwt.PyJWK(RSAAlgorithm.to_jwk(public_pem, as_dict=True), algorithm="RS256")
    token = jwt.encode({"a": 1}, private_pem, algorithm="PS256")
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(token, key, algorithms=["RS256", "PS256"])


# --- algorithms argument ------------------------------------------------------------------


def test_algorithms_argument_is_required(rs256_token: str, public_pem: str) -> None:
    with pytest.raises(jwt.DecodeError, match="algorithms"):
        jwt.decode(rs256_token, public_pem)
    with pytest.raises(jwt.DecodeError):
        jwt.decode(rs256_token, public_pem, algorithms=[])


@pytest.mark.parametrize("allowed", [["PS256"], ["RS384", "RS512"], ["HS256"]])
def test_alg_outside_allowed_list_is_refused(
    rs256_token: str, public_pem: str, allowed: list[str]
) -> None:
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(rs256_token, public_pem, algorithms=allowed)


@pytest.mark.parametrize("alg", [123, None, ["RS256"], {"a": 1}, ""])
def test_non_string_alg_header_is_refused(alg: Any, public_pem: str) -> None:
    token = f"{segment({'alg': alg})}.{segment({'a': 1})}.c2ln"
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(token, public_pem, algorithms=["RS256"])


def test_missing_alg_header_is_refused(public_pem: str) -> None:
    token = f"{segment({'typ': 'JWT'})}.{segment({'a': 1})}.c2ln"
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(token, public_pem, algorithms=["RS256"])


def test_unsupported_algorithm_is_refused(public_pem: str) -> None:
    token = f"{segment({'alg': 'ES999'})}.{segment({'a': 1})}.c2ln"
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(token, public_pem, algorithms=["ES999"])


# --- tampering and wrong keys ---------------------------------------------------------------


@pytest.mark.parametrize("alg", RSA_ALGORITHMS)
def test_tampering_is_detected(alg: str, private_pem: str, public_pem: str) -> None:
    token = jwt.encode({"sub": "ferris", "admin": False}, private_pem, algorithm=alg)
    header, payload, signature = token.split(".")
    forged_header = segment({"alg": alg, "typ": "JWT", "kid": "attacker"})
    forged_payload = segment({"sub": "ferris", "admin": True})
    raw_signature = base64.urlsafe_b64decode(signature + "==")
    flipped = b64(raw_signature[:-1] + bytes([raw_signature[-1] ^ 1]))
    for bad in (
        f"{forged_header}.{payload}.{signature}",
        f"{header}.{forged_payload}.{signature}",
        f"{header}.{payload}.{flipped}",
        f"{header}.{payload}.{b64(raw_signature[:-1])}",
        f"{header}.{payload}.{b64(raw_signature + b'x')}",
        f"{header}.{payload}.",
    ):
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(bad, public_pem, algorithms=[alg])


@pytest.mark.parametrize("alg", RSA_ALGORITHMS)
def test_wrong_key_is_detected(alg: str, private_pem: str) -> None:
    token = jwt.encode({"a": 1}, private_pem, algorithm=alg)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, read_key("other2048.pub.pem"), algorithms=[alg])


def test_hmac_wrong_secret_is_detected() -> None:
    token = jwt.encode({"a": 1}, HMAC_SECRET, algorithm="HS256")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, HMAC_SECRET + "x", algorithms=["HS256"])


def test_rs_signature_is_not_accepted_as_ps(private_pem: str, public_pem: str) -> None:
    token = jwt.encode({"a": 1}, private_pem, algorithm="RS256")
    header, payload, signature = token.split(".")
    relabelled = f"{segment({'alg': 'PS256', 'typ': 'JWT'})}.{payload}.{signature}"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(relabelled, public_pem, algorithms=["PS256"])


# --- malformed tokens -----------------------------------------------------------------------


def signed_raw(payload: bytes, header: dict[str, Any] | None = None) -> str:
    """A correctly signed token whose payload bytes are arbitrary (not necessarily JSON)."""
    return jwt.PyJWS().encode(payload, HMAC_SECRET, algorithm="HS256", headers=header)


MALFORMED: list[tuple[str, Any]] = [
    ("empty", ""),
    ("one-segment", "abc"),
    ("two-segments", "abc.def"),
    ("four-segments", "eyJhbGciOiJIUzI1NiJ9.e30.e30.c2ln"),
    ("bad-base64-header", "!!!.e30.c2ln"),
    ("bad-base64-payload", "eyJhbGciOiJIUzI1NiJ9.!!!.c2ln"),
    ("bad-base64-signature", "eyJhbGciOiJIUzI1NiJ9.e30.!!!"),
    ("padding-too-long", "eyJhbGciOiJIUzI1NiJ9===.e30.c2ln"),
    ("non-canonical-base64", "eyJhbGciOiJIUzI1NiJ9.e31.c2ln"),
    ("header-not-json", f"{b64(b'not json')}.e30.c2ln"),
    ("header-not-object", f"{b64(b'[1,2]')}.e30.c2ln"),
    ("header-invalid-utf8", f"{b64(bytes([0xFF, 0xFE, 0x7B]))}.e30.c2ln"),
    ("token-not-str", 12345),
    ("token-invalid-utf8-bytes", b"\xff\xfe.\xfd.\xfc"),
    ("token-lone-surrogate", "\ud800.e30.c2ln"),
]


@pytest.mark.parametrize("token", [m[1] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_tokens_are_decode_errors(token: Any) -> None:
    with pytest.raises(jwt.DecodeError):
        jwt.decode(token, HMAC_SECRET, algorithms=["HS256"])


@pytest.mark.parametrize(
    "payload", [b"not json", b"[1, 2]", b'"a string"', b"42", b"null", b"\xff"]
)
def test_signed_payload_that_is_not_an_object(payload: bytes) -> None:
    token = signed_raw(payload)
    with pytest.raises(jwt.DecodeError):
        jwt.decode(token, HMAC_SECRET, algorithms=["HS256"])


def test_deeply_nested_json_is_a_decode_error() -> None:
    token = signed_raw(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(jwt.DecodeError):
        jwt.decode(token, HMAC_SECRET, algorithms=["HS256"])


def test_unknown_critical_extension_is_refused() -> None:
    token = jwt.encode({"a": 1}, HMAC_SECRET, headers={"crit": ["exp-ext"], "exp-ext": 1})
    with pytest.raises(jwt.InvalidTokenError, match="critical"):
        jwt.decode(token, HMAC_SECRET, algorithms=["HS256"])
    for crit in ([], "b64", [1]):
        token = jwt.encode({"a": 1}, HMAC_SECRET, headers={"crit": crit})
        with pytest.raises(jwt.InvalidTokenError):
            jwt.decode(token, HMAC_SECRET, algorithms=["HS256"])


def test_non_string_kid_is_refused() -> None:
    token = f"{segment({'alg': 'HS256', 'kid': 7})}.{segment({'a': 1})}.c2ln"
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(token, HMAC_SECRET, algorithms=["HS256"])
    with pytest.raises(jwt.InvalidTokenError):
        jwt.get_unverified_header(token)


def test_one_megabyte_token_is_rejected_quickly(rs256_token: str, public_pem: str) -> None:
    header, _, signature = rs256_token.split(".")
    huge = f"{header}.{segment({'pad': 'x' * 1_000_000})}.{signature}"
    assert len(huge) > 1_000_000
    started = time.perf_counter()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(huge, public_pem, algorithms=["RS256"])
    assert time.perf_counter() - started < 2.0
    with pytest.raises(jwt.DecodeError):
        jwt.decode("a" * 1_000_000, public_pem, algorithms=["RS256"])


# --- bad keys -------------------------------------------------------------------------------


def bad_pems() -> list[tuple[str, str]]:
    good = read_key("rsa2048.pkcs8.pem")
    return [
        ("garbage", "this is not a key"),
        ("garbage-pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        ("truncated", good[: len(good) // 2]),
        ("truncated-body", good[:200] + good[-30:]),
        ("encrypted", read_key("rsa2048.encrypted.pem")),
        (
            "legacy-encrypted",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
            "DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n"
            "-----END RSA PRIVATE KEY-----\n",
        ),
        ("ec-key", read_key("ec256.pem")),
        ("certificate-label", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
        ("ssh-truncated", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB"),
        ("ssh-not-base64", "ssh-rsa !!!!"),
        ("empty", ""),
    ]


@pytest.mark.parametrize("pem", [p[1] for p in bad_pems()], ids=[p[0] for p in bad_pems()])
def test_bad_key_material_is_an_invalid_key_error(pem: str, rs256_token: str) -> None:
    with pytest.raises(jwt.InvalidKeyError):
        jwt.encode({"a": 1}, pem, algorithm="RS256")
    with pytest.raises(jwt.InvalidKeyError):
        jwt.decode(rs256_token, pem, algorithms=["RS256"])


def test_public_key_cannot_sign(public_pem: str) -> None:
    with pytest.raises(jwt.InvalidKeyError):
        jwt.encode({"a": 1}, public_pem, algorithm="RS256")


def test_key_of_wrong_python_type_is_a_type_error_like_pyjwt(rs256_token: str) -> None:
    with pytest.raises(TypeError):
        jwt.decode(rs256_token, 12345, algorithms=["RS256"])


@pytest.mark.parametrize(
    "bad_jwk",
    [
        {"kty": "RSA", "n": "!!", "e": "AQAB"},
        {"kty": "RSA", "n": "AQAB"},
        {"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB", "p": "AQAB"},
        {"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB", "oth": []},
        {"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB"},
        {"kty": "oct", "k": ""},
        {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"},
    ],
)
def test_bad_jwks_are_refused(bad_jwk: dict[str, Any]) -> None:
    with pytest.raises(jwt.PyJWTError):
        jwt.PyJWK(bad_jwk)


# --- small keys -----------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["RS256", "RS512", "PS256", "PS384"])
def test_1024_bit_key_warns_but_works(alg: str) -> None:
    small_private, small_public = read_key("rsa1024.pkcs8.pem"), read_key("rsa1024.pub.pem")
    with pytest.warns(jwt.InsecureKeyLengthWarning, match="1024 bits"):
        token = jwt.encode({"a": 1}, small_private, algorithm=alg)
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        assert jwt.decode(token, small_public, algorithms=[alg]) == {"a": 1}


def test_1024_bit_key_is_an_error_when_enforced() -> None:
    small_private, small_public = read_key("rsa1024.pkcs8.pem"), read_key("rsa1024.pub.pem")
    strict = jwt.PyJWT(options={"enforce_minimum_key_length": True})
    with pytest.raises(jwt.InvalidKeyError, match="1024 bits"):
        strict.encode({"a": 1}, small_private, algorithm="RS256")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        token = jwt.encode({"a": 1}, small_private, algorithm="RS256")
    with pytest.raises(jwt.InvalidKeyError):
        jwt.decode(
            token, small_public, algorithms=["RS256"], options={"enforce_minimum_key_length": True}
        )


def test_ps512_with_1024_bit_key_is_an_exception_not_a_panic() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        with pytest.raises(jwt.InvalidKeyError, match="too small"):
            jwt.encode({"a": 1}, read_key("rsa1024.pkcs8.pem"), algorithm="PS512")


def test_short_hmac_secret_warns_or_fails_when_enforced() -> None:
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        jwt.encode({"a": 1}, "short", algorithm="HS256")
    with pytest.raises(jwt.InvalidKeyError):
        jwt.PyJWT(options={"enforce_minimum_key_length": True}).encode({"a": 1}, "short")


# --- key text, key shapes and impossible keys -----------------------------------------------


def der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def der_integer(value: int) -> bytes:
    body = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return b"\x02" + der_length(len(body)) + body


def pkcs1_public_pem(n: int, e: int) -> str:
    """An "RSA PUBLIC KEY" PEM for any n and e, impossible ones included."""
    body = der_integer(n) + der_integer(e)
    der = b"\x30" + der_length(len(body)) + body
    text = base64.b64encode(der).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "\n".join(["-----BEGIN RSA PUBLIC KEY-----", *lines, "-----END RSA PUBLIC KEY-----\n"])


def b64_int(value: int) -> str:
    return b64(value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def modulus_of(public_pem: str) -> tuple[int, int]:
    members = jwt.algorithms.RSAAlgorithm.to_jwk(public_pem, as_dict=True)
    return tuple(  # type: ignore[return-value]
        int.from_bytes(base64.urlsafe_b64decode(members[name] + "=="), "big") for name in ("n", "e")
    )


def loads_and_refused(library: Any, family: Any, text: str) -> tuple[bool, bool]:
    """(the `family` algorithm loads `text` as a key, the HMAC guard refuses it as a secret)."""
    try:
        family.prepare_key(text)
        loads = True
    except (library.InvalidKeyError, ValueError):
        loads = False
    try:
        library.algorithms.HMACAlgorithm(hashlib.sha256).prepare_key(text)
        refused = False
    except library.InvalidKeyError:
        refused = True
    return loads, refused


@pytest.mark.parametrize(
    "name",
    [
        "rsa2048.pub.pem",
        "rsa2048.pub.pkcs1.pem",
        "rsa2048.pub.ssh",
        "ec256.pub.pem",
        "ec256.pub.ssh",
        "ed25519.pub.ssh",
    ],
)
@pytest.mark.parametrize("around", [("\n", ""), ("  \n", "\n"), ("", "\t  "), ("\r\n", "\r\n")])
def test_what_loads_as_a_key_is_never_an_hmac_secret(name: str, around: tuple[str, str]) -> None:
    # A triple-quoted setting puts a newline before the key. Before a PEM block it is ignored;
    # before an OpenSSH line `cryptography` refuses the line, so the key does not load, in
    # either library, and the guard takes it as a secret, in either library. Whatever loads as
    # a key is refused as a secret, or a token could choose to read the key as one.
    import jwt as pyjwt

    text = around[0] + read_key(name) + around[1]
    outcomes = []
    for library in (jwt, pyjwt):
        algorithms = library.algorithms
        if name.startswith("rsa"):
            family = algorithms.RSAAlgorithm(algorithms.RSAAlgorithm.SHA256)
        elif name.startswith("ec"):
            family = algorithms.ECAlgorithm(algorithms.ECAlgorithm.SHA256)
        else:
            family = algorithms.OKPAlgorithm()
        outcomes.append(loads_and_refused(library, family, text))
    ours, theirs = outcomes
    assert ours == theirs
    assert ours[0] <= ours[1]  # loads implies refused
    if ours[0]:
        forged = hs256_token({"alg": "HS256"}, {"admin": True}, text.encode())
        with pytest.raises(jwt.InvalidKeyError):
            jwt.decode(forged, text, algorithms=["RS256", "ES256", "EdDSA", "HS256"])


def rs256_signed(header: bytes, payload: bytes, private_pem: str) -> str:
    """A validly signed RS256 token whose header and payload bytes are arbitrary."""
    rs256 = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256)
    signing_input = f"{b64(header)}.{b64(payload)}".encode()
    signature = rs256.sign(signing_input, rs256.prepare_key(private_pem))
    return f"{signing_input.decode()}.{b64(signature)}"


# JSON that a lenient parser skips over but Python's json module refuses. How deep a nesting
# json accepts depends on the interpreter (3.11 and 3.12 refuse 5,000 levels, 3.14 accepts
# 20,000): a million levels is beyond every CPython's stack.
REFUSED_BY_PYTHON_JSON = {
    "nested-a-million-deep": b"[" * 1_000_000 + b"]" * 1_000_000,
    "integer-of-5000-digits": b"1" * 5000,
    "invalid-utf8": b'"\xff"',
}


@pytest.mark.parametrize("where", ["header", "payload"])
@pytest.mark.parametrize(
    "value", REFUSED_BY_PYTHON_JSON.values(), ids=REFUSED_BY_PYTHON_JSON.keys()
)
def test_header_or_payload_python_json_refuses_is_a_decode_error(
    where: str, value: bytes, private_pem: str, public_pem: str
) -> None:
    import jwt as pyjwt

    header, payload = b'{"alg":"RS256","typ":"JWT"}', b'{"sub":"x"}'
    if where == "header":
        header = b'{"alg":"RS256","x":' + value + b"}"
    else:
        payload = b'{"sub":"x","x":' + value + b"}"
    token = rs256_signed(header, payload, private_pem)
    for library in (jwt, pyjwt):
        for decode in (library.decode, library.decode_complete):
            with pytest.raises(library.DecodeError):
                decode(token, public_pem, algorithms=["RS256"])
        if where == "header":
            with pytest.raises(library.DecodeError):
                library.PyJWS().decode_complete(token, public_pem, algorithms=["RS256"])


@pytest.mark.parametrize("kty", [["RSA"], {"a": 1}, {"RSA"}])
def test_jwk_with_an_unhashable_kty_is_an_invalid_key(kty: Any, public_pem: str) -> None:
    good = {**jwt.algorithms.RSAAlgorithm.to_jwk(public_pem, as_dict=True), "kid": "good"}
    keys = jwt.PyJWKSet([{"kty": kty}, good])
    assert [key.key_id for key in keys] == ["good"]
    with pytest.raises(jwt.InvalidKeyError, match="Unsupported kty"):
        jwt.PyJWK({"kty": kty})


def test_random_hmac_secrets_are_never_mistaken_for_der_keys() -> None:
    import random

    import jwt as pyjwt

    prepare = jwt.algorithms.HMACAlgorithm(jwt.algorithms.HMACAlgorithm.SHA256).prepare_key
    pyjwt_prepare = pyjwt.algorithms.HMACAlgorithm(pyjwt.algorithms.HMACAlgorithm.SHA256)
    rng = random.Random(20261129)
    # A DER key or certificate starts with a SEQUENCE header spanning the buffer; random secrets
    # that start that way (about one in 65,000) are still secrets unless the rest parses. PyJWT
    # agrees: it refuses only what cryptography loads as a DER public key or certificate.
    for length in (32, 64, 200, 1000):
        content = next(
            length - size for size in (2, 3, 4) if len(der_length(length - size)) + 1 == size
        )
        header = b"\x30" + der_length(content)
        assert len(header) + content == length
        for _ in range(500):
            secret = header + rng.randbytes(content)
            assert prepare(secret) == secret
            assert pyjwt_prepare.prepare_key(secret) == secret
    # And plain random 32-byte secrets, the usual kind.
    for _ in range(200_000):
        secret = rng.randbytes(32)
        assert prepare(secret) == secret


def test_der_public_keys_and_certificates_are_not_hmac_secrets(public_pem: str) -> None:
    import datetime

    import jwt as pyjwt
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    prepare = jwt.algorithms.HMACAlgorithm(jwt.algorithms.HMACAlgorithm.SHA256).prepare_key
    rsa_key = serialization.load_pem_public_key(public_pem.encode())
    ec_private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "ferrojwt test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(ec_private.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(ec_private, hashes.SHA256())
    )
    der = serialization.Encoding.DER
    for secret in (
        rsa_key.public_bytes(der, serialization.PublicFormat.SubjectPublicKeyInfo),
        rsa_key.public_bytes(der, serialization.PublicFormat.PKCS1),
        ec_private.public_key().public_bytes(der, serialization.PublicFormat.SubjectPublicKeyInfo),
        certificate.public_bytes(der),
    ):
        with pytest.raises(jwt.InvalidKeyError, match="asymmetric key"):
            prepare(secret)
        with pytest.raises(pyjwt.InvalidKeyError, match="asymmetric key"):
            pyjwt.algorithms.HMACAlgorithm(pyjwt.algorithms.HMACAlgorithm.SHA256).prepare_key(
                secret
            )


def impossible_public_keys(public_pem: str) -> dict[str, tuple[int, int]]:
    n, _ = modulus_of(public_pem)
    return {
        "e=1": (n, 1),
        "e=2": (n, 2),
        "even-e": (n, 65536),
        "e=n": (n, n),
        "even-n": (n + 1, 65537),
    }


@pytest.mark.parametrize("case", ["e=1", "e=2", "even-e", "e=n", "even-n"])
def test_impossible_rsa_public_keys_are_refused_at_load(case: str, public_pem: str) -> None:
    from cryptography.hazmat.primitives import serialization

    n, e = impossible_public_keys(public_pem)[case]
    pem = pkcs1_public_pem(n, e)
    rs256 = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256)
    with pytest.raises(jwt.InvalidKeyError):
        rs256.prepare_key(pem)
    with pytest.raises(jwt.InvalidKeyError):
        jwt.PyJWK({"kty": "RSA", "n": b64_int(n), "e": b64_int(e)})
    token = jwt.encode({"a": 1}, read_key("rsa2048.pkcs8.pem"), algorithm="RS256")
    with pytest.raises(jwt.InvalidKeyError):
        jwt.decode(token, pem, algorithms=["RS256"])
    # cryptography itself refuses to build most of these; the ones it builds are refused here.
    try:
        key_object = serialization.load_pem_public_key(pem.encode())
    except ValueError:
        return
    with pytest.raises(jwt.InvalidKeyError):
        jwt.decode(token, key_object, algorithms=["RS256"])


PROBE = """
import json, sys
import ferrojwt
for jwk in json.loads(sys.argv[1]):
    try:
        ferrojwt.PyJWK(jwk)
    except ferrojwt.InvalidKeyError:
        continue
    sys.exit(f"accepted: {jwk}")
"""


def test_impossible_private_jwk_components_are_refused_quietly() -> None:
    import subprocess
    import sys

    private = jwt.algorithms.RSAAlgorithm.to_jwk(read_key("rsa1024.pkcs8.pem"), as_dict=True)
    n, _ = modulus_of(read_key("rsa1024.pub.pem"))
    without_crt = {name: private[name] for name in ("kty", "n", "e", "d")}
    cases = []
    for d in (0, 1, 2, n - 1, n, n + 2):
        cases.append({**without_crt, "d": b64_int(d)})
        cases.append({**private, "d": b64_int(d)})
    for member in ("p", "q"):
        for value in (0, 1, 2, n, n + 2):
            cases.append({**private, member: b64_int(value)})
    # A panic inside the key arithmetic would be caught, but its message would still reach
    # stderr: impossible components must be refused before they get there.
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# --- EC and EdDSA: curve and key-type confusion ---------------------------------------------
# Each case is also run through PyJWT (a test dependency only): both refuse it with the same
# exception class.


def both_libraries() -> list[Any]:
    import jwt as pyjwt

    return [jwt, pyjwt]


def test_es256_token_with_a_p384_key_is_refused() -> None:
    for library in both_libraries():
        token = library.encode({"a": 1}, read_key("ec256.pem"), algorithm="ES256")
        with pytest.raises(library.InvalidKeyError, match="secp384r1"):
            library.decode(token, read_key("ec384.pub.pem"), algorithms=["ES256"])
        with pytest.raises(library.InvalidKeyError):
            library.encode({"a": 1}, read_key("ec384.pkcs8.pem"), algorithm="ES256")


@pytest.mark.parametrize(
    ("alg", "key_name"),
    [
        ("ES256", "rsa2048.pkcs8.pem"),  # an RSA key for ES256
        ("ES256", "ed25519.pkcs8.pem"),  # an Ed25519 key for ES256
        ("EdDSA", "ec256.pem"),  # an EC key for EdDSA
        ("RS256", "ec256.pem"),  # an EC key for RS256
        ("RS256", "ed25519.pkcs8.pem"),  # an Ed25519 key for RS256
    ],
)
def test_a_key_of_another_type_is_refused(alg: str, key_name: str) -> None:
    public_name = {
        "rsa2048.pkcs8.pem": "rsa2048.pub.pem",
        "ed25519.pkcs8.pem": "ed25519.pub.pem",
        "ec256.pem": "ec256.pub.pem",
    }[key_name]
    header = segment({"alg": alg, "typ": "JWT"})
    token = f"{header}.{segment({'a': 1})}.{b64(bytes(64))}"
    for library in both_libraries():
        with pytest.raises(library.InvalidKeyError):
            library.encode({"a": 1}, read_key(key_name), algorithm=alg)
        with pytest.raises(library.InvalidKeyError):
            library.decode(token, read_key(public_name), algorithms=[alg])


@pytest.mark.parametrize(
    "public_key_name", ["ec256.pub.pem", "ec256.pub.ssh", "ed25519.pub.pem", "ed25519.pub.ssh"]
)
def test_ec_and_ed25519_public_keys_as_hmac_secret_are_refused(public_key_name: str) -> None:
    public_key = read_key(public_key_name)
    token = hs256_token({"alg": "HS256"}, {"admin": True}, public_key.encode())
    for library in both_libraries():
        with pytest.raises(library.InvalidKeyError):
            library.decode(token, public_key, algorithms=["HS256"])
    # With both families allowed, the token still cannot pick HMAC for the public key.
    allowed = ["ES256", "EdDSA", "HS256"]
    with pytest.raises(jwt.InvalidKeyError):
        jwt.decode(token, public_key, algorithms=allowed)


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512"])
def test_a_der_signature_is_refused(alg: str) -> None:
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    private, public = {
        "ES256": ("ec256.pem", "ec256.pub.pem"),
        "ES384": ("ec384.pkcs8.pem", "ec384.pub.pem"),
        "ES512": ("ec521.pkcs8.pem", "ec521.pub.pem"),
    }[alg]
    token = jwt.encode({"a": 1}, read_key(private), algorithm=alg)
    signing_input, signature = token.rsplit(".", 1)
    raw = base64.urlsafe_b64decode(signature + "==")
    half = len(raw) // 2
    r, s = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
    der_token = f"{signing_input}.{b64(encode_dss_signature(r, s))}"
    for library in both_libraries():
        assert library.decode(token, read_key(public), algorithms=[alg]) == {"a": 1}
        with pytest.raises(library.InvalidSignatureError):
            library.decode(der_token, read_key(public), algorithms=[alg])


def test_ed448_keys_sign_eddsa_and_nothing_else() -> None:
    """EdDSA names both Edwards curves (RFC 8037): an Ed448 key signs and verifies EdDSA tokens,
    is refused for any other algorithm, and only its own key verifies what it signed. A broken
    Ed448 JWK is refused when it is loaded, and a key set skips it."""
    from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey

    stranger = Ed448PrivateKey.generate().public_key()
    for library in both_libraries():
        token = library.encode({"a": 1}, read_key("ed448.pkcs8.pem"), algorithm="EdDSA")
        assert library.decode(token, read_key("ed448.pub.pem"), algorithms=["EdDSA"]) == {"a": 1}
        for wrong_key in (stranger, read_key("ed25519.pub.pem")):
            with pytest.raises(library.InvalidSignatureError):
                library.decode(token, wrong_key, algorithms=["EdDSA"])
        with pytest.raises(library.InvalidKeyError):
            library.encode({"a": 1}, read_key("ed448.pkcs8.pem"), algorithm="ES256")
        short = {"kty": "OKP", "crv": "Ed448", "x": b64(bytes(56))}
        with pytest.raises(library.InvalidKeyError):
            library.PyJWK(short, algorithm="EdDSA")
        good = jwt.algorithms.OKPAlgorithm.to_jwk(read_key("ed448.pub.pem"), as_dict=True)
        jwks = library.PyJWKSet([{**short, "kid": "old"}, {**good, "alg": "EdDSA", "kid": "new"}])
        assert [key.key_id for key in jwks] == ["new"]


@pytest.mark.parametrize(
    "bad_jwk",
    [
        {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"},  # coordinates too short
        {"kty": "EC", "crv": "P-256", "x": b64(bytes(32)), "y": b64(bytes(32))},  # not on curve
        {"kty": "EC", "crv": "P-384", "x": b64(bytes(32)), "y": b64(bytes(32))},
        {"kty": "EC", "crv": ["P-256"], "x": "AA", "y": "AA"},
        {"kty": "EC", "crv": "P-256", "x": 1, "y": "AA"},
        {"kty": "OKP", "crv": "Ed25519"},
        {"kty": "OKP", "crv": "Ed25519", "x": b64(bytes(31))},
        {"kty": "OKP", "crv": {"a": 1}, "x": "AA"},
    ],
)
def test_bad_ec_and_okp_jwks_are_refused(bad_jwk: dict[str, Any]) -> None:
    with pytest.raises(jwt.InvalidKeyError):
        jwt.PyJWK(bad_jwk)


def test_a_private_jwk_whose_d_does_not_match_its_public_point_is_refused() -> None:
    from ferrojwt.algorithms import ECAlgorithm, OKPAlgorithm

    for cls, pem in [(ECAlgorithm, "ec256.pem"), (OKPAlgorithm, "ed25519.pkcs8.pem")]:
        jwk = cls.to_jwk(read_key(pem), as_dict=True)
        assert jwk["d"] != jwk["x"]
        with pytest.raises(jwt.InvalidKeyError, match="does not match"):
            cls.from_jwk({**jwk, "d": jwk["x"]})


def test_compressed_ec_points_are_an_invalid_key_error() -> None:
    from cryptography.hazmat.primitives import serialization

    public = serialization.load_pem_public_key(read_key("ec256.pub.pem").encode())
    point = public.public_bytes(  # type: ignore[union-attr]
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    # SubjectPublicKeyInfo { id-ecPublicKey, prime256v1 } with a 33-byte compressed point.
    spki = bytes.fromhex("3039301306072a8648ce3d020106082a8648ce3d030107032200") + point
    encoded = base64.b64encode(spki).decode()
    body = "".join(encoded[i : i + 64] + "\n" for i in range(0, len(encoded), 64))
    pem = f"-----BEGIN PUBLIC KEY-----\n{body}-----END PUBLIC KEY-----\n"
    assert serialization.load_pem_public_key(pem.encode()).public_numbers() == (  # type: ignore[union-attr]
        public.public_numbers()  # type: ignore[union-attr]
    )
    token = jwt.encode({"a": 1}, read_key("ec256.pem"), algorithm="ES256")
    with pytest.raises(jwt.InvalidKeyError, match="Compressed"):
        jwt.decode(token, pem, algorithms=["ES256"])


# --- beyond PyJWT: key material in messages, lenient encodings, weak Ed25519 keys ------------
# PyJWT has each of these too; ferrojwt closes them.


def private_jwks() -> dict[str, dict[str, Any]]:
    from ferrojwt.algorithms import OKPAlgorithm, RSAAlgorithm

    return {
        "RSA": RSAAlgorithm.to_jwk(read_key("rsa2048.pkcs8.pem"), as_dict=True),
        "OKP": OKPAlgorithm.to_jwk(read_key("ed25519.pkcs8.pem"), as_dict=True),
        "oct": {"kty": "oct", "k": b64(b"a secret that must stay out of messages!")},
    }


def secret_values(jwk: dict[str, Any]) -> list[str]:
    return [jwk[name] for name in ("d", "p", "q", "dp", "dq", "qi", "k") if name in jwk]


JWK_MISTAKES = {
    "no kty": lambda jwk: {name: value for name, value in jwk.items() if name != "kty"},
    "no crv": lambda jwk: {name: value for name, value in jwk.items() if name != "crv"},
    "unknown alg": lambda jwk: {**jwk, "alg": "XS999"},
    "unknown kty": lambda jwk: {**jwk, "kty": "XYZ"},
}


@pytest.mark.parametrize("kty", ["RSA", "OKP", "oct"])
@pytest.mark.parametrize("mistake", list(JWK_MISTAKES))
def test_pyjwk_errors_name_the_key_without_its_private_members(kty: str, mistake: str) -> None:
    jwk = JWK_MISTAKES[mistake]({**private_jwks()[kty], "kid": "key-1"})
    try:
        key = jwt.PyJWK(jwk)
    except jwt.PyJWTError as error:
        text = " ".join([str(error), repr(error.args), str(error.__cause__)])
        for value in secret_values(jwk):
            assert value not in text
        assert "key-1" in str(error)
    else:  # an RSA or HMAC key needs no crv: nothing to report
        assert mistake == "no crv" and kty in ("RSA", "oct") and key.key_id == "key-1"


def pem_of(label: str, der: bytes) -> str:
    text = base64.b64encode(der).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----\n"])


def loader_outcomes(text: str, private: bool) -> tuple[bool, bool]:
    """(ferrojwt loads it, cryptography loads it)."""
    from cryptography.hazmat.primitives import serialization

    def ours() -> None:
        try:
            jwt.keys.load_rsa_key(text)
        except jwt.InvalidKeyError as rsa_error:
            if "RSA" not in str(rsa_error) and "public key" not in str(rsa_error):
                raise
            jwt.keys.load_curve_key(text)

    def theirs() -> None:
        data = text.encode()
        if data.startswith((b"ssh-", b"ecdsa-")):
            serialization.load_ssh_public_key(data)
        elif private:
            serialization.load_pem_private_key(data, password=None)
        else:
            serialization.load_pem_public_key(data)

    results = []
    for load in (ours, theirs):
        try:
            load()
            results.append(True)
        except (jwt.InvalidKeyError, ValueError):
            results.append(False)
    return results[0], results[1]


def der_key_forms() -> dict[str, tuple[str, bytes, bool]]:
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    der, none = s.Encoding.DER, s.NoEncryption()
    forms: dict[str, tuple[str, bytes, bool]] = {}
    for bits in (1024, 2048):
        key = rsa.generate_private_key(65537, bits)
        forms[f"RSA-{bits} PKCS#8"] = (
            "PRIVATE KEY",
            key.private_bytes(der, s.PrivateFormat.PKCS8, none),
            True,
        )
        forms[f"RSA-{bits} PKCS#1"] = (
            "RSA PRIVATE KEY",
            key.private_bytes(der, s.PrivateFormat.TraditionalOpenSSL, none),
            True,
        )
        public = key.public_key()
        forms[f"RSA-{bits} SPKI"] = (
            "PUBLIC KEY",
            public.public_bytes(der, s.PublicFormat.SubjectPublicKeyInfo),
            False,
        )
        forms[f"RSA-{bits} PKCS#1 public"] = (
            "RSA PUBLIC KEY",
            public.public_bytes(der, s.PublicFormat.PKCS1),
            False,
        )
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    forms["EC SEC 1"] = (
        "EC PRIVATE KEY",
        ec_key.private_bytes(der, s.PrivateFormat.TraditionalOpenSSL, none),
        True,
    )
    for name, key in (("EC", ec_key), ("Ed25519", ed_key)):
        forms[f"{name} PKCS#8"] = (
            "PRIVATE KEY",
            key.private_bytes(der, s.PrivateFormat.PKCS8, none),
            True,
        )
        forms[f"{name} SPKI"] = (
            "PUBLIC KEY",
            key.public_key().public_bytes(der, s.PublicFormat.SubjectPublicKeyInfo),
            False,
        )
    return forms


DER_FORMS = der_key_forms()


@pytest.mark.parametrize("trailing", [b"", b"\x00", b"\x05\x00", b"\x30\x00"])
@pytest.mark.parametrize("form", list(DER_FORMS))
def test_der_with_trailing_bytes_is_refused_as_cryptography_refuses_it(
    form: str, trailing: bytes
) -> None:
    label, der, private = DER_FORMS[form]
    ours, theirs = loader_outcomes(pem_of(label, der + trailing), private)
    assert ours == theirs == (not trailing)


def ssh_string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def ssh_mpint(value: int, *, minimal_sign: bool = True) -> bytes:
    """`value` as an SSH mpint; without `minimal_sign` the leading zero byte that keeps a high
    first bit positive is left out, so the number reads as negative."""
    body = value.to_bytes((value.bit_length() + 8) // 8, "big")
    return ssh_string(body if minimal_sign else body.lstrip(b"\x00"))


def ssh_blobs() -> dict[str, tuple[str, bytes]]:
    from cryptography.hazmat.primitives import serialization as s

    rsa_public = s.load_pem_public_key(read_key("rsa2048.pub.pem").encode())
    numbers = rsa_public.public_numbers()  # type: ignore[union-attr]
    ec_public = s.load_pem_public_key(read_key("ec256.pub.pem").encode())
    point = ec_public.public_bytes(s.Encoding.X962, s.PublicFormat.UncompressedPoint)
    ed_public = s.load_pem_public_key(read_key("ed25519.pub.pem").encode())
    raw = ed_public.public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
    rsa_blob = ssh_string(b"ssh-rsa") + ssh_mpint(numbers.e) + ssh_mpint(numbers.n)
    ec_blob = ssh_string(b"ecdsa-sha2-nistp256") + ssh_string(b"nistp256") + ssh_string(point)
    ed_blob = ssh_string(b"ssh-ed25519") + ssh_string(raw)
    return {
        "ssh-rsa": ("ssh-rsa", rsa_blob),
        "ssh-rsa, trailing byte": ("ssh-rsa", rsa_blob + b"\x00"),
        "ssh-rsa, trailing string": ("ssh-rsa", rsa_blob + ssh_string(b"extra")),
        "ssh-rsa, negative n": (
            "ssh-rsa",
            ssh_string(b"ssh-rsa")
            + ssh_mpint(numbers.e)
            + ssh_mpint(numbers.n, minimal_sign=False),
        ),
        "ecdsa": ("ecdsa-sha2-nistp256", ec_blob),
        "ecdsa, trailing byte": ("ecdsa-sha2-nistp256", ec_blob + b"\x00"),
        "ssh-ed25519": ("ssh-ed25519", ed_blob),
        "ssh-ed25519, trailing string": ("ssh-ed25519", ed_blob + ssh_string(b"")),
    }


SSH_BLOBS = ssh_blobs()


@pytest.mark.parametrize("case", list(SSH_BLOBS))
def test_openssh_blobs_are_read_as_cryptography_reads_them(case: str) -> None:
    kind, blob = SSH_BLOBS[case]
    line = f"{kind} {base64.b64encode(blob).decode()} comment"
    ours, theirs = loader_outcomes(line, private=False)
    assert ours == theirs == ("," not in case)


def with_corrupt_crt(pkcs1_der: bytes, member: int) -> bytes:
    """The PKCS#1 RSAPrivateKey with one of dp (6), dq (7) or qi (8) changed by one."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = jwt.algorithms.RSAAlgorithm.from_jwk(
        jwt.algorithms.RSAAlgorithm.to_jwk(pem_of("RSA PRIVATE KEY", pkcs1_der))
    )
    numbers = key.private_numbers() if hasattr(key, "private_numbers") else None
    assert isinstance(numbers, rsa.RSAPrivateNumbers)
    values = [
        0,
        numbers.public_numbers.n,
        numbers.public_numbers.e,
        numbers.d,
        numbers.p,
        numbers.q,
        numbers.dmp1,
        numbers.dmq1,
        numbers.iqmp,
    ]
    values[member] += 2
    body = b"".join(der_integer(value) for value in values)
    return b"\x30" + der_length(len(body)) + body


@pytest.mark.parametrize("member", [6, 7, 8], ids=["dp", "dq", "qi"])
@pytest.mark.parametrize("bits", [1024, 2048])
def test_rsa_private_keys_with_corrupt_crt_values_are_refused(bits: int, member: int) -> None:
    _, der, _ = DER_FORMS[f"RSA-{bits} PKCS#1"]
    assert loader_outcomes(pem_of("RSA PRIVATE KEY", der), private=True) == (True, True)
    corrupt = pem_of("RSA PRIVATE KEY", with_corrupt_crt(der, member))
    assert loader_outcomes(corrupt, private=True) == (False, False)


@pytest.mark.parametrize("kty", ["EC", "OKP"])
def test_a_private_jwk_with_a_null_d_is_not_a_public_key(kty: str) -> None:
    from ferrojwt.algorithms import ECAlgorithm, OKPAlgorithm

    algorithm, pem = {"EC": (ECAlgorithm, "ec256.pem"), "OKP": (OKPAlgorithm, "ed25519.pkcs8.pem")}[
        kty
    ]
    jwk = {**algorithm.to_jwk(read_key(pem), as_dict=True), "d": None}
    with pytest.raises(jwt.InvalidKeyError):
        algorithm.from_jwk(jwk)
    with pytest.raises(jwt.InvalidKeyError):
        jwt.PyJWK(jwk)


#: The encodings of Ed25519's points of small order (libsodium refuses the same list): with one
#: as public key, a signature whose R is the identity and S is 0 verifies for any message.
SMALL_ORDER_ED25519 = [
    bytes.fromhex(point[:62] + f"{int(point[62:], 16) | sign:02x}")
    for point in (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    )
    for sign in (0, 0x80)
]


@pytest.mark.parametrize("point", SMALL_ORDER_ED25519, ids=lambda point: point.hex()[:8])
def test_small_order_ed25519_public_keys_are_refused(point: bytes) -> None:
    spki = bytes.fromhex("302a300506032b6570032100") + point
    forms = {
        "PEM": pem_of("PUBLIC KEY", spki),
        "OpenSSH": "ssh-ed25519 "
        + base64.b64encode(ssh_string(b"ssh-ed25519") + ssh_string(point)).decode(),
        "JWK": {"kty": "OKP", "crv": "Ed25519", "x": b64(point)},
    }
    identity = bytes.fromhex("01" + "00" * 31)
    forged = f"{segment({'alg': 'EdDSA'})}.{segment({'admin': True})}.{b64(identity + bytes(32))}"
    for form, key in forms.items():
        with pytest.raises(jwt.InvalidKeyError):
            jwt.decode(forged, key, algorithms=["EdDSA"])
        with pytest.raises(jwt.InvalidKeyError):
            jwt.PyJWK({"kty": "OKP", "crv": "Ed25519", "x": b64(point), "kid": form})


# JSON that no CPython parses (its recursion limit), from a key's, a key set's or a token's side.
TOO_DEEP = "[" * 1_000_000 + "]" * 1_000_000


def test_deep_nesting_is_a_pyjwt_error_everywhere(private_pem: str) -> None:
    from ferrojwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm

    jwk = '{"kty": "RSA", "kid": "k", "x": ' + TOO_DEEP + "}"
    for from_jwk in (
        RSAAlgorithm.from_jwk,
        ECAlgorithm.from_jwk,
        OKPAlgorithm.from_jwk,
        HMACAlgorithm.from_jwk,
        jwt.PyJWK.from_json,
    ):
        with pytest.raises(jwt.InvalidKeyError):
            from_jwk(jwk)
    with pytest.raises(jwt.PyJWKSetError):
        jwt.PyJWKSet.from_json('{"keys": ' + TOO_DEEP + "}")
    # As an HMAC secret, deep JSON is refused when it is an object, as PyJWT refuses it.
    with pytest.raises(jwt.InvalidKeyError, match="looks like a JWK"):
        jwt.encode({"a": 1}, jwk, algorithm="HS256")
    token = rs256_signed(b'{"alg":"RS256"}', TOO_DEEP.encode(), private_pem)
    client = jwt.PyJWKClient("http://127.0.0.1:9/never-asked")
    with pytest.raises(jwt.DecodeError, match="Invalid payload"):
        client.get_signing_key_from_jwt(token)
