"""Every binding measured in one run: call overhead, glue, size, panics, threads, fork, aarch64.

Usage: python bench/compare.py    (or `make bench`, which builds and installs the stages first)

The approaches: the three stages (ctypes, cffi, pyo3), the same Rust core under maturin's
uniffi binding (bench/uniffi), and the Go journey's library built with cgo (bench/go), loaded
with ctypes and with cffi. What each needs is built into bench/build/ (builds.py); the Go rows
are left out, with the reason, where Go is missing.

Call overhead, two operations through every approach:

- ``abi_version()``: no argument, returns an int — the cost of crossing the boundary at all;
- ``hello(name)``: a str in, a new str out — encoding, allocation, copying and freeing.

The floors are a pure-Python function doing the same work and a call of a C builtin. Each row
is timed ``REPEATS`` times; the table shows the minimum (the least disturbed run) and the
median, and ratios of the medians to the pure-Python floor. Absolute numbers belong to this
machine and this moment: compare ratios within one run, never numbers across runs.

The other properties are observed in child processes, so that a crash or a hang stays there.
"""

from __future__ import annotations

import ast
import ctypes
import os
import statistics
import subprocess
import sys
import textwrap
import timeit
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import builds
import hello_cffi
import hello_ctypes
import hello_pyo3

NAME = "workshop"
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))
# Each timed run lasts at least this long, so the timer's resolution does not matter.
MIN_RUN_SECONDS = float(os.environ.get("BENCH_MIN_RUN_SECONDS", "0.2"))
# A forked child that has not finished this simple work after this long is stuck.
FORK_TIMEOUT_SECONDS = 5.0

CTYPES, CFFI, PYO3 = "ctypes (stage 1)", "cffi (stage 2)", "pyo3 (stage 3)"
UNIFFI, GO_CTYPES, GO_CFFI = "uniffi (Rust)", "Go + ctypes", "Go + cffi"
APPROACHES = [CTYPES, CFFI, PYO3, UNIFFI, GO_CTYPES, GO_CFFI]
PACKAGES = {CTYPES: "hello_ctypes", CFFI: "hello_cffi", PYO3: "hello_pyo3"}


@dataclass
class Row:
    operation: str
    approach: str
    min_ns: float
    median_ns: float
    ratio: float = 0.0  # median / median of the pure-Python floor


@dataclass
class Built:
    """What the comparison built for this run: paths, and why a row is missing."""

    wheels: dict[str, Path] = field(default_factory=dict)  # approach -> host wheel
    libraries: dict[str, Path] = field(default_factory=dict)  # approach -> the native library
    uniffi_site: Path | None = None
    skipped: dict[str, str] = field(default_factory=dict)  # approach -> reason


def build_all() -> Built:
    built = Built()
    for approach in builds.STAGES:
        built.wheels[approach] = builds.stage_wheel(approach)
    built.wheels[UNIFFI] = builds.uniffi_wheel()
    built.uniffi_site = builds.unpack(built.wheels[UNIFFI])
    for approach, wheel in built.wheels.items():
        built.libraries[approach] = native_library(wheel)
    reason = builds.go_missing()
    if reason:
        built.skipped[GO_CTYPES] = built.skipped[GO_CFFI] = reason
    else:
        library = builds.go_library()
        built.libraries[GO_CTYPES] = built.libraries[GO_CFFI] = library
    return built


def native_library(wheel: Path) -> Path:
    """The compiled library inside a wheel, extracted next to it (for its size)."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".so")]
        return Path(archive.extract(name, wheel.parent / "unpacked"))


def load_uniffi(built: Built) -> Any:
    sys.path.insert(0, str(built.uniffi_site))
    import hello_uniffi

    return hello_uniffi


def load_go(built: Built, approach: str) -> Any:
    import go_cffi
    import go_ctypes

    loader = go_ctypes if approach == GO_CTYPES else go_cffi
    return loader.load(built.libraries[approach])


def python_abi_version() -> int:
    return 1


def python_hello(name: str) -> str:
    return f"Hello, {name}!"


def ctypes_hello_stage1_style() -> Callable[[str], str]:
    """hello() through ctypes, declared by hand the stage 1 way, on stage 2's library.

    Stage 1's library returns no owned strings, so this loads the library hello_cffi ships
    (same Rust function) and does what a careful ctypes caller must: declare ``c_void_p`` to
    keep the pointer, copy the bytes, and free the pointer with the library's free function.
    """
    library = ctypes.CDLL(str(hello_cffi.LIBRARY_PATH))
    library.hello.argtypes = [ctypes.c_char_p]
    library.hello.restype = ctypes.c_void_p
    library.hello_string_free.argtypes = [ctypes.c_void_p]
    library.hello_string_free.restype = None

    def hello(name: str) -> str:
        if "\0" in name:
            raise ValueError("name contains a NUL character")
        pointer = library.hello(name.encode("utf-8"))
        if pointer is None:
            raise RuntimeError("hello failed")
        try:
            return ctypes.string_at(pointer).decode("utf-8")
        finally:
            library.hello_string_free(pointer)

    return hello


def time_call(
    function: Callable[..., Any], args: tuple[Any, ...], repeats: int, min_run_seconds: float
) -> tuple[float, float]:
    """(min, median) nanoseconds per call of ``function(*args)``."""
    timer = timeit.Timer("function(*args)", globals={"function": function, "args": args})
    number, _ = timer.autorange()  # calls that take at least 0.2 s
    number = max(1, int(number * min_run_seconds / 0.2))
    per_call = [run / number * 1e9 for run in timer.repeat(repeat=repeats, number=number)]
    return min(per_call), statistics.median(per_call)


def cases(built: Built) -> dict[str, dict[str, tuple[Callable[..., Any], tuple[Any, ...]]]]:
    """operation -> approach -> (function, arguments). The first two rows are the floors."""
    format_hello = "Hello, {}!".format
    uniffi = load_uniffi(built)
    zero: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = {
        "pure Python": (python_abi_version, ()),
        "C builtin (sys.getrecursionlimit)": (sys.getrecursionlimit, ()),
        CTYPES: (hello_ctypes.lib.abi_version, ()),
        CFFI: (hello_cffi.lib.abi_version, ()),
        PYO3: (hello_pyo3.abi_version, ()),
        UNIFFI: (uniffi.abi_version, ()),
    }
    one: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = {
        "pure Python": (python_hello, (NAME,)),
        "C builtin (str.format)": (format_hello, (NAME,)),
        "ctypes, stage 1 style": (ctypes_hello_stage1_style(), (NAME,)),
        CFFI: (hello_cffi.hello, (NAME,)),
        PYO3: (hello_pyo3.hello, (NAME,)),
        UNIFFI: (uniffi.hello, (NAME,)),
    }
    for approach in (GO_CTYPES, GO_CFFI):
        if approach not in built.skipped:
            go = load_go(built, approach)
            zero[approach] = (go.abi_version, ())
            one[approach] = (go.hello, (NAME,))
    return {"abi_version()": zero, "hello(name)": one}


def measure(
    built: Built, repeats: int = REPEATS, min_run_seconds: float = MIN_RUN_SECONDS
) -> list[Row]:
    rows = []
    for operation, approaches in cases(built).items():
        results = []
        (python_function, python_args), *_ = approaches.values()
        expected = python_function(*python_args)
        for approach, (function, args) in approaches.items():
            # The C builtin floor only stands for the cost of a call; the rest must agree.
            if not approach.startswith("C builtin") and function(*args) != expected:
                raise AssertionError(f"{approach} computes something else than pure Python")
            timing = time_call(function, args, repeats, min_run_seconds)
            results.append(Row(operation, approach, *timing))
        floor = results[0].median_ns
        for row in results:
            row.ratio = row.median_ns / floor
        rows.extend(results)
    return rows


def format_table(rows: list[Row]) -> str:
    header = f"{'operation':<14} {'approach':<34} {'min ns':>8} {'median ns':>10} {'× Python':>9}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.operation:<14} {row.approach:<34} {row.min_ns:>8.0f} {row.median_ns:>10.0f}"
            f" {row.ratio:>9.2f}"
        )
    return "\n".join(lines)


def median_ns(rows: list[Row], operation: str, approach: str) -> float:
    return next(r.median_ns for r in rows if r.operation == operation and r.approach == approach)


# --- Glue: the lines written by hand to connect the native code and Python -----------------


def code_lines(path: Path, comment: str = "//", keep: tuple[str, ...] = ()) -> int:
    """Lines of code without blank lines, comments (except directives in ``keep``) and the
    Rust ``#[cfg(test)]`` module."""
    text = path.read_text().split("#[cfg(test)]")[0]
    return sum(
        1
        for line in text.splitlines()
        if line.strip() and (not line.strip().startswith(comment) or line.strip().startswith(keep))
    )


def python_code_lines(path: Path) -> int:
    """Lines of Python code, without comments, blank lines and docstrings."""
    source = path.read_text()
    docstring_lines = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            docstring_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(source.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#") and number not in docstring_lines
    )


def package_files(stage: Path) -> list[Path]:
    return sorted(p for p in (stage / "python").rglob("*") if p.suffix in {".py", ".pyi"})


def glue_lines() -> dict[str, tuple[int, int]]:
    """approach -> (native binding lines, Python lines) written by hand.

    The native binding is the code that exists only to cross the boundary: the ``lib.rs`` of
    stages 1 and 2 (every function is an ``extern "C"`` export), stage 3's ``lib.rs`` and
    ``bindings.rs`` and bench/uniffi's ``lib.rs``, all without their core (``core.rs``: stage 1
    has the start of the file that stages 2 and 3 share), and all of hello.go
    (cgo's ``//export`` lines count: they are what exports a function). uniffi's Python is
    generated, not written.
    """
    stage = builds.STAGES
    go = builds.GO
    rust = {
        CTYPES: code_lines(stage[CTYPES] / "src" / "lib.rs"),
        CFFI: code_lines(stage[CFFI] / "src" / "lib.rs"),
        PYO3: code_lines(stage[PYO3] / "src" / "lib.rs")
        + code_lines(stage[PYO3] / "src" / "bindings.rs"),
        UNIFFI: code_lines(builds.UNIFFI / "src" / "lib.rs"),
    }
    glue = {a: (rust[a], sum(python_code_lines(p) for p in package_files(stage[a]))) for a in stage}
    glue[UNIFFI] = (rust[UNIFFI], 0)
    go_lines = code_lines(go / "hello.go", keep=("//export",))
    glue[GO_CTYPES] = (go_lines, python_code_lines(go / "go_ctypes.py"))
    glue[GO_CFFI] = (go_lines, python_code_lines(go / "go_cffi.py"))
    return glue


# --- What happens in a process: probes run in child processes ------------------------------


def setup_code(built: Built, approach: str) -> str:
    """Python that leaves the approach's functions in ``m``."""
    if approach in PACKAGES:
        return f"import {PACKAGES[approach]} as m"
    if approach == UNIFFI:
        site = str(built.uniffi_site)
        return f"import sys; sys.path.insert(0, {site!r}); import hello_uniffi as m"
    module = "go_ctypes" if approach == GO_CTYPES else "go_cffi"
    library = str(built.libraries[approach])
    return (
        f"import sys; sys.path.insert(0, {str(builds.GO)!r}); import {module}; "
        f"m = {module}.load({library!r})"
    )


def run_child(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def threads_started(built: Built, approach: str) -> int:
    """Threads the process gains by loading the library and making one call."""
    child = run_child(
        f"""
        import os
        before = len(os.listdir("/proc/self/task"))
        {setup_code(built, approach)}
        m.add(1, 2)
        print(len(os.listdir("/proc/self/task")) - before)
        """
    )
    if child.returncode:
        raise RuntimeError(child.stderr)
    return int(child.stdout)


def on_panic(built: Built, approach: str) -> str:
    """What a caller sees when the native code panics."""
    child = run_child(
        f"""
        {setup_code(built, approach)}
        if not hasattr(m, "deliberate_panic"):
            print("no panicking function")
            raise SystemExit
        try:
            m.deliberate_panic("boom")
        except BaseException as error:
            print(type(error).__name__ + " raised")
        print("process goes on")
        """
    )
    if child.returncode < 0:
        import signal

        return f"process killed ({signal.Signals(-child.returncode).name})"
    if child.returncode:
        return f"process exited with status {child.returncode}"
    return (
        ", ".join(child.stdout.split("\n")[:2])
        if "raised" in child.stdout
        else child.stdout.strip()
    )


def fork_outcome(built: Built, approach: str) -> str:
    """Loads the library, calls it, forks; the child calls it again. "safe" or what went wrong.

    The work: ten 8 MB results from ``repeat`` (enough to make Go's garbage collector run), or
    where there is no ``repeat`` (stage 1), a thousand calls of ``add``.
    """
    child = run_child(
        f"""
        import os, time
        {setup_code(built, approach)}
        def work():
            if hasattr(m, "repeat"):
                for _ in range(10):
                    m.repeat("x" * 1000, 8000)
            else:
                for _ in range(1000):
                    m.add(1, 2)
        work()
        pid = os.fork()
        if pid == 0:
            work()
            os._exit(0)
        deadline = time.monotonic() + {FORK_TIMEOUT_SECONDS}
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                print("safe" if status == 0 else f"child failed ({{status}})")
                break
            time.sleep(0.02)
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            print("child hung ({FORK_TIMEOUT_SECONDS:.0f} s)")
        """
    )
    if child.returncode:
        raise RuntimeError(child.stderr)
    return child.stdout.strip()


@dataclass
class Properties:
    approach: str
    binding_lines: int
    python_lines: int
    wheel_kib: float | None
    library_kib: float
    wheel_tag: str
    on_panic: str
    threads: int
    fork: str
    aarch64: str = "not built"


def wheel_tag(wheel: Path) -> str:
    return "-".join(wheel.stem.split("-")[2:])


def elf_machine(library: Path) -> str:
    machine = int.from_bytes(library.read_bytes()[18:20], "little")
    return {62: "x86-64", 183: "aarch64"}.get(machine, f"e_machine {machine}")


def properties(built: Built) -> list[Properties]:
    glue = glue_lines()
    result = []
    for approach in APPROACHES:
        if approach in built.skipped:
            continue
        wheel = built.wheels.get(approach)
        result.append(
            Properties(
                approach=approach,
                binding_lines=glue[approach][0],
                python_lines=glue[approach][1],
                wheel_kib=wheel.stat().st_size / 1024 if wheel else None,
                library_kib=built.libraries[approach].stat().st_size / 1024,
                wheel_tag=wheel_tag(wheel) if wheel else "no wheel (a bare .so)",
                on_panic=on_panic(built, approach),
                threads=threads_started(built, approach),
                fork=fork_outcome(built, approach),
            )
        )
    return result


def cross_build(built: Built, table: list[Properties]) -> None:
    """Builds each for aarch64 from this machine; records the wheel tag (or the ELF machine).

    The Rust rows need the aarch64 Rust target, the Go rows only Go (and zig, which the tool
    environment has): a row that cannot be built says why, and how to get what it needs.
    """
    no_target = builds.aarch64_missing()
    for row in table:
        if no_target and row.approach not in (GO_CTYPES, GO_CFFI):
            row.aarch64 = f"left out: {no_target}"
            continue
        try:
            if row.approach in builds.STAGES:
                row.aarch64 = wheel_tag(builds.stage_wheel(row.approach, builds.AARCH64))
            elif row.approach == UNIFFI:
                row.aarch64 = wheel_tag(builds.uniffi_wheel(builds.AARCH64))
            elif row.approach == GO_CTYPES:
                library = builds.go_library("aarch64")
                row.aarch64 = f"{elf_machine(library)} .so, {library.stat().st_size / 1024:.0f} KiB"
            else:
                row.aarch64 = next(r.aarch64 for r in table if r.approach == GO_CTYPES)
        except subprocess.CalledProcessError as error:
            output = (error.stderr or b"").decode(errors="replace").strip().splitlines()
            row.aarch64 = f"build failed: {output[-1] if output else error}"


def format_properties(table: list[Properties]) -> str:
    header = (
        f"{'approach':<17} {'glue: native':>12} {'+ Python':>8} {'wheel KiB':>9} "
        f"{'lib KiB':>7} {'threads':>7}  {'fork':<14} {'on a panic':<42} {'host tag':<28} aarch64"
    )
    lines = [header, "-" * len(header)]
    for row in table:
        wheel = f"{row.wheel_kib:.0f}" if row.wheel_kib is not None else "-"
        lines.append(
            f"{row.approach:<17} {row.binding_lines:>12} {row.python_lines:>8} {wheel:>9} "
            f"{row.library_kib:>7.0f} {'+' + str(row.threads):>7}  {row.fork:<14} "
            f"{row.on_panic:<42} {row.wheel_tag:<28} {row.aarch64}"
        )
    return "\n".join(lines)


def main() -> None:
    built = build_all()
    print(f"Python {sys.version.split()[0]}, {REPEATS} repeats per row")
    for approach, reason in built.skipped.items():
        print(f"{approach} left out: {reason}")
    print(format_table(measure(built)))
    print()
    table = properties(built)
    if "--no-cross" not in sys.argv:
        cross_build(built, table)
    print(format_properties(table))


if __name__ == "__main__":
    main()
