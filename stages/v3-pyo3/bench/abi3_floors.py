"""What the abi3 floor costs per call: the same stage built four ways, measured in one run.

    python bench/abi3_floors.py [--readme README.md]

`make bench` runs it without --readme and prints; `make bench-readme` adds --readme.

The stage is copied to a temporary folder once per variant, with pyo3's feature in Cargo.toml
replaced: abi3-py39, abi3-py310, abi3-py311 (what this stage ships) and none at all (a wheel for
this one CPython version). Each wheel is built by maturin, unpacked, and imported by a child
process of this interpreter, which times `hello("World")` and `abi_version()` against the
pure-Python functions doing the same work. The children take turns, round after round, so a busy
machine slows every variant alike; the table keeps each variant's fastest round.

The "calling convention" column is read from the function objects themselves (the `ml_flags`
of their `PyMethodDef`): the stable ABI offers fastcall, the convention that passes arguments as
a C array instead of a tuple and a dict, only from 3.10 on.

With --readme, the table replaces the one between the `abi3-floors` markers in that file.
A measurement, not a test: the numbers depend on the machine; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

STAGE = Path(__file__).resolve().parent.parent
ROUNDS = 5
VARIANTS = {  # label → pyo3 features
    "abi3-py39": ["abi3-py39"],
    "abi3-py310": ["abi3-py310"],
    "abi3-py311": ["abi3-py311"],
    f"cp{sys.version_info[0]}{sys.version_info[1]} only": [],
}
FEATURES = re.compile(r'^(pyo3 = \{ version = "[^"]+", )features = \[[^\]]*\]', re.MULTILINE)
BEGIN, END = "<!-- abi3-floors:begin -->", "<!-- abi3-floors:end -->"

# Runs in the child, with one variant's unpacked wheel first on sys.path.
MEASURE = r"""
import ctypes, json, sys, timeit
import hello_pyo3

def python_hello(name):
    return f"Hello, {name}!"

def python_abi_version():
    return 1

def flags(function):
    # PyCFunctionObject: a 16-byte object header, then the PyMethodDef pointer, whose ml_flags
    # follows two pointers (name, C function). Valid for 64-bit CPython without free threading.
    method_def = ctypes.c_void_p.from_address(id(function) + 16).value
    value = ctypes.c_int.from_address(method_def + 16).value
    if value & 0x80:
        return "fastcall"
    if value & 0x1:
        return "tuple + dict"
    return "noargs" if value & 0x4 else hex(value)

def ns(call, number=200_000):
    return min(timeit.repeat(call, number=number, repeat=5)) / number * 1e9

print(json.dumps({
    "hello": ns(lambda: hello_pyo3.hello("World")),
    "python_hello": ns(lambda: python_hello("World")),
    "abi_version": ns(hello_pyo3.abi_version),
    "python_abi_version": ns(python_abi_version),
    "convention": flags(hello_pyo3.hello),
}))
"""


def build(label: str, features: list[str], work: Path) -> Path:
    """Build the stage with other pyo3 features; return the folder its wheel unpacks into."""
    source = work / "src" / label.replace(" ", "-")
    shutil.copytree(
        STAGE, source, ignore=shutil.ignore_patterns("target", "dist", ".*cache", "__pycache__")
    )
    cargo_toml = source / "Cargo.toml"
    text, count = FEATURES.subn(rf"\1features = {json.dumps(features)}", cargo_toml.read_text())
    if count != 1:
        sys.exit(f"cannot find pyo3's features in {cargo_toml}")
    cargo_toml.write_text(text)
    dist = work / "dist" / source.name
    command = [sys.executable, "-m", "maturin", "build", "--release", "--quiet"]
    command += ["--interpreter", sys.executable, "--out", str(dist)]
    # A target folder of its own, kept between runs: these builds never touch the stage's own
    # artifacts, even while another build of the stage runs.
    target = Path(os.environ.get("CARGO_TARGET_DIR", STAGE / "target")) / "abi3-floors"
    print(f"building {label} …", file=sys.stderr, flush=True)
    subprocess.run(
        command,
        cwd=source,
        env={**os.environ, "CARGO_TARGET_DIR": str(target)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (wheel,) = dist.glob("*.whl")
    unpacked = work / "site" / source.name
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def measure(site: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def table(results: dict[str, dict]) -> str:
    lines = [
        f"CPython {platform.python_version()} on {platform.machine()}, "
        f"fastest of {ROUNDS} rounds, ns per call",
        "",
        "| pyo3 feature | wheel loads on | calling convention of `hello` | `hello('World')` "
        "| ÷ pure Python | `abi_version()` | ÷ pure Python |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for label, r in results.items():
        if label.startswith("abi3-py3"):
            loads_on = f"CPython 3.{label.removeprefix('abi3-py3')} and later"
        else:
            loads_on = f"CPython 3.{sys.version_info[1]} only"
        lines.append(
            f"| `{label}` | {loads_on} | {r['convention']} | {r['hello']:.0f} "
            f"| {r['hello'] / r['python_hello']:.2f}× | {r['abi_version']:.0f} "
            f"| {r['abi_version'] / r['python_abi_version']:.2f}× |"
        )
    return "\n".join(lines)


def write_readme(readme: Path, text: str) -> None:
    content = readme.read_text()
    start, end = content.index(BEGIN) + len(BEGIN), content.index(END)
    readme.write_text(content[:start] + "\n" + text + "\n" + content[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, help="write the table into this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="abi3-floors-") as tmp:
        sites = {label: build(label, features, Path(tmp)) for label, features in VARIANTS.items()}
        rounds: dict[str, list[dict]] = {label: [] for label in VARIANTS}
        for number in range(ROUNDS):
            print(f"round {number + 1} of {ROUNDS} …", file=sys.stderr, flush=True)
            for label, site in sites.items():
                rounds[label].append(measure(site))
    timings = ("hello", "python_hello", "abi_version", "python_abi_version")
    results = {
        label: measured[0] | {key: min(r[key] for r in measured) for key in timings}
        for label, measured in rounds.items()
    }
    text = table(results)
    print(text)
    if args.readme:
        write_readme(args.readme, text)
        print(f"written to {args.readme}", file=sys.stderr)


if __name__ == "__main__":
    main()
