"""Run PyJWT's own test suite against ferrojwt, with ``jwt`` resolving to ferrojwt.

Usage: python tools/pyjwt_suite.py [--wheelhouse DIR] [--sdist FILE] [-- PYTEST ARGS]
       python tools/pyjwt_suite.py --download DIR

PyJWT publishes its tests in its source distribution (``tests/`` beside ``jwt/``). This script
takes that sdist at the version requirements-dev.txt locks, checked against the lock's hashes:
from the wheelhouse when it is there (``make prefetch`` puts it there), else downloaded by pip
into the wheelhouse. Nothing of PyJWT is committed to this repository.

The tests and PyJWT's pytest settings (``filterwarnings = error`` included) are unpacked into a
temporary folder, and pytest runs them in this interpreter with every ``jwt`` module name bound
to the installed ferrojwt module of the same name (``jwt.algorithms`` is
``ferrojwt.algorithms``), and any other ``jwt.*`` import refused: PyJWT's own code, installed
here as an interop peer, is never imported.

The outcome is compared with ``pyjwt_suite_expected.toml``, which lists the tests expected to
fail, each with its reason. A test that fails and is not listed, or a file that does not
collect, fails the run; a listed test that passes is reported, so that the list can shrink.
``--download DIR`` only fetches the sdist into DIR (``make prefetch``).

A copy of the stage outside the repository has no lock to take the sdist's version and hashes
from: the suite is then left out, saying so, unless ``--sdist`` names a PyJWT sdist of the version
``pyjwt_suite_expected.toml`` lists.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import os
import pkgutil
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

STAGE = Path(__file__).resolve().parent.parent
REPO = STAGE.parent.parent
LOCK = REPO / "requirements-dev.txt"
EXPECTED = Path(__file__).resolve().parent / "pyjwt_suite_expected.toml"


def locked_pyjwt() -> tuple[str, set[str]]:
    """PyJWT's version in the lock and the sha256 hashes the lock accepts for its files."""
    text = LOCK.read_text()
    match = re.search(r"^pyjwt==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)", text, re.M)
    if match is None:
        raise SystemExit(f"{LOCK}: no pinned pyjwt with hashes")
    return match[1], set(re.findall(r"sha256:([0-9a-f]{64})", match[2]))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def obtain_sdist(version: str, hashes: set[str], wheelhouse: Path) -> Path:
    """The PyJWT sdist from the wheelhouse, downloaded there first when missing. pip checks
    the lock's hashes (``--require-hashes``); a file already there is checked here."""
    name = f"pyjwt-{version}.tar.gz"
    sdist = wheelhouse / name
    if not sdist.exists():
        wheelhouse.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            requirement = Path(tmp, "requirements.txt")
            pins = " ".join(f"--hash=sha256:{digest}" for digest in sorted(hashes))
            requirement.write_text(f"pyjwt=={version} {pins}\n")
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--no-binary", ":all:", "--require-hashes", "-r", requirement,
                 "--dest", wheelhouse],
                check=True,
            )  # fmt: skip
    if sha256(sdist) not in hashes:
        raise SystemExit(f"{sdist}: its sha256 is not one requirements-dev.txt locks")
    return sdist


def unpack_tests(sdist: Path, version: str, into: Path) -> None:
    """Only ``tests/`` and ``pyproject.toml`` (PyJWT's pytest settings): never ``jwt/``."""
    top = f"pyjwt-{version}/"
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            inner = member.name.removeprefix(top)
            if member.name.startswith(top) and (
                inner.startswith("tests/") or inner == "pyproject.toml"
            ):
                member.name = inner
                archive.extract(member, into, filter="data")


class _RefuseOtherJwt(importlib.abc.MetaPathFinder):
    """Refuses any ``jwt.*`` module ferrojwt lacks, instead of loading PyJWT's file for it."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "jwt" or fullname.startswith("jwt."):
            raise ModuleNotFoundError(f"No module named {fullname!r} in ferrojwt", name=fullname)
        return None


def alias_jwt_to_ferrojwt() -> None:
    """Bind ``jwt`` and each ``jwt.<name>`` to ferrojwt's module of that name."""
    import ferrojwt

    sys.modules["jwt"] = ferrojwt
    for info in pkgutil.iter_modules(ferrojwt.__path__):
        module = importlib.import_module(f"ferrojwt.{info.name}")
        sys.modules[f"jwt.{info.name}"] = module
    sys.meta_path.insert(0, _RefuseOtherJwt())


class Outcomes:
    """A pytest plugin recording each test's outcome and each collection error."""

    def __init__(self) -> None:
        self.results: dict[str, str] = {}
        self.collection_errors: list[str] = []

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.collection_errors.append(report.nodeid)

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.results[report.nodeid] = "failed"
        elif report.when == "call" or report.skipped:
            self.results.setdefault(report.nodeid, "skipped" if report.skipped else "passed")


def run(pytest_args: list[str], sdist: Path, version: str) -> int:
    expected = tomllib.loads(EXPECTED.read_text())
    if expected["pyjwt"] != version:
        raise SystemExit(f"{EXPECTED.name} lists PyJWT {expected['pyjwt']}; the lock has {version}")
    expected_failures: dict[str, str] = expected["expected-failures"]

    import pytest

    alias_jwt_to_ferrojwt()
    outcomes = Outcomes()
    with tempfile.TemporaryDirectory() as tmp:
        unpack_tests(sdist, version, Path(tmp))
        os.chdir(tmp)
        pytest.main(
            [
                "-q",
                "-p",
                "no:cacheprovider",
                "--no-header",
                "--continue-on-collection-errors",
                *pytest_args,
            ],
            [outcomes],
        )

    # Every `jwt` module the run imported is ferrojwt's: none of PyJWT's files was loaded.
    strays = [
        name
        for name, module in sys.modules.items()
        if (name == "jwt" or name.startswith("jwt."))
        and not getattr(module, "__name__", "").startswith("ferrojwt")
    ]
    if strays:
        raise SystemExit(f"PyJWT's own modules were imported: {strays}")

    results = outcomes.results
    failed = sorted(test for test, outcome in results.items() if outcome == "failed")
    passed = sum(outcome == "passed" for outcome in results.values())
    skipped = sum(outcome == "skipped" for outcome in results.values())
    unexpected = [test for test in failed if test not in expected_failures]
    fixed = sorted(test for test in expected_failures if results.get(test) == "passed")
    missing = sorted(test for test in expected_failures if test not in results)

    share = 100 * passed / max(1, passed + len(failed))
    print(f"\nPyJWT {version}'s suite against ferrojwt:")
    print(
        f"{passed} of {passed + len(failed)} tests pass ({share:.1f} %),"
        f" {len(failed)} fail ({len(failed) - len(unexpected)} expected), {skipped} skipped"
    )
    for test in outcomes.collection_errors:
        print(f"NOT COLLECTED: {test}")
    for test in unexpected:
        print(f"UNEXPECTED FAILURE: {test}")
    for test in fixed:
        print(f"now passes, remove it from {EXPECTED.name}: {test}")
    for test in missing:
        print(f"not run (renamed or deselected?): {test}")
    return 1 if unexpected or outcomes.collection_errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheelhouse", type=Path, default=REPO / "wheelhouse")
    parser.add_argument("--sdist", type=Path, help="a PyJWT sdist already at hand")
    parser.add_argument("--download", type=Path, metavar="DIR", help="only fetch the sdist")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    args = parser.parse_args()
    if not LOCK.exists():
        if args.sdist is None or args.download is not None:
            print(
                f"PyJWT's suite left out: no repository lock at {LOCK} (this stage was copied "
                "out of the repository) to name PyJWT's sdist and its hashes; pass --sdist FILE"
            )
            return 0
        return run(args.pytest_args, args.sdist, tomllib.loads(EXPECTED.read_text())["pyjwt"])
    version, hashes = locked_pyjwt()
    if args.download is not None:
        print(obtain_sdist(version, hashes, args.download))
        return 0
    sdist = args.sdist or obtain_sdist(version, hashes, args.wheelhouse)
    if sha256(sdist) not in hashes:
        raise SystemExit(f"{sdist}: its sha256 is not one requirements-dev.txt locks")
    return run(args.pytest_args, sdist, version)


if __name__ == "__main__":
    sys.exit(main())
