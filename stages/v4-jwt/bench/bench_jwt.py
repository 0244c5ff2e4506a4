"""RS256, PS256, ES256 and EdDSA encode/decode: ferrojwt against PyJWT, oxyjwt, ryjwt and
`openssl speed`.

Run it with `make bench` (it builds and installs the package first), which also writes the
results into the README between its bench markers. It is a measurement, not a test: the numbers
depend on the machine and on what else runs on it.

What is measured, in µs per operation, with an RSA-2048 key (RS256, PS256), a P-256 key (ES256)
and an Ed25519 key (EdDSA):
- each library with a key object (parsed once) and with the PEM text passed on every call;
- with 1 thread, and with 2 threads sharing the work (µs per operation of the pair: half the
  1-thread figure means perfect scaling, which needs the GIL released during the crypto);
- `openssl speed rsa2048 ecdsap256 ed25519`, the raw sign/verify cost, in the same run;
- a cached `PyJWKClient` lookup, ferrojwt's and PyJWT's (`bench_jwks.py`);
- instructions per operation under valgrind's callgrind, which the machine's load does not
  change (`bench_callgrind.py`; left out, with a line saying so, where valgrind is missing).

This interpreter runs ferrojwt and PyJWT. oxyjwt needs CPython >= 3.10 and ryjwt >= 3.12, so
when a newer CPython is found (pyenv or PATH), a temporary venv on it gets the peers' wheels from
PyPI (pinned below) plus the ferrojwt wheel from DIST, and the same measurements run there:
every peer is compared with PyJWT on the same interpreter.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_callgrind
import bench_jwks

STAGE_DIR = Path(__file__).resolve().parent.parent
KEYS_DIR = STAGE_DIR / "tests" / "keys"
PEERS = ["pyjwt==2.15.1", "cryptography==50.0.2", "oxyjwt==0.9.0", "ryjwt==0.2.2"]
ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]
#: (private key, public key) in tests/keys for each algorithm.
KEY_FILES = {
    "RS256": ("rsa2048.pkcs8.pem", "rsa2048.pub.pem"),
    "PS256": ("rsa2048.pkcs8.pem", "rsa2048.pub.pem"),
    "ES256": ("ec256.pem", "ec256.pub.pem"),
    "EdDSA": ("ed25519.pkcs8.pem", "ed25519.pub.pem"),
}
#: The `openssl speed` algorithm and the label of its output line, for each JOSE algorithm.
OPENSSL_SPEED = {
    "RS256": ("rsa2048", r"rsa\s+2048 bits"),
    "PS256": ("rsa2048", r"rsa\s+2048 bits"),
    "ES256": ("ecdsap256", r"256 bits ecdsa \(nistp256\)"),
    "EdDSA": ("ed25519", r"EdDSA \(Ed25519\)"),
}
PEERS_NAMES = ("PyJWT", "oxyjwt", "ryjwt")
README = STAGE_DIR / "README.md"
BEGIN, END = "<!-- bench:begin (written by bench/bench_jwt.py) -->", "<!-- bench:end -->"
PAYLOAD = {"sub": "bench", "iat": 1700000000, "exp": 4102444800, "scope": "read write"}

Call = Callable[[], object]


# --- worker: runs inside the interpreter being measured --------------------------------------


def library_adapters(alg: str, only: str | None = None) -> dict[str, dict[str, Call]]:
    """For each importable library (or only the one named `only`): encode/decode calls on the
    key-object and PEM paths."""
    private_pem = (KEYS_DIR / KEY_FILES[alg][0]).read_text()
    public_pem = (KEYS_DIR / KEY_FILES[alg][1]).read_text()
    adapters: dict[str, dict[str, Call]] = {}
    for name, make in (
        ("ferrojwt", ferrojwt_calls),
        ("PyJWT", pyjwt_calls),
        ("oxyjwt", oxyjwt_calls),
        ("ryjwt", ryjwt_calls),
    ):
        if only in (None, name):
            try:
                adapters[name] = make(alg, private_pem, public_pem)
            except ImportError:
                pass

    for name, calls in adapters.items():
        for label in ("decode/key", "decode/pem"):
            assert calls[label]() == PAYLOAD, f"{name} {label} returned something else"
    return adapters


def pyjwt_api_calls(
    library: Any, alg: str, keys: tuple[Any, Any], pems: tuple[str, str]
) -> dict[str, Call]:
    """The four timed calls of a library with PyJWT's API, given its key objects and the PEM."""
    (private_key, public_key), (private_pem, public_pem) = keys, pems
    token = library.encode(PAYLOAD, private_key, algorithm=alg)
    return {
        "encode/key": lambda: library.encode(PAYLOAD, private_key, algorithm=alg),
        "encode/pem": lambda: library.encode(PAYLOAD, private_pem, algorithm=alg),
        "decode/key": lambda: library.decode(token, public_key, algorithms=[alg]),
        "decode/pem": lambda: library.decode(token, public_pem, algorithms=[alg]),
    }


def ferrojwt_calls(alg: str, private_pem: str, public_pem: str) -> dict[str, Call]:
    import ferrojwt

    rsa = alg.startswith(("RS", "PS"))
    load = ferrojwt.keys.load_rsa_key if rsa else ferrojwt.keys.load_curve_key
    keys = (load(private_pem), load(public_pem))
    return pyjwt_api_calls(ferrojwt, alg, keys, (private_pem, public_pem))


def pyjwt_calls(alg: str, private_pem: str, public_pem: str) -> dict[str, Call]:
    import jwt as pyjwt
    from cryptography.hazmat.primitives import serialization

    keys = (
        serialization.load_pem_private_key(private_pem.encode(), None),
        serialization.load_pem_public_key(public_pem.encode()),
    )
    return pyjwt_api_calls(pyjwt, alg, keys, (private_pem, public_pem))


def oxyjwt_calls(alg: str, private_pem: str, public_pem: str) -> dict[str, Call]:
    import oxyjwt

    kind = "ed" if alg == "EdDSA" else "ec" if alg.startswith("ES") else "rsa"
    from_encoding_pem = getattr(oxyjwt.EncodingKey, f"from_{kind}_pem")
    from_decoding_pem = getattr(oxyjwt.DecodingKey, f"from_{kind}_pem")
    private_key, public_key = from_encoding_pem(private_pem), from_decoding_pem(public_pem)
    token = oxyjwt.encode(PAYLOAD, private_key, algorithm=alg)
    return {
        "encode/key": lambda: oxyjwt.encode(PAYLOAD, private_key, algorithm=alg),
        "encode/pem": lambda: oxyjwt.encode(PAYLOAD, from_encoding_pem(private_pem), algorithm=alg),
        "decode/key": lambda: oxyjwt.decode(token, public_key, algorithms=[alg]),
        "decode/pem": lambda: oxyjwt.decode(token, from_decoding_pem(public_pem), algorithms=[alg]),
    }


def ryjwt_calls(alg: str, private_pem: str, public_pem: str) -> dict[str, Call]:
    import ryjwt

    private_key = ryjwt.PrivateKey(private_pem, algorithms=[alg])
    public_key = ryjwt.PublicKey(public_pem, algorithms=[alg])
    token = private_key.encode(PAYLOAD, algorithm=alg)
    return {
        "encode/key": lambda: private_key.encode(PAYLOAD, algorithm=alg),
        "encode/pem": lambda: ryjwt.PrivateKey(private_pem, algorithms=[alg]).encode(
            PAYLOAD, algorithm=alg
        ),
        "decode/key": lambda: public_key.decode(token),
        "decode/pem": lambda: ryjwt.PublicKey(public_pem, algorithms=[alg]).decode(token),
    }


def calls_for(call: Call, seconds: float) -> int:
    """How many calls take about `seconds` (at least 3)."""
    started, count = time.perf_counter(), 0
    while time.perf_counter() - started < seconds / 4 or count < 3:
        call()
        count += 1
    elapsed = time.perf_counter() - started
    return max(3, int(count * seconds / max(elapsed, 1e-9)))


def run_threads(call: Call, count: int, threads: int) -> float:
    """Wall-clock µs per call when `threads` threads each make `count` calls at once."""
    barrier = threading.Barrier(threads + 1)

    def work() -> None:
        barrier.wait()
        for _ in range(count):
            call()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    return (time.perf_counter() - started) / (count * threads) * 1e6


def worker(seconds: float, repeats: int) -> dict[str, Any]:
    results: dict[str, Any] = {
        "python": platform.python_version(),
        "versions": {},
        "rows": [],
    }
    for alg in ALGORITHMS:
        adapters = library_adapters(alg)
        for name, calls in adapters.items():
            for label, call in calls.items():
                count = calls_for(call, seconds)
                one = min(run_threads(call, count, 1) for _ in range(repeats))
                two = min(run_threads(call, count, 2) for _ in range(repeats))
                op, path = label.split("/")
                results["rows"].append(
                    {"library": name, "alg": alg, "op": op, "path": path, "t1": one, "t2": two}
                )

    def timings(call: Call) -> tuple[float, float]:
        count = calls_for(call, seconds)
        one = min(run_threads(call, count, 1) for _ in range(repeats))
        return one, min(run_threads(call, count, 2) for _ in range(repeats))

    results["jwks"] = bench_jwks.measure(timings)
    from importlib import metadata

    for dist in ("ferrojwt", "pyjwt", "cryptography", "oxyjwt", "ryjwt"):
        try:
            results["versions"][dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return results


# --- orchestrator ----------------------------------------------------------------------------


def openssl_speed(seconds: int) -> dict[str, tuple[float, float]]:
    """{JOSE algorithm: (sign µs, verify µs)} from one `openssl speed` run, single-threaded.

    Read from the operations-per-second columns: the seconds columns are rounded to 0.1 µs."""
    if shutil.which("openssl") is None:
        return {}
    names = sorted({name for name, _ in OPENSSL_SPEED.values()})
    output = subprocess.run(
        ["openssl", "speed", "-seconds", str(seconds), *names],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    speeds = {}
    for alg, (_, label) in OPENSSL_SPEED.items():
        match = re.search(label + r"\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)", output)
        if match:
            speeds[alg] = (1e6 / float(match.group(1)), 1e6 / float(match.group(2)))
    return speeds


def run_worker(python: str, seconds: float, repeats: int) -> dict[str, Any]:
    result = subprocess.run(
        [python, __file__, "--worker", f"--seconds={seconds}", f"--repeats={repeats}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def newer_python() -> str | None:
    """The oldest CPython >= 3.12 found (pyenv's, or on PATH): ryjwt's wheels target 3.12."""
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")))
    candidates += [p for p in (shutil.which("python3.12"), shutil.which("python3.13")) if p]
    return candidates[0] if candidates else None


def peer_environment(python: str, wheel_dir: Path, tmp: Path) -> str | None:
    """A venv on `python` with the pinned peers and the ferrojwt wheel; None if that fails."""
    arch = platform.machine()
    wheels = sorted(wheel_dir.glob(f"ferrojwt-*_{arch}.whl"))
    if not wheels:
        print(f"(no ferrojwt wheel for {arch} in {wheel_dir}: skipping the peers)")
        return None
    env = tmp / "peers"
    subprocess.run([python, "-m", "venv", str(env)], check=True)
    env_python = str(env / "bin" / "python")
    pip = [env_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for requirement in [*PEERS, str(wheels[-1])]:
        installed = subprocess.run([*pip, requirement], capture_output=True, text=True)
        if installed.returncode != 0:
            print(f"(could not install {requirement} on {python}: skipped)")
    return env_python


def table(results: dict[str, Any], openssl: dict[str, tuple[float, float]]) -> list[str]:
    lines = [
        f"CPython {results['python']}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(results["versions"].items())),
        "",
        "| library | alg | op | key object µs | PEM each call µs | PEM / key | 2 threads µs/op"
        " | 2-thread speed-up |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    rows = {(r["library"], r["alg"], r["op"], r["path"]): r for r in results["rows"]}
    for library, alg, op, path in rows:
        if path != "key":
            continue
        key, pem = rows[(library, alg, op, "key")], rows[(library, alg, op, "pem")]
        lines.append(
            f"| {library} | {alg} | {op} | {key['t1']:.1f} | {pem['t1']:.1f} | "
            f"{pem['t1'] / key['t1']:.2f} | {key['t2']:.1f} | {key['t1'] / key['t2']:.2f}× |"
        )
    lines.append("")
    ours = {
        (r["alg"], r["op"], r["path"]): r for r in results["rows"] if r["library"] == "ferrojwt"
    }
    for alg in ALGORITHMS:
        for peer in PEERS_NAMES:
            for op in ("encode", "decode"):
                parts = []
                for path in ("key", "pem"):
                    theirs = rows.get((peer, alg, op, path))
                    if theirs:
                        ratio = theirs["t1"] / ours[(alg, op, path)]["t1"]
                        parts.append(f"{path} {ratio:.2f}×")
                if parts:
                    lines.append(
                        f"- {alg} {op}: {peer} takes " + ", ".join(parts) + " ferrojwt's time"
                    )
    lines += ["", *goals(rows, ours, openssl)]
    if results.get("jwks"):
        lines += ["", *bench_jwks.table(results["jwks"])]
    return lines


def goals(
    rows: dict[tuple[str, str, str, str], Any],
    ours: dict[tuple[str, str, str], Any],
    openssl: dict[str, tuple[float, float]],
) -> list[str]:
    """The stage's speed goals, each with its ratio from this run and met or not."""

    def verdict(ratio: float, limit: float, higher_is_better: bool = False) -> str:
        met = ratio >= limit if higher_is_better else ratio <= limit
        return "met" if met else "not met"

    lines = ["Goals, from the ratios of this run:", ""]
    for alg in ALGORITHMS:
        decode, encode = ours[(alg, "decode", "key")]["t1"], ours[(alg, "encode", "key")]["t1"]
        peers = [
            (rows[(peer, alg, "decode", "key")]["t1"], peer)
            for peer in PEERS_NAMES
            if (peer, alg, "decode", "key") in rows
        ]
        if peers:
            fastest, name = min(peers)
            ratio = decode / fastest
            lines.append(
                f"- {alg} decode vs the fastest peer ({name}, {fastest:.1f} µs): "
                f"{ratio:.2f}× (goal ≤ 1.00×: {verdict(ratio, 1.0)})"
            )
        if alg in openssl:
            sign, verify = openssl[alg]
            lines.append(
                f"- {alg} decode vs `openssl speed` verify ({verify:.1f} µs): "
                f"{decode / verify:.2f}× (goal ≤ 1.15×: {verdict(decode / verify, 1.15)});"
                f" encode vs sign ({sign:.1f} µs): {encode / sign:.2f}×"
                f" (goal ≤ 1.05×: {verdict(encode / sign, 1.05)})"
            )
        speedup = decode / ours[(alg, "decode", "key")]["t2"]
        pem = max(
            ours[(alg, op, "pem")]["t1"] / ours[(alg, op, "key")]["t1"]
            for op in ("encode", "decode")
        )
        lines.append(
            f"- {alg} two-thread decode speed-up {speedup:.2f}× (goal ≥ 1.8×:"
            f" {verdict(speedup, 1.8, higher_is_better=True)}); PEM string / key object, the"
            f" slower of encode and decode: {pem:.2f}× (goal ≤ 1.10×: {verdict(pem, 1.1)})"
        )
    return lines


def write_readme(block: list[str]) -> None:
    """Replaces what lies between the bench markers in README.md with `block`."""
    text = README.read_text()
    head, found, rest = text.partition(BEGIN + "\n")
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise SystemExit(f"README.md has no {BEGIN!r} ... {END!r} markers")
    README.write_text(head + BEGIN + "\n" + "\n".join(block) + "\n" + END + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=0.3, help="per measurement")
    parser.add_argument("--repeats", type=int, default=5, help="best of N")
    parser.add_argument("--wheel-dir", type=Path, default=STAGE_DIR / "dist")
    parser.add_argument("--no-peers", action="store_true", help="skip the newer-CPython venv")
    parser.add_argument("--no-callgrind", action="store_true", help="skip the instruction counts")
    parser.add_argument("--readme", action="store_true", help="write the results into README.md")
    args = parser.parse_args()

    if args.worker:
        json.dump(worker(args.seconds, args.repeats), sys.stdout)
        return

    openssl = openssl_speed(3)
    block = [
        f"{platform.machine()}, {os.cpu_count()} CPUs; RSA-2048, P-256 and Ed25519 keys;"
        f" best of {args.repeats}. `openssl speed` in the same run: "
        + "; ".join(
            f"{alg} sign {sign:.1f} µs, verify {verify:.1f} µs"
            for alg, (sign, verify) in openssl.items()
            if alg != "PS256"
        )
        + ".",
        "",
    ]
    newer = None if args.no_peers else newer_python()
    with tempfile.TemporaryDirectory(prefix="ferrojwt-bench-") as tmp:
        env_python = peer_environment(newer, args.wheel_dir, Path(tmp)) if newer else None
        # No newer CPython (or its venv failed): this interpreter, without ryjwt.
        python = env_python or sys.executable
        results = run_worker(python, args.seconds, args.repeats)
        block += table(results, openssl)
        block.append("")
        if args.no_callgrind:
            block.append("(instruction counts skipped: --no-callgrind)")
        elif bench_callgrind.available():
            libraries = sorted({row["library"] for row in results["rows"]})
            counts = bench_callgrind.measure(python, libraries, ALGORITHMS)
            block += bench_callgrind.table(counts, ALGORITHMS)
        else:
            block.append("(valgrind is not installed: no instruction counts in this run)")
    print("\n".join(block))
    if args.readme:
        write_readme(block)
        print(f"\n(written into {README.name} between the bench markers)")


if __name__ == "__main__":
    main()
