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
    ("is_pem_format", (HMAC_SECRET.encode(),), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), UTILS_CASES)
def test_utils_give_what_pyjwt_gives(name: str, args: tuple[Any, ...], kwargs: Any) -> None:
    import jwt.utils

    theirs = outcome(lambda: getattr(jwt.utils, name)(*args, **kwargs))
    ours = outcome(lambda: getattr(utils, name)(*args, **kwargs))
    assert ours == theirs


def test_is_pem_format_counts_every_label() -> None:
    # The one helper that differs: ferrojwt's rule, which keeps any PEM block out of HMAC
    # secrets, where PyJWT lists sixteen labels.
    import jwt.utils

    block = b"-----BEGIN OPENSSH PUBLIC KEY-----\nAAAA\n-----END OPENSSH PUBLIC KEY-----\n"
    assert utils.is_pem_format(block) and not jwt.utils.is_pem_format(block)


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
    import jwt.types

    ours, theirs = getattr(types, name), getattr(jwt.types, name)
    assert typing.get_type_hints(ours) == typing.get_type_hints(theirs)
    assert ours.__required_keys__ == theirs.__required_keys__
    assert ours.__optional_keys__ == theirs.__optional_keys__


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


def test_none_algorithm_never_vouches() -> None:
    from jwt.algorithms import NoneAlgorithm as TheirNone

    ours = algorithms.NoneAlgorithm()
    assert isinstance(ours, algorithms.Algorithm)
    assert ours.verify(b"a.b", None, b"") is TheirNone().verify(b"a.b", None, b"") is False
    assert ours.verify(b"a.b", None, b"anything") is False
    # PyJWT returns b"" (an unsigned token); ferrojwt produces none.
    assert TheirNone().sign(b"a.b", None) == b""
    with pytest.raises(ferrojwt.InvalidAlgorithmError):
        ours.sign(b"a.b", None)
    for call in (lambda: ours.to_jwk(None), lambda: ours.from_jwk({})):
        with pytest.raises(NotImplementedError):
            call()
    assert "none" not in algorithms.get_default_algorithms()


def test_none_algorithm_under_another_name_neither_signs_nor_verifies() -> None:
    # PyJWT's own tests register it under another name; that must not open a door.
    jws = ferrojwt.PyJWS()
    jws.register_algorithm("AAA", algorithms.NoneAlgorithm())
    with pytest.raises(ValueError):
        jws.register_algorithm("AAA", algorithms.NoneAlgorithm())
    with pytest.raises(ferrojwt.InvalidAlgorithmError):
        jws.encode(b"payload", None, algorithm="AAA")
    token = f"{segment({'alg': 'AAA'})}.{segment({'a': 1})}."
    with pytest.raises(ferrojwt.InvalidSignatureError):
        jws.decode(token, None, algorithms=["AAA"])


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


@pytest.mark.parametrize("token", list(UNSIGNED))
@pytest.mark.parametrize(
    "verify",
    [
        lambda lib, token: lib.decode(token, None, algorithms=["none"]),
        lambda lib, token: lib.decode(token, "", algorithms=["none", "None", "NONE"]),
        lambda lib, token: lib.decode(token, HMAC_SECRET, algorithms=["HS256"]),
        lambda lib, token: lib.PyJWS().decode(token, None, algorithms=["none"]),
        lambda lib, token: lib.decode(token, None, algorithms=["none"], options={"verify_exp": 0}),
    ],
)
def test_unsigned_tokens_never_verify(verify: Callable[[ModuleType, str], Any], token: str) -> None:
    # PyJWT refuses too (an allow-list without "none", or a signature check that always fails);
    # ferrojwt says why, with InvalidAlgorithmError.
    with pytest.raises(pyjwt.InvalidTokenError):
        verify(pyjwt, UNSIGNED[token])
    with pytest.raises(ferrojwt.InvalidAlgorithmError):
        verify(ferrojwt, UNSIGNED[token])


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
    assert ours.pop("ferrojwt") == {"version": ferrojwt.__version__}
    assert theirs.pop("pyjwt") == {"version": pyjwt.__version__}
    assert ours == theirs
