"""Warnings, with PyJWT's names."""

from __future__ import annotations


class RemovedInPyjwt3Warning(DeprecationWarning):
    """An argument PyJWT deprecated (extra keyword arguments to ``decode``)."""


class InsecureKeyLengthWarning(UserWarning):
    """The key is shorter than recommended (RSA under 2048 bits, HMAC under the digest size).

    Set ``options={"enforce_minimum_key_length": True}`` to get ``InvalidKeyError`` instead.
    """
