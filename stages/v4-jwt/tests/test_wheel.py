"""The wheel as a user gets it: built by `make wheel`, installed into a fresh venv."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.toolchain, pytest.mark.slow]

SMOKE = """
import ferrojwt as jwt
pair = jwt.generate_rsa_key()
token = jwt.encode({"sub": "ferris"}, pair.private_pem, algorithm="PS256")
assert jwt.decode(token, pair.public_pem, algorithms=["PS256"]) == {"sub": "ferris"}
# Without cryptography, the keys handed out are ferrojwt's own, and they work as keys.
rsa = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256)
assert type(rsa.prepare_key(pair.public_pem)) is jwt.algorithms.RsaKey
key = jwt.PyJWK(pair.public_jwk)
assert type(key.key) is jwt.algorithms.RsaKey
assert jwt.decode(token, key.key, algorithms=["PS256"]) == {"sub": "ferris"}
assert jwt.algorithms.get_default_algorithms()["ES256"].expected_curve == "P-256"
assert jwt.algorithms.has_crypto and "RS256" in jwt.algorithms.requires_cryptography
assert not hasattr(jwt.algorithms, "RSAPublicKey")
other = jwt.generate_rsa_key()
try:
    jwt.decode(token, other.public_pem, algorithms=["PS256"])
except jwt.InvalidSignatureError:
    print("ok")
"""


def test_wheel_is_abi3_manylinux_without_dependencies(fresh_wheel_env: tuple[Path, Path]) -> None:
    wheel, _ = fresh_wheel_env
    name, version, python_tag, abi_tag, platform_tag = wheel.stem.split("-")
    assert (name, python_tag, abi_tag) == ("ferrojwt", "cp311", "abi3")
    assert platform_tag.startswith("manylinux")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(f"ferrojwt-{version}.dist-info/METADATA").decode()
    assert "Requires-Dist" not in metadata
    assert "ferrojwt/py.typed" in names and "ferrojwt/_native.pyi" in names
    assert any(n.startswith("ferrojwt/_native.") and n.endswith(".so") for n in names)


def test_smoke_in_fresh_venv(fresh_wheel_env: tuple[Path, Path]) -> None:
    _, python = fresh_wheel_env
    # Run from / so that nothing from this checkout can be imported by accident.
    result = subprocess.run(
        [python, "-c", SMOKE], cwd="/", capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    missing = subprocess.run(
        [python, "-c", "import cryptography"], cwd="/", capture_output=True, check=False
    )
    assert missing.returncode != 0, "cryptography must not be installed alongside ferrojwt"
