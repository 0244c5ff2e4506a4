"""The rest of PyJWT's surface, each compared with PyJWT itself: ``jwt.utils``, ``jwt.types``
(with what mypy makes of it), ``NoneAlgorithm``, and reading unsigned tokens without verifying.
"""

from __future__ import annotations

import base64
import inspect
import json
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import jwt as pyjwt
import pytest
from conftest import HMAC_SECRET, read_key

import ferrojwt
import ferrojwt.help
from ferrojwt import algorithms, types, utils

# --- ferrojwt.utils ---------------------------------------------------------------------------


def public_functions(module: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == module.__name__
    }


def test_submodules_are_attributes_after_import_as_in_pyjwt() -> None:
    # `import jwt; jwt.utils.base64url_decode(...)` works with PyJWT: its submodules are loaded
    # by `import jwt`. A fresh interpreter, since this test session has imported them all.
    script = (
        "import importlib, json, pkgutil, sys\n"
        "package = importlib.import_module(sys.argv[1])\n"
        "names = [m.name for m in pkgutil.iter_modules(package.__path__)]\n"
        "print(json.dumps([name for name in names if hasattr(package, name)]))\n"
    )

    def loaded(package: str) -> set[str]:
        printed = subprocess.run(
            [sys.executable, "-c", script, package], capture_output=True, text=True, check=True
        ).stdout
        return set(json.loads(printed))

    assert loaded("jwt") - loaded("ferrojwt") == set()


def test_utils_has_every_public_helper_of_pyjwt() -> None:
    import jwt.utils

    assert public_functions(jwt.utils) - set(dir(utils)) == set()


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """What a call gives: its value, or the class of what it raises (ValueError's subclasses
    such as binascii.Error count as themselves)."""
    try:
        return "value", call()
    except Exception as error:  # noqa: BLE001 - the class is what is compared
        return "raises", type(error)


UTILS_CASES: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("base64url_encode", (b"",), {}),
    ("base64url_encode", (b"\xfb\xff\x00",), {}),
    ("base64url_encode", (bytes(range(256)),), {}),
    ("base64url_decode", ("",), {}),
    ("base64url_decode", ("-_8A",), {}),
    ("base64url_decode", (b"-_8",), {}),
    ("base64url_decode", ("-_8=",), {}),  # padded
    ("base64url_decode", ("a",), {}),  # impossible length
    ("base64url_decode", ("YW*Jj",), {}),  # a character outside the alphabet is skipped
    ("base64url_decode", (123,), {}),
    ("to_base64url_uint", (0,), {}),
    ("to_base64url_uint", (65537,), {}),
    ("to_base64url_uint", (2**2048 - 1,), {}),
    ("to_base64url_uint", (1,), {"bit_length": 256}),
    ("to_base64url_uint", (2**300,), {"bit_length": 256}),
    ("to_base64url_uint", (-1,), {}),
    ("from_base64url_uint", ("AQAB",), {}),
    ("from_base64url_uint", (b"AA",), {}),
    ("from_base64url_uint", ("",), {}),
    ("number_to_bytes", (1, 4), {}),
    ("number_to_bytes", (0, 0), {}),
    ("number_to_bytes", (0x1234, 1), {}),  # longer than asked, whole bytes
    ("number_to_bytes", (0x123, 1), {}),  # longer than asked, half a byte over
    ("bytes_to_number", (b"\x01\x00",), {}),
    ("bytes_to_number", (b"",), {}),
    ("bytes_from_int", (0,), {}),
    ("bytes_from_int", (256,), {}),
    ("bytes_from_int", (1,), {"bit_length": 521}),
    ("bytes_from_int", (2**16,), {"bit_length": 8}),
    ("force_bytes", ("é",), {}),
    ("force_bytes", (b"x",), {}),
    ("force_bytes", (1,), {}),
    ("is_ssh_key", (b"ssh-rsa AAAA",), {}),
    ("is_ssh_key", (b"ecdsa-sha2-nistp256 AAAA",), {}),
    ("is_ssh_key", (b" ssh-rsa AAAA",), {}),
    ("is_pem_format", (read_key("rsa2048.pub.pem").encode(),), {}),
    ("is_pem_format", (read_key("rsa2048.pkcs1.pem").encode(),), {}),
    ("is_pem_format", (b"-----BEGIN PUBLIC KEY-----",), {}),
    ("is_pem_format", (b"-----BEGIN PUBLIC KEY-----" * 3,), {}),
    ("is_pem_format", (b"-----BEGIN PUBLIC KEY-----END PUBLIC KEY-----",), {}),
    ("is_pem_format", (b"-----BEGIN PUBLIC KEY----- -----END PUBLIC KEY-----",), {}),
    (
        "is_pem_format",
        (b"-----END CERTIFICATE-----BEGIN CERTIFICATE----- x -----END CERTIFICATE-----",),
        {},
    ),
    ("is_pem_format", (b"----BEGIN PUBLIC KEY-----\nAA\n----END PUBLIC KEY----",), {}),
    (
        "is_pem_format",
        (b"-----BEGIN OPENSSH PUBLIC KEY-----\nAA\n-----END OPENSSH PUBLIC KEY-----",),
        {},
    ),
    ("is_pem_format", (HMAC_SECRET.encode(),), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), UTILS_CASES)
def test_utils_give_what_pyjwt_gives(name: str, args: tuple[Any, ...], kwargs: Any) -> None:
    import jwt.utils

    theirs = outcome(lambda: getattr(jwt.utils, name)(*args, **kwargs))
    ours = outcome(lambda: getattr(utils, name)(*args, **kwargs))
    assert ours == theirs


@pytest.mark.parametrize("curve_name", ["SECP256R1", "SECP384R1", "SECP521R1"])
def test_ecdsa_signature_forms_match_pyjwt(curve_name: str) -> None:
    import jwt.utils
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    curve = getattr(ec, curve_name)()
    key = ec.generate_private_key(curve)
    for message in (b"", b"message", b"x" * 1000):
        der = key.sign(message, ec.ECDSA(hashes.SHA256()))
        raw = utils.der_to_raw_signature(der, curve)
        assert raw == jwt.utils.der_to_raw_signature(der, curve)
        assert len(raw) == 2 * ((curve.key_size + 7) // 8)
        assert utils.raw_to_der_signature(raw, curve) == jwt.utils.raw_to_der_signature(raw, curve)
        key.public_key().verify(
            utils.raw_to_der_signature(raw, curve), message, ec.ECDSA(hashes.SHA256())
        )
    with pytest.raises(ValueError, match="Invalid signature"):
        utils.raw_to_der_signature(b"\x01" * 63, ec.SECP256R1())


# --- ferrojwt.types ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Options", "SigOptions", "FullOptions"])
def test_option_types_have_pyjwt_keys(name: str) -> None:
    """Every option PyJWT types, with its type and whether it is required: options written for
    PyJWT type-check the same. An option of ferrojwt's own may come on top (stage 4's exercise 2
    adds one)."""
    import jwt.types

    ours, theirs = getattr(types, name), getattr(jwt.types, name)
    our_hints, their_hints = typing.get_type_hints(ours), typing.get_type_hints(theirs)
    assert {key: our_hints[key] for key in their_hints if key in our_hints} == their_hints
    assert ours.__required_keys__ >= theirs.__required_keys__
    assert ours.__optional_keys__ >= theirs.__optional_keys__


def test_types_module_has_pyjwt_names() -> None:
    import jwt.types

    theirs = {name for name in vars(jwt.types) if not name.startswith("_")}
    theirs -= {"Any", "Callable", "TypedDict", "Optional", "Union"}  # its own imports
    assert theirs - set(vars(types)) == set()


@pytest.mark.parametrize(
    ("function", "options_type"),
    [
        (ferrojwt.decode, types.Options),
        (ferrojwt.decode_complete, types.Options),
        (ferrojwt.PyJWT.__init__, types.Options),
        (ferrojwt.PyJWS.__init__, types.SigOptions),
        (ferrojwt.PyJWS.decode, types.SigOptions),
        (ferrojwt.PyJWS.decode_complete, types.SigOptions),
    ],
)
def test_signatures_name_the_option_types(function: Any, options_type: Any) -> None:
    assert typing.get_type_hints(function)["options"] == options_type | None


TYPO = """
from {module} import PyJWT, decode

decode("t", "k", algorithms=["HS256"], options={{"verfy_exp": False}})
PyJWT().decode("t", "k", algorithms=["HS256"], options={{"verfy_exp": False}})
"""


def mypy_errors(module: str, folder: Path) -> list[str]:
    source = folder / f"uses_{module}.py"
    source.write_text(TYPO.format(module=module))
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line.split(":", 1)[1] for line in checked.stdout.splitlines() if ": error:" in line]


def test_mypy_flags_a_misspelt_option_as_with_pyjwt(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    ours = mypy_errors("ferrojwt", tmp_path)
    assert len(ours) == 2
    assert all('"Options' in error for error in ours)
    if (Path(pyjwt.__file__).parent / "py.typed").exists():
        assert ours == mypy_errors("jwt", tmp_path)


# --- NoneAlgorithm ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "123", b"", 0, {}])
def test_none_algorithm_prepare_key_matches_pyjwt(key: Any) -> None:
    from jwt.algorithms import NoneAlgorithm as TheirNone

    theirs = outcome(lambda: TheirNone().prepare_key(key))
    ours = outcome(lambda: algorithms.NoneAlgorithm().prepare_key(key))
    assert ours[0] == theirs[0]
    if ours[0] == "raises":
        assert ours[1].__name__ == theirs[1].__name__ == "InvalidKeyError"
    else:
        assert ours[1] is theirs[1] is None


def test_none_algorithm_is_pyjwts() -> None:
    from jwt.algorithms import NoneAlgorithm as TheirNone

    ours = algorithms.NoneAlgorithm()
    assert isinstance(ours, algorithms.Algorithm)
    assert ours.verify(b"a.b", None, b"") is TheirNone().verify(b"a.b", None, b"") is False
    assert ours.verify(b"a.b", None, b"anything") is False
    assert ours.sign(b"a.b", None) == TheirNone().sign(b"a.b", None) == b""
    for call in (lambda: ours.to_jwk(None), lambda: ours.from_jwk({})):
        with pytest.raises(NotImplementedError):
            call()
    assert set(algorithms.get_default_algorithms()) == set(
        pyjwt.algorithms.get_default_algorithms()
    )
    assert type(algorithms.get_default_algorithms()["none"]) is algorithms.NoneAlgorithm


def test_none_algorithm_under_another_name_signs_empty_and_never_verifies() -> None:
    # PyJWT's own tests register it under another name: an unsigned token, which never verifies.
    for library in (ferrojwt, pyjwt):
        jws = library.PyJWS()
        jws.register_algorithm("AAA", library.algorithms.NoneAlgorithm())
        with pytest.raises(ValueError):
            jws.register_algorithm("AAA", library.algorithms.NoneAlgorithm())
        token = jws.encode(b"payload", None, algorithm="AAA")
        assert token.endswith(".")
        with pytest.raises(library.InvalidSignatureError):
            jws.decode(token, None, algorithms=["AAA"])


def test_has_crypto_false_leaves_the_cryptography_algorithms_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tests of libraries built on PyJWT patch it to play an installation without
    # `cryptography`; PyJWT reads it when get_default_algorithms() runs, and PyJWS and PyJWK
    # read their own copies, bound when they were imported.
    outcomes = []
    jwk = ferrojwt.keys.public_jwk_from_pem(read_key("rsa2048.pub.pem"))
    for library in (ferrojwt, pyjwt):
        monkeypatch.setattr(library.algorithms, "has_crypto", False)
        names = set(library.algorithms.get_default_algorithms())
        jws = library.PyJWS()
        with pytest.raises(NotImplementedError) as refused:
            jws.encode(b"{}", read_key("rsa2048.pkcs8.pem"), algorithm="RS256")
        monkeypatch.setattr(library.api_jws, "has_crypto", False)
        with pytest.raises(NotImplementedError) as hinted:
            library.PyJWS().get_algorithm_by_name("RS256")
        monkeypatch.setattr(library.api_jwk, "has_crypto", False)
        with pytest.raises(library.exceptions.MissingCryptographyError) as missing:
            library.PyJWK(jwk)
        outcomes.append((names, str(refused.value), str(hinted.value), str(missing.value)))
        monkeypatch.undo()
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == {"none", "HS256", "HS384", "HS512"}
    assert pyjwt.algorithms.requires_cryptography == algorithms.requires_cryptography


# --- unsigned tokens, read without verification ------------------------------------------------


def segment(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


UNSIGNED = {
    f"{alg}/{signature or 'empty'}": (
        f"{segment({'alg': alg, 'typ': 'JWT', 'kid': 'k1'})}.{segment({'sub': 'x', 'exp': 1})}."
        + signature
    )
    for alg in ("none", "None", "NONE")
    for signature in ("", "c2ln")
}

UNVERIFIED = {"verify_signature": False}

ENTRY_POINTS: dict[str, Callable[[ModuleType, str], Any]] = {
    "decode": lambda lib, token: lib.decode(token, options=UNVERIFIED),
    "decode_complete": lambda lib, token: lib.decode_complete(token, options=UNVERIFIED),
    "decode with RS256 allowed": lambda lib, token: lib.decode(
        token, read_key("rsa2048.pub.pem"), algorithms=["RS256"], options=UNVERIFIED
    ),
    "PyJWT().decode": lambda lib, token: lib.PyJWT().decode(token, options=UNVERIFIED),
    "PyJWT().decode_complete": lambda lib, token: lib.PyJWT().decode_complete(
        token, options=UNVERIFIED
    ),
    "PyJWT(options).decode": lambda lib, token: lib.PyJWT(options=UNVERIFIED).decode(token),
    "PyJWS().decode": lambda lib, token: lib.PyJWS().decode(token, options=UNVERIFIED),
    "PyJWS().decode_complete": lambda lib, token: lib.PyJWS().decode_complete(
        token, options=UNVERIFIED
    ),
    "PyJWS(options).decode_complete": lambda lib, token: lib.PyJWS(
        options=UNVERIFIED
    ).decode_complete(token),
    "api_jws.decode": lambda lib, token: lib.api_jws.decode(token, options=UNVERIFIED),
    "get_unverified_header": lambda lib, token: lib.get_unverified_header(token),
    "PyJWS().get_unverified_header": lambda lib, token: lib.PyJWS().get_unverified_header(token),
}


@pytest.mark.parametrize("token", list(UNSIGNED))
@pytest.mark.parametrize("entry_point", list(ENTRY_POINTS))
def test_unsigned_tokens_are_read_unverified_as_pyjwt_reads_them(
    entry_point: str, token: str
) -> None:
    read = ENTRY_POINTS[entry_point]
    ours = outcome(lambda: read(ferrojwt, UNSIGNED[token]))
    theirs = outcome(lambda: read(pyjwt, UNSIGNED[token]))
    if theirs[0] == "raises":  # PyJWT(options=...) keeps checking signatures, in both
        assert (ours[0], ours[1].__name__) == (theirs[0], theirs[1].__name__)
    else:
        assert ours == theirs


def unsigned_jwk_set() -> dict[str, Any]:
    jwk = ferrojwt.keys.public_jwk_from_pem(read_key("rsa2048.pub.pem"), kid="k1")
    return {"keys": [{**jwk, "alg": "RS256", "use": "sig"}]}


class StubbedClient:
    """A PyJWKClient whose JWK Set is served without a network."""

    @staticmethod
    def make(lib: ModuleType) -> Any:
        client = lib.PyJWKClient("http://127.0.0.1:9/unused", cooldown_duration=0)
        client.fetch_data = unsigned_jwk_set  # type: ignore[method-assign]
        return client


RSA_PUBLIC = read_key("rsa2048.pub.pem")
VERIFYING: dict[str, Callable[[ModuleType, str], Any]] = {
    "decode, none allowed": lambda lib, token: lib.decode(token, None, algorithms=["none"]),
    "decode, every spelling allowed": lambda lib, token: lib.decode(
        token, "", algorithms=["none", "None", "NONE"]
    ),
    "decode, none allowed, a key given": lambda lib, token: lib.decode(
        token, RSA_PUBLIC, algorithms=["none"]
    ),
    "decode, HS256 allowed": lambda lib, token: lib.decode(
        token, HMAC_SECRET, algorithms=["HS256"]
    ),
    "decode, fast path's RS256 allowed": lambda lib, token: lib.decode(
        token, RSA_PUBLIC, algorithms=["RS256"]
    ),
    "decode, RS256 and none allowed": lambda lib, token: lib.decode(
        token, RSA_PUBLIC, algorithms=["RS256", "none"]
    ),
    "decode_complete": lambda lib, token: lib.decode_complete(token, None, algorithms=["none"]),
    "decode, options": lambda lib, token: lib.decode(
        token, None, algorithms=["none"], options={"verify_exp": 0}
    ),
    "PyJWT().decode": lambda lib, token: lib.PyJWT().decode(token, None, algorithms=["none"]),
    "PyJWT().decode_complete": lambda lib, token: lib.PyJWT().decode_complete(
        token, "", algorithms=["none"]
    ),
    "PyJWS().decode": lambda lib, token: lib.PyJWS().decode(token, None, algorithms=["none"]),
    "PyJWS().decode_complete": lambda lib, token: lib.PyJWS().decode_complete(
        token, None, algorithms=["none"]
    ),
    "api_jws.decode": lambda lib, token: lib.api_jws.decode(token, None, algorithms=["none"]),
    "PyJWKClient key": lambda lib, token: lib.decode(
        token, StubbedClient.make(lib).get_signing_key_from_jwt(token)
    ),
    "PyJWKClient key, none allowed": lambda lib, token: lib.decode(
        token, StubbedClient.make(lib).get_signing_key("k1"), algorithms=["none"]
    ),
    "PyJWKClient key object": lambda lib, token: lib.decode(
        token, StubbedClient.make(lib).get_signing_key("k1").key, algorithms=["RS256", "none"]
    ),
    "PyJWS with a PyJWK": lambda lib, token: lib.PyJWS().decode(
        token, StubbedClient.make(lib).get_signing_key("k1")
    ),
}


@pytest.mark.parametrize("token", list(UNSIGNED))
@pytest.mark.parametrize("entry_point", list(VERIFYING))
def test_unsigned_tokens_never_verify(entry_point: str, token: str) -> None:
    # Refused by the allow-list, by the key's own algorithm, by NoneAlgorithm's key check or by
    # its signature check: the same exception as PyJWT's, at every entry point that verifies.
    verify = VERIFYING[entry_point]
    theirs = outcome(lambda: verify(pyjwt, UNSIGNED[token]))
    ours = outcome(lambda: verify(ferrojwt, UNSIGNED[token]))
    assert theirs[0] == ours[0] == "raises"
    assert issubclass(ours[1], ferrojwt.PyJWTError)
    assert ours[1].__name__ == theirs[1].__name__


@pytest.mark.parametrize("algorithm", ["none", None])
def test_unsigned_tokens_are_made_when_asked_for_as_pyjwt_makes_them(algorithm: Any) -> None:
    ours = ferrojwt.encode({"sub": "x"}, None, algorithm=algorithm)
    theirs = pyjwt.encode({"sub": "x"}, None, algorithm=algorithm)
    assert ours == theirs and ours.endswith(".")
    for library in (ferrojwt, pyjwt):
        with pytest.raises(library.InvalidKeyError):
            library.encode({"sub": "x"}, HMAC_SECRET, algorithm=algorithm)
    assert ferrojwt.encode({"sub": "x"}, "", headers={"alg": "none"}) == pyjwt.encode(
        {"sub": "x"}, "", headers={"alg": "none"}
    )


def test_jwks_client_reads_the_kid_of_an_unsigned_token() -> None:
    # get_signing_key_from_jwt parses the token unverified, as PyJWT's does; the key it finds
    # then refuses the token.
    jwk = {**ferrojwt.keys.public_jwk_from_pem(read_key("rsa2048.pub.pem"), kid="k1")}
    client = ferrojwt.PyJWKClient("http://127.0.0.1:9/unused", cooldown_duration=0)
    client.get_jwk_set = lambda refresh=False: ferrojwt.PyJWKSet([jwk])  # type: ignore[method-assign]
    token = UNSIGNED["none/empty"]
    key = client.get_signing_key_from_jwt(token)
    assert key.key_id == "k1"
    with pytest.raises(ferrojwt.InvalidAlgorithmError):
        ferrojwt.decode(token, key)


# --- ferrojwt.help ----------------------------------------------------------------------------


def test_help_reports_what_pyjwt_help_reports() -> None:
    import jwt.help

    printed = subprocess.run(
        [sys.executable, "-m", "ferrojwt.help"], capture_output=True, text=True, check=True
    ).stdout
    ours, theirs = json.loads(printed), jwt.help.info()
    assert ours == ferrojwt.help.info()
    assert ours.pop("ferrojwt") == {"version": ferrojwt.ferrojwt_version}
    assert ours == theirs
    for name in ("pyjwt_version", "cryptography_version"):
        assert getattr(ferrojwt.help, name) == getattr(jwt.help, name)


def test_version_takes_the_pyjwt_2_branch() -> None:
    # The version of PyJWT whose API ferrojwt implements, which code written for PyJWT 1 and 2
    # reads to pick its branch; ferrojwt's own is ferrojwt_version, as in the metadata.
    import importlib.metadata

    assert ferrojwt.__version__ == pyjwt.__version__ == importlib.metadata.version("pyjwt")
    assert not ferrojwt.__version__.startswith("1.")
    assert int(ferrojwt.__version__.split(".")[0]) >= 2
    assert ferrojwt.ferrojwt_version == importlib.metadata.version("ferrojwt")


# --- key objects ------------------------------------------------------------------------------
# Where PyJWT hands a key back, ferrojwt hands back the same `cryptography` object, which code
# built on PyJWT uses as such.

KEY_FILES = {
    "RS256": ("rsa2048.pkcs8.pem", "rsa2048.pub.pem"),
    "ES256": ("ec256.pem", "ec256.pub.pem"),
    "ES256K": ("ec256k1.pkcs8.pem", "ec256k1.pub.pem"),
    "EdDSA/Ed25519": ("ed25519.pkcs8.pem", "ed25519.pub.pem"),
    "EdDSA/Ed448": ("ed448.pkcs8.pem", "ed448.pub.pem"),
}


def handed_back(library: ModuleType, name: str) -> dict[str, Any]:
    """Every key object `library` hands back for the keys of `name`, by where it came from."""
    alg = library.algorithms.get_default_algorithms()[name.split("/")[0]]
    private_pem, public_pem = (read_key(file) for file in KEY_FILES[name])
    private, public = alg.prepare_key(private_pem), alg.prepare_key(public_pem)
    jwk = alg.to_jwk(public, as_dict=True)
    return {
        "prepare_key, private PEM": private,
        "prepare_key, public PEM": public,
        "from_jwk, private": alg.from_jwk(alg.to_jwk(private)),
        "from_jwk, public": alg.from_jwk(json.dumps(jwk)),
        "PyJWK.key": library.PyJWK(jwk, algorithm=name.split("/")[0]).key,
    }


def public_bytes(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    public = key.public_key() if hasattr(key, "private_bytes") else key
    return bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


@pytest.mark.parametrize("name", list(KEY_FILES))
def test_key_objects_are_cryptography_keys(name: str) -> None:
    from cryptography.hazmat.primitives import serialization

    ours, theirs = handed_back(ferrojwt, name), handed_back(pyjwt, name)
    for where, key in ours.items():
        other = theirs[where]
        assert type(key) is type(other), where
        assert public_bytes(key) == public_bytes(other), where
        if hasattr(other, "key_size"):
            assert key.key_size == other.key_size
        if hasattr(other, "curve"):
            assert type(key.curve) is type(other.curve)
        if hasattr(other, "public_numbers"):
            assert key.public_numbers() == other.public_numbers()
        if hasattr(other, "private_numbers"):
            assert key.private_numbers() == other.private_numbers()
        if hasattr(other, "private_bytes"):
            encoding = (
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            assert key.private_bytes(*encoding) == other.private_bytes(*encoding)
    # They sign and verify in both libraries, and with `cryptography`'s own methods.
    alg = name.split("/")[0]
    for library, signer, verifier in (
        (ferrojwt, ours["from_jwk, private"], theirs["PyJWK.key"]),
        (pyjwt, theirs["from_jwk, private"], ours["PyJWK.key"]),
    ):
        token = library.encode({"sub": "x"}, signer, algorithm=alg)
        for other_library in (ferrojwt, pyjwt):
            assert other_library.decode(token, verifier, algorithms=[alg]) == {"sub": "x"}


def test_key_objects_pass_isinstance_and_sign_with_cryptography() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    rs256 = algorithms.RSAAlgorithm(algorithms.RSAAlgorithm.SHA256)
    private = rs256.prepare_key(read_key("rsa2048.pkcs8.pem"))
    public = algorithms.RSAAlgorithm.from_jwk(
        algorithms.RSAAlgorithm.to_jwk(read_key("rsa2048.pub.pem"))
    )
    assert isinstance(private, rsa.RSAPrivateKey) and isinstance(public, rsa.RSAPublicKey)
    assert isinstance(public, algorithms.RSAPublicKey)  # PyJWT's re-exported name
    signature = private.sign(b"message", padding.PKCS1v15(), hashes.SHA256())
    public.verify(signature, b"message", padding.PKCS1v15(), hashes.SHA256())
    assert rs256.verify(b"message", public, signature)
    rs256.check_crypto_key_type(public)
    with pytest.raises(ferrojwt.InvalidKeyError):
        algorithms.ECAlgorithm(algorithms.ECAlgorithm.SHA256).check_crypto_key_type(public)
    # ferrojwt's own parsed keys are handed back as they came.
    parsed = ferrojwt.keys.load_rsa_key(read_key("rsa2048.pub.pem"))
    assert rs256.prepare_key(parsed) is parsed


def test_a_key_object_is_made_once_and_finds_its_parsed_key() -> None:
    from ferrojwt import _key_objects

    pem = read_key("ec256.pem")
    es256 = algorithms.get_default_algorithms()["ES256"]
    key = es256.prepare_key(pem)
    assert es256.prepare_key(pem) is key  # one object per parsed key
    assert algorithms.parsed_key(key) is algorithms.prepare_curve_key(pem)
    loads = []
    original = _key_objects.curve_objects._load
    _key_objects.curve_objects._load = lambda data: loads.append(data) or original(data)
    try:
        token = ferrojwt.encode({"a": 1}, key, algorithm="ES256")
        ferrojwt.decode(token, es256.prepare_key(read_key("ec256.pub.pem")), algorithms=["ES256"])
    finally:
        _key_objects.curve_objects._load = original
    assert loads == []  # signing and verifying with them parsed nothing


def test_ec_algorithm_curves_as_pyjwt() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    defaults = algorithms.get_default_algorithms()
    for name, curve in [("ES256", ec.SECP256R1), ("ES384", ec.SECP384R1), ("ES512", ec.SECP521R1)]:
        assert defaults[name].expected_curve is curve  # type: ignore[attr-defined]
    any_curve = algorithms.ECAlgorithm(algorithms.ECAlgorithm.SHA256)
    p384 = any_curve.prepare_key(read_key("ec384.pkcs8.pem"))  # as PyJWT, any curve is taken
    with pytest.raises(ferrojwt.InvalidKeyError, match="hash"):
        any_curve.sign(b"message", p384)  # but P-384 signs with SHA-384 only
    es256 = algorithms.ECAlgorithm(algorithms.ECAlgorithm.SHA256, ec.SECP256R1)
    with pytest.raises(ferrojwt.InvalidKeyError, match="'secp384r1' does not match.*'secp256r1'"):
        es256.prepare_key(p384)


@pytest.mark.parametrize("library", [pyjwt, ferrojwt], ids=["PyJWT", "ferrojwt"])
def test_a_subclass_overrides_the_header_and_option_hooks_as_with_pyjwt(library: Any) -> None:
    """PyJWT's classes take their defaults and the `kid` check from methods an application's
    subclass may override (`_get_default_options`, `_get_sig_options`, `_validate_kid`)."""

    class NumericKids(library.PyJWS):  # type: ignore[misc, name-defined]
        def _validate_kid(self, kid: Any) -> None:
            if not isinstance(kid, int):  # an issuer that numbers its keys
                super()._validate_kid(kid)

    token = NumericKids().encode(b'{"a":1}', HMAC_SECRET, algorithm="HS256", headers={"kid": 7})
    assert NumericKids().decode(token, HMAC_SECRET, algorithms=["HS256"]) == b'{"a":1}'
    with pytest.raises(library.InvalidTokenError, match="Key ID header parameter"):
        library.encode({"a": 1}, HMAC_SECRET, algorithm="HS256", headers={"kid": 7})
    with pytest.raises(library.InvalidTokenError, match="Key ID header parameter"):
        library.decode(token, HMAC_SECRET, algorithms=["HS256"])

    class Unverified(library.PyJWT):  # type: ignore[misc, name-defined]
        @staticmethod
        def _get_default_options() -> Any:
            return {**library.PyJWT._get_default_options(), "verify_signature": False}

    assert Unverified().options["verify_signature"] is False
    assert Unverified()._get_sig_options()["verify_signature"] is False
    # The signature options PyJWT hands its PyJWS are PyJWS's defaults (and may add more).
    sig_options = library.PyJWT()._get_sig_options()
    jws_defaults = library.PyJWS._get_default_options()
    assert {name: sig_options[name] for name in jws_defaults} == jws_defaults
