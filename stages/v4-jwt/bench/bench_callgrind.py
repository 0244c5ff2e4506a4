"""Instructions per operation, counted by valgrind's callgrind, for `bench_jwt.py`.

Time on a shared machine moves with whatever else runs on it; the number of instructions a
call executes does not. For each library, algorithm and operation, three processes run under
`valgrind --tool=callgrind` on the same interpreter, each doing the same setup (imports, the
same key files, one warm-up call of each operation): one then stops, one makes N encodes, one N
decodes. `(Ir with N operations - Ir with none) / N` is one operation's cost with the setup
cancelled. `PYTHONHASHSEED=0` gives every process the same dict layouts.

What it cannot show: a cache miss costs no more instructions than a hit (memory stalls are
invisible), and a second thread's waiting for the GIL is not an instruction either.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: Operations per measured process: enough that the setup's run-to-run jitter is under 1% of
#: the difference. Most of that jitter is AWS-LC seeding its random generator from CPU timing
#: (in the warm-up, in every process): some 420M instructions, whose count varies by about a
#: million from one run to the next. An RSA signature costs about 6M instructions.
OPS = 1000
OPS_RSA_SIGN = 100


def available() -> bool:
    return shutil.which("valgrind") is not None


def instructions(python: str, library: str, alg: str, op: str, count: int, out: Path) -> int:
    """The Ir total of one worker process under callgrind."""
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            python,
            __file__,
            "--worker",
            library,
            alg,
            op,
            str(count),
        ],
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        check=True,
    )
    match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no instruction total in {out}")
    return int(match.group(1))


#: A column of its own: ferrojwt's operation as the one native call that `jwt.encode` and
#: `jwt.decode` make on their fast paths, called directly. Its difference from the ferrojwt
#: column is what PyJWT's API, written in Python, adds around that call.
NATIVE = "ferrojwt's native call"


def measure(python: str, libraries: list[str], algorithms: list[str]) -> dict[str, dict]:
    """{library: {"ALG op": instructions per operation}}, one process per core (with
    `NATIVE` beside ferrojwt)."""
    if "ferrojwt" in libraries:
        libraries = [*libraries, NATIVE]
    jobs = [
        (library, alg, op)
        for library in libraries
        for alg in algorithms
        for op in ("none", "encode", "decode")
    ]

    def count_of(alg: str, op: str) -> int:
        if op == "none":
            return 0
        return OPS_RSA_SIGN if op == "encode" and alg.startswith(("RS", "PS")) else OPS

    with tempfile.TemporaryDirectory(prefix="ferrojwt-callgrind-") as tmp:

        def run(job: tuple[str, str, str]) -> int:
            library, alg, op = job
            out = Path(tmp) / "-".join(job)
            return instructions(python, library, alg, op, count_of(alg, op), out)

        # Instruction counts do not depend on what else runs: one process per core.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            totals = dict(zip(jobs, pool.map(run, jobs), strict=True))
    results: dict[str, dict] = {}
    for library, alg, op in jobs:
        if op != "none":
            extra = totals[(library, alg, op)] - totals[(library, alg, "none")]
            results.setdefault(library, {})[f"{alg} {op}"] = extra / count_of(alg, op)
    return results


def table(results: dict[str, dict], algorithms: list[str]) -> list[str]:
    """A markdown table, thousands of instructions per operation, ferrojwt first."""
    libraries = sorted(results, key=lambda name: (name != "ferrojwt", name != NATIVE, name.lower()))
    lines = [
        "Instructions per operation (callgrind, thousands; key objects; the same key files in"
        " every process):",
        "",
        "| op | " + " | ".join(libraries) + " |",
        "|---|" + "---:|" * len(libraries),
    ]
    for alg in algorithms:
        for op in ("encode", "decode"):
            row = f"{alg} {op}"
            cells = [f"{results[name][row] / 1000:,.0f}k" for name in libraries]
            lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def worker(library: str, alg: str, op: str, count: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_jwt

    if library == NATIVE:
        encode, decode = native_calls(alg)
    else:
        calls = bench_jwt.library_adapters(alg, only=library)[library]
        encode, decode = calls["encode/key"], calls["decode/key"]
    encode(), decode()  # warm-up: first-call work (lazy imports, cached lookups) is setup
    call = {"encode": encode, "decode": decode, "none": None}[op]
    for _ in range(count):
        call()  # type: ignore[misc]


def native_calls(alg: str) -> tuple[Callable[[], object], Callable[[], object]]:
    """ferrojwt's encode and decode as the fast paths' native calls, with the arguments
    `PyJWT.encode` and `PyJWT.decode` pass them for the bench's call."""
    import bench_jwt

    import ferrojwt
    from ferrojwt import _native

    private_file, public_file = bench_jwt.KEY_FILES[alg]
    rsa = alg.startswith(("RS", "PS"))
    load = ferrojwt.keys.load_rsa_key if rsa else ferrojwt.keys.load_curve_key
    private_key = load((bench_jwt.KEYS_DIR / private_file).read_text())
    public_key = load((bench_jwt.KEYS_DIR / public_file).read_text())
    payload, options = bench_jwt.PAYLOAD, ferrojwt.api_jwt._jwt_global_obj.options
    token = ferrojwt.encode(payload, private_key, algorithm=alg).encode()
    decoded = _native.decode_jwt(token, [alg], public_key, options, None, None, None, 0, False)
    assert decoded is not None and decoded[:2] == (payload, True), decoded

    def encode() -> object:
        return _native.encode_jwt(payload, alg, private_key, "JWT", None, True)

    def decode() -> object:
        return _native.decode_jwt(token, [alg], public_key, options, None, None, None, 0, False)

    return encode, decode


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
