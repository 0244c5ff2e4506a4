"""Warnings, with PyJWT's names."""

from __future__ import annotations

import warnings
from typing import Any


class RemovedInPyjwt3Warning(DeprecationWarning):
    """An argument PyJWT deprecated (extra keyword arguments to ``decode``)."""


class InsecureKeyLengthWarning(UserWarning):
    """The key is shorter than recommended (RSA under 2048 bits, HMAC under the digest size).

    Set ``options={"enforce_minimum_key_length": True}`` to get ``InvalidKeyError`` instead.
    """


def warn_unsupported_kwargs(function: str, kwargs: dict[str, Any]) -> None:
    """Warn, as PyJWT 2.x does, that ``function`` ignores these extra keyword arguments."""
    if kwargs:
        warnings.warn(
            f"passing additional kwargs to {function}() is deprecated and will be removed in"
            f" pyjwt version 3. Unsupported kwargs: {tuple(kwargs)}",
            RemovedInPyjwt3Warning,
            stacklevel=3,  # the caller of `function`
        )
