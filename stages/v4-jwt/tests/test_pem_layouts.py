"""PEM as keys are really stored: base64 lines of 76 characters or one long line (a key kept in an
environment variable), CRLF endings, whitespace at line ends, no final newline. PyJWT reads PEM
through `cryptography`, which accepts these layouts; ferrojwt must load exactly the same texts,
refuse the same others with the same exception, and never take any of them as an HMAC secret."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

import jwt as pyjwt
import pytest
from conftest import read_key

import ferrojwt

# (private key file, public key file, algorithm): every PEM form the RSA and curve loaders read.
KEY_FILES = [
    ("rsa2048.pkcs1.pem", "rsa2048.pub.pem", "RS256"),
    ("rsa2048.pkcs8.pem", "rsa2048.pub.pkcs1.pem", "RS256"),
    ("ec256.sec1.pem", "ec256.pub.pem", "ES256"),
    ("ec256.pem", "ec256.pub.pem", "ES256"),
    ("ed25519.pkcs8.pem", "ed25519.pub.pem", "EdDSA"),
    ("ed448.pkcs8.pem", "ed448.pub.pem", "EdDSA"),
]


def relayout(pem: str, width: int, newline: str = "\n", end: str = "\n") -> str:
    lines = pem.strip().splitlines()
    body = textwrap.wrap("".join(lines[1:-1]), width)
    return newline.join([lines[0], *body, lines[-1]]) + end


def with_blank_line(pem: str, index: int) -> str:
    lines = pem.strip().splitlines()
    return "\n".join([*lines[:index], "", *lines[index:]]) + "\n"


LAYOUTS: dict[str, Callable[[str], str]] = {
    "lines-of-76": lambda pem: relayout(pem, 76),
    "one-long-line": lambda pem: relayout(pem, 10_000),
    "one-long-line-no-final-newline": lambda pem: relayout(pem, 10_000, end=""),
    "crlf": lambda pem: relayout(pem, 64, "\r\n", "\r\n"),
    "crlf-lines-of-76": lambda pem: relayout(pem, 76, "\r\n", "\r\n"),
    "cr-only": lambda pem: relayout(pem, 64, "\r", "\r"),
    "no-final-newline": lambda pem: relayout(pem, 64, end=""),
    "trailing-whitespace": lambda pem: relayout(pem, 64, " \t\n"),
    "blank-line-after-begin": lambda pem: with_blank_line(pem, 1),
    # cryptography refuses these two: so must ferrojwt, with the same exception.
    "blank-line-inside": lambda pem: with_blank_line(pem, 2),
    "blank-line-before-end": lambda pem: with_blank_line(pem, -1),
}
# What cryptography (hence PyJWT) loads, checked below so the comparison cannot pass vacuously.
LOADED_BY_PYJWT = set(LAYOUTS) - {"blank-line-inside", "blank-line-before-end"}
CLAIMS = {"sub": "ferris"}


def outcome(call: Callable[..., Any], *args: Any) -> str:
    try:
        call(*args)
    except Exception as error:
        return type(error).__name__
    return "ok"


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("private_file", "public_file", "alg"), KEY_FILES)
def test_lax_pem_layouts_load_where_pyjwt_loads_them(
    private_file: str, public_file: str, alg: str, layout: str
) -> None:
    private = LAYOUTS[layout](read_key(private_file))
    public = LAYOUTS[layout](read_key(public_file))
    token = pyjwt.encode(CLAIMS, read_key(private_file), algorithm=alg)

    def sign(library: Any) -> None:
        signed = library.encode(CLAIMS, private, algorithm=alg)
        assert pyjwt.decode(signed, read_key(public_file), algorithms=[alg]) == CLAIMS

    def verify(library: Any) -> None:
        assert library.decode(token, public, algorithms=[alg]) == CLAIMS

    for use in (sign, verify):
        theirs = outcome(use, pyjwt)
        ours = outcome(use, ferrojwt)
        if layout in LOADED_BY_PYJWT:
            assert theirs == ours == "ok", (use.__name__, layout)
        elif alg.startswith("RS"):
            assert theirs == ours == "InvalidKeyError", (use.__name__, layout)
        else:
            # PyJWT's EC and OKP loaders let `cryptography`'s ValueError escape for any PEM
            # they cannot read; ferrojwt raises InvalidKeyError there (README: differences).
            assert (theirs, ours) == ("ValueError", "InvalidKeyError"), (use.__name__, layout)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("private_file", "public_file", "alg"), KEY_FILES)
def test_lax_pem_layouts_are_never_hmac_secrets(
    private_file: str, public_file: str, alg: str, layout: str
) -> None:
    for name in (private_file, public_file):
        text = LAYOUTS[layout](read_key(name))
        for key in (text, text.encode()):
            with pytest.raises(ferrojwt.InvalidKeyError):
                ferrojwt.encode(CLAIMS, key, algorithm="HS256")
            token = pyjwt.encode(CLAIMS, "a-secret-of-at-least-32-bytes-for-hs256", "HS256")
            with pytest.raises(ferrojwt.InvalidKeyError):
                ferrojwt.decode(token, key, algorithms=["HS256"])
            with pytest.raises(pyjwt.InvalidKeyError):
                pyjwt.encode(CLAIMS, key, algorithm="HS256")


# Text outside the block: `cryptography` skips it (an OpenSSL-style file with a comment line, or
# a certificate before the key); ferrojwt reads key text that is one PEM block, whitespace around.
#: Text a PEM file may carry besides its key block: `openssl pkcs12` writes attribute lines
#: before it, a bundle puts a certificate before or after it. `cryptography`, and so PyJWT, skips
#: what is not the key; so does ferrojwt.
CERTIFICATE = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
AROUND_THE_BLOCK: dict[str, Callable[[str], str]] = {
    "text-before-begin": lambda pem: "a comment line\n" + pem,
    "bag-attributes": lambda pem: "Bag Attributes\n    localKeyID: 01 00 00 00 \n" + pem,
    "text-after-end": lambda pem: pem + "a comment line\n",
    "certificate-after": lambda pem: pem + CERTIFICATE,
}


@pytest.mark.parametrize("around", AROUND_THE_BLOCK)
@pytest.mark.parametrize(("private_file", "public_file", "alg"), KEY_FILES)
def test_text_around_the_pem_block_is_skipped_as_pyjwt_skips_it(
    private_file: str, public_file: str, alg: str, around: str
) -> None:
    private = AROUND_THE_BLOCK[around](read_key(private_file))
    public = AROUND_THE_BLOCK[around](read_key(public_file))
    token = pyjwt.encode(CLAIMS, private, algorithm=alg)
    assert pyjwt.decode(token, public, algorithms=[alg]) == CLAIMS
    ours = ferrojwt.encode(CLAIMS, private, algorithm=alg)
    assert ferrojwt.decode(token, public, algorithms=[alg]) == CLAIMS
    assert pyjwt.decode(ours, read_key(public_file), algorithms=[alg]) == CLAIMS
    # Text that holds a key is never an HMAC secret, in either library.
    for text in (private, public):
        for library in (pyjwt, ferrojwt):
            with pytest.raises(library.InvalidKeyError):
                library.encode(CLAIMS, text, algorithm="HS256")


def test_a_private_key_after_a_certificate_is_read_as_pyjwt_reads_it() -> None:
    bundle = CERTIFICATE + read_key("rsa2048.pkcs8.pem")
    token = ferrojwt.encode(CLAIMS, bundle, algorithm="RS256")
    assert pyjwt.decode(token, read_key("rsa2048.pub.pem"), algorithms=["RS256"]) == CLAIMS
    # Only a certificate, or a key block that is broken, is still an InvalidKeyError.
    broken = read_key("rsa2048.pkcs8.pem").replace("\n", "\n\n", 3)
    for text in (CERTIFICATE, "text\n" + broken):
        with pytest.raises(ferrojwt.InvalidKeyError):
            ferrojwt.encode(CLAIMS, text, algorithm="RS256")
