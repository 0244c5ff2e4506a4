"""RS256 and PS256 encode/decode: ferrojwt against PyJWT, oxyjwt, ryjwt and `openssl speed`.

Run it with `make bench` (it builds and installs the package first). It is a measurement, not a
test: the numbers depend on the machine and on what else runs on it.

What is measured, in µs per operation with an RSA-2048 key:
- each library with a key object (parsed once) and with the PEM text passed on every call;
- with 1 thread, and with 2 threads sharing the work (µs per operation of the pair: half the
  1-thread figure means perfect scaling, which needs the GIL released during RSA work);
- `openssl speed rsa2048`, the raw sign/verify cost, in the same run;
- a cached `PyJWKClient` lookup, ferrojwt's and PyJWT's (`bench_jwks.py`).

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

import bench_jwks

STAGE_DIR = Path(__file__).resolve().parent.parent
KEYS_DIR = STAGE_DIR / "tests" / "keys"
PEERS = ["pyjwt==2.15.1", "cryptography==50.0.2", "oxyjwt==0.9.0", "ryjwt==0.2.2"]
ALGORITHMS = ["RS256", "PS256"]
PAYLOAD = {"sub": "bench", "iat": 1700000000, "exp": 4102444800, "scope": "read write"}

Call = Callable[[], object]


# --- worker: runs inside the interpreter being measured --------------------------------------


def library_adapters(alg: str) -> dict[str, dict[str, Call]]:
    """For each importable library: encode/decode calls on the key-object and PEM paths."""
    private_pem = (KEYS_DIR / "rsa2048.pkcs8.pem").read_text()
    public_pem = (KEYS_DIR / "rsa2048.pub.pem").read_text()
    adapters: dict[str, dict[str, Call]] = {}

    import ferrojwt

    private_key = ferrojwt.keys.load_rsa_key(private_pem)
    public_key = ferrojwt.keys.load_rsa_key(public_pem)
    token = ferrojwt.encode(PAYLOAD, private_key, algorithm=alg)
    adapters["ferrojwt"] = {
        "encode/key": lambda: ferrojwt.encode(PAYLOAD, private_key, algorithm=alg),
        "encode/pem": lambda: ferrojwt.encode(PAYLOAD, private_pem, algorithm=alg),
        "decode/key": lambda: ferrojwt.decode(token, public_key, algorithms=[alg]),
        "decode/pem": lambda: ferrojwt.decode(token, public_pem, algorithms=[alg]),
    }

    try:
        import jwt as pyjwt
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        pass
    else:
        crypto_private = serialization.load_pem_private_key(private_pem.encode(), None)
        crypto_public = serialization.load_pem_public_key(public_pem.encode())
        pyjwt_token = pyjwt.encode(PAYLOAD, crypto_private, algorithm=alg)
        adapters["PyJWT"] = {
            "encode/key": lambda: pyjwt.encode(PAYLOAD, crypto_private, algorithm=alg),
            "encode/pem": lambda: pyjwt.encode(PAYLOAD, private_pem, algorithm=alg),
            "decode/key": lambda: pyjwt.decode(pyjwt_token, crypto_public, algorithms=[alg]),
            "decode/pem": lambda: pyjwt.decode(pyjwt_token, public_pem, algorithms=[alg]),
        }

    try:
        import oxyjwt
    except ImportError:
        pass
    else:
        oxy_private = oxyjwt.EncodingKey.from_rsa_pem(private_pem)
        oxy_public = oxyjwt.DecodingKey.from_rsa_pem(public_pem)
        oxy_token = oxyjwt.encode(PAYLOAD, oxy_private, algorithm=alg)
        adapters["oxyjwt"] = {
            "encode/key": lambda: oxyjwt.encode(PAYLOAD, oxy_private, algorithm=alg),
            "encode/pem": lambda: oxyjwt.encode(
                PAYLOAD, oxyjwt.EncodingKey.from_rsa_pem(private_pem), algorithm=alg
            ),
            "decode/key": lambda: oxyjwt.decode(oxy_token, oxy_public, algorithms=[alg]),
            "decode/pem": lambda: oxyjwt.decode(
                oxy_token, oxyjwt.DecodingKey.from_rsa_pem(public_pem), algorithms=[alg]
            ),
        }

    try:
        import ryjwt
    except ImportError:
        pass
    else:
        ry_private = ryjwt.PrivateKey(private_pem, algorithms=[alg])
        ry_public = ryjwt.PublicKey(public_pem, algorithms=[alg])
        ry_token = ry_private.encode(PAYLOAD, algorithm=alg)
        adapters["ryjwt"] = {
            "encode/key": lambda: ry_private.encode(PAYLOAD, algorithm=alg),
            "encode/pem": lambda: ryjwt.PrivateKey(private_pem, algorithms=[alg]).encode(
                PAYLOAD, algorithm=alg
            ),
            "decode/key": lambda: ry_public.decode(ry_token),
            "decode/pem": lambda: ryjwt.PublicKey(public_pem, algorithms=[alg]).decode(ry_token),
        }

    for name, calls in adapters.items():
        for label in ("decode/key", "decode/pem"):
            assert calls[label]() == PAYLOAD, f"{name} {label} returned something else"
    return adapters


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


def openssl_speed(seconds: int) -> tuple[float, float] | None:
    """(sign µs, verify µs) from `openssl speed rsa2048`, single-threaded."""
    if shutil.which("openssl") is None:
        return None
    output = subprocess.run(
        ["openssl", "speed", "-seconds", str(seconds), "rsa2048"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    match = re.search(r"rsa\s+2048 bits\s+([\d.]+)s\s+([\d.]+)s", output)
    if not match:
        return None
    return float(match.group(1)) * 1e6, float(match.group(2)) * 1e6


def run_worker(python: str, seconds: float, repeats: int) -> dict[str, Any]:
    result = subprocess.run(
        [python, __file__, "--worker", f"--seconds={seconds}", f"--repeats={repeats}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def newer_python() -> str | None:
    """The oldest CPython >= 3.12 found (pyenv's, or on PATH): the peers' wheels target 3.12."""
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


def table(results: dict[str, Any], openssl: tuple[float, float] | None) -> list[str]:
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
        for peer in ("PyJWT", "oxyjwt", "ryjwt"):
            for op in ("encode", "decode"):
                parts = []
                for path in ("key", "pem"):
                    theirs = rows.get((peer, alg, op, path))
                    if theirs:
                        ratio = theirs["t1"] / ours[(alg, op, path)]["t1"]
                        parts.append(f"{path} {ratio:.2f}×")
                if parts:
                    lines.append(f"- {alg} {op}: ferrojwt vs {peer}: " + ", ".join(parts))
    if openssl:
        sign, verify = openssl
        for alg in ALGORITHMS:
            encode = ours[(alg, "encode", "key")]["t1"]
            decode = ours[(alg, "decode", "key")]["t1"]
            lines.append(
                f"- {alg} vs openssl speed (sign {sign:.1f} µs, verify {verify:.1f} µs): "
                f"encode {encode / sign:.2f}×, decode {decode / verify:.2f}× the raw operation"
            )
    if results.get("jwks"):
        lines += ["", *bench_jwks.table(results["jwks"])]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=0.3, help="per measurement")
    parser.add_argument("--repeats", type=int, default=5, help="best of N")
    parser.add_argument("--wheel-dir", type=Path, default=STAGE_DIR / "dist")
    parser.add_argument("--no-peers", action="store_true", help="skip the newer-CPython venv")
    args = parser.parse_args()

    if args.worker:
        json.dump(worker(args.seconds, args.repeats), sys.stdout)
        return

    print(f"{platform.machine()}, {os.cpu_count()} CPUs, RSA-2048; best of {args.repeats}\n")
    openssl = openssl_speed(3)
    if openssl:
        print(f"openssl speed rsa2048: sign {openssl[0]:.1f} µs, verify {openssl[1]:.1f} µs\n")
    print("\n".join(table(run_worker(sys.executable, args.seconds, args.repeats), openssl)))

    newer = None if args.no_peers else newer_python()
    if newer is None:
        print("\n(no CPython >= 3.12 found: oxyjwt and ryjwt not measured)")
        return
    with tempfile.TemporaryDirectory(prefix="ferrojwt-bench-") as tmp:
        env_python = peer_environment(newer, args.wheel_dir, Path(tmp))
        if env_python:
            print()
            print("\n".join(table(run_worker(env_python, args.seconds, args.repeats), openssl)))


if __name__ == "__main__":
    main()
