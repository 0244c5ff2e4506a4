"""``python -m ferrojwt.help``: the versions a bug report needs, as JSON (PyJWT's ``jwt.help``).

PyJWT's keys, ``pyjwt`` holding the PyJWT release whose API ferrojwt implements
(``ferrojwt.__version__``), plus ``ferrojwt``: the version of this library.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata

from . import __version__ as pyjwt_version
from . import ferrojwt_version

# The distribution's metadata, not `import cryptography`: `import ferrojwt.help` should not
# load it. "" when it is not installed, as in PyJWT.
try:
    cryptography_version = metadata.version("cryptography")
except metadata.PackageNotFoundError:
    cryptography_version = ""


def info() -> dict[str, dict[str, str]]:
    """Operating system, Python implementation, ``cryptography`` (``""`` when absent), PyJWT API
    and ferrojwt versions."""
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
    return {
        "platform": system,
        "implementation": {"name": name, "version": version},
        "cryptography": {"version": cryptography_version},
        "pyjwt": {"version": pyjwt_version},
        "ferrojwt": {"version": ferrojwt_version},
    }


def main() -> None:
    """Print ``info()`` as indented JSON."""
    print(json.dumps(info(), sort_keys=True, indent=2))


if __name__ == "__main__":
    main()
