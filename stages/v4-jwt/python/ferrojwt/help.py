"""``python -m ferrojwt.help``: the versions a bug report needs, as JSON (PyJWT's ``jwt.help``).

The last key names ferrojwt rather than ``pyjwt``: the report is about this library.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata

from . import __version__


def info() -> dict[str, dict[str, str]]:
    """Operating system, Python implementation, ``cryptography`` (``""`` when absent) and
    ferrojwt versions."""
    try:
        system = {"system": platform.system(), "release": platform.release()}
    except OSError:
        system = {"system": "Unknown", "release": "Unknown"}
    name = platform.python_implementation()
    if name == "CPython":
        version = platform.python_version()
    elif name == "PyPy":
        pypy = sys.pypy_version_info  # type: ignore[attr-defined]
        version = f"{pypy.major}.{pypy.minor}.{pypy.micro}"
        if pypy.releaselevel != "final":
            version += pypy.releaselevel
    else:
        version = "Unknown"
    # The distribution's metadata, not `import cryptography`: a report should not load it.
    try:
        cryptography_version = metadata.version("cryptography")
    except metadata.PackageNotFoundError:
        cryptography_version = ""
    return {
        "platform": system,
        "implementation": {"name": name, "version": version},
        "cryptography": {"version": cryptography_version},
        "ferrojwt": {"version": __version__},
    }


def main() -> None:
    """Print ``info()`` as indented JSON."""
    print(json.dumps(info(), sort_keys=True, indent=2))


if __name__ == "__main__":
    main()
