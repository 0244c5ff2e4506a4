"""The native layer's contract: the GIL is released, no Rust type or panic leaks out, and the
dependency tree stays free of the vulnerable `rsa` crate."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from conftest import read_key

import ferrojwt
from ferrojwt import _native

STAGE_DIR = Path(__file__).resolve().parent.parent


def test_cargo_lock_has_no_rsa_below_0_10() -> None:
    """RUSTSEC-2023-0071 (Marvin timing attack) affects `rsa` < 0.10: it must never return,
    e.g. through jsonwebtoken's `rust_crypto` feature."""
    lock = (STAGE_DIR / "Cargo.lock").read_text()
    versions = re.findall(r'name = "rsa"\nversion = "(\d+)\.(\d+)\.(\d+)"', lock)
    assert versions, "rsa should be in Cargo.lock (key generation)"
    for major, minor, patch in versions:
        assert (int(major), int(minor)) >= (0, 10), f"rsa {major}.{minor}.{patch}"
    assert 'name = "jsonwebtoken"' in lock
    assert not re.search(r'name = "(ring|openssl-sys)"', lock)


@pytest.mark.slow
def test_gil_is_released_during_rsa_work() -> None:
    """While one thread generates a 4096-bit key (one long native call), this thread must keep
    running Python code. Had the GIL been held, the counter would stay near zero."""
    done = threading.Event()
    result: list[ferrojwt.RSAKeyPair] = []

    def work() -> None:
        result.append(ferrojwt.generate_rsa_key(4096))
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(0.01)
    spins = 0
    while not done.is_set():
        spins += 1
    thread.join()
    assert result and spins > 10_000


def test_errors_from_rust_are_package_exceptions() -> None:
    with pytest.raises(ferrojwt.InvalidKeyError):
        _native.load_rsa_key(b"nonsense")
    with pytest.raises(ferrojwt.DecodeError):
        _native.b64url_decode(b"***", "header")
    with pytest.raises(ferrojwt.InvalidAlgorithmError):
        _native.rsa_sign("none", _native.load_rsa_key(read_key("rsa2048.pkcs8.pem").encode()), b"")
    with pytest.raises(ferrojwt.InvalidAlgorithmError):
        _native.hmac_sign("RS256", b"k", b"m")


def test_native_key_object() -> None:
    key = _native.load_rsa_key(read_key("rsa2048.pkcs1.pem").encode())
    assert key.key_size == 2048 and key.is_private
    assert "2048 bits, private" in repr(key)
    public = _native.load_rsa_key(key.public_pem().encode())
    assert not public.is_private
    assert public.public_pem() == read_key("rsa2048.pub.pem")
    with pytest.raises(ferrojwt.InvalidKeyError):
        public.private_pem()
    assert [name for name, _ in key.jwk_members()] == ["n", "e", "d", "p", "q", "dp", "dq", "qi"]


def test_4096_bit_keys() -> None:
    token = ferrojwt.encode({"a": 1}, read_key("rsa4096.pkcs8.pem"), algorithm="PS512")
    assert ferrojwt.decode(token, read_key("rsa4096.pub.pem"), algorithms=["PS512"]) == {"a": 1}


def test_the_fast_paths_take_only_parsed_keys() -> None:
    """The native fast paths read their key argument class by class, not through pyo3's derived
    enum extraction (which builds and formats an error for each class that does not match):
    parsed RSA and curve keys, private or public, are taken (a public key cannot sign, so encode
    declines it with None); anything else, a PyJWK among them, is a TypeError, not a crash."""
    options = ferrojwt.api_jwt._jwt_global_obj.options
    for alg, (private_file, public_file), load in (
        ("RS256", ("rsa2048.pkcs8.pem", "rsa2048.pub.pem"), ferrojwt.keys.load_rsa_key),
        ("ES256", ("ec256.pem", "ec256.pub.pem"), ferrojwt.keys.load_curve_key),
    ):
        private, public = load(read_key(private_file)), load(read_key(public_file))
        token = _native.encode_jwt({"a": 1}, alg, private, "JWT", None, True)
        assert token is not None
        assert _native.encode_jwt({"a": 1}, alg, public, "JWT", None, True) is None
        for key in (private, public):
            decoded = _native.decode_jwt(
                token.encode(), [alg], key, options, None, None, None, 0, False
            )
            assert decoded is not None and decoded[0] == {"a": 1}
            assert _native.verify_compact(token.encode(), [alg], key) is not None
    jwk = ferrojwt.PyJWK.from_json(
        ferrojwt.algorithms.RSAAlgorithm.to_jwk(
            ferrojwt.keys.load_rsa_key(read_key("rsa2048.pub.pem"))
        )
    )
    message = "key must be an RsaKey or a CurveKey"
    for wrong in ("a PEM string", b"bytes", None, jwk):
        with pytest.raises(TypeError, match=message):
            _native.encode_jwt({"a": 1}, "RS256", wrong, "JWT", None, True)
        with pytest.raises(TypeError, match=message):
            _native.verify_compact(b"a.b.c", ["RS256"], wrong)
        with pytest.raises(TypeError, match=message):
            _native.decode_jwt(b"a.b.c", ["RS256"], wrong, {}, None, None, None, 0, False)
