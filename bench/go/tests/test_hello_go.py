"""The Go reference library, through ctypes and through cffi: strings, errors, a Go panic,
the threads Go starts, fork, and the aarch64 cross build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import build
import go_cffi
import go_ctypes
import pytest


def test_plain_calls(go):
    assert go.abi_version() == 1
    assert go.add(2, 40) == 42
    # Go's int64 wraps around like Rust's wrapping_add in the stages.
    assert go.add(2**63 - 1, 1) == -(2**63)


def test_strings_cross_both_ways(go):
    assert go.hello("World") == "Hello, World!"
    assert go.hello("Zoë 🦀") == "Hello, Zoë 🦀!"
    assert go.hello("") == "Hello, !"
    assert go.repeat("é", 3) == "ééé"


def test_bad_arguments_are_python_exceptions(go):
    with pytest.raises(ValueError, match="NUL"):
        go.hello("a\0b")
    with pytest.raises(TypeError):
        go.hello(42)
    with pytest.raises(OverflowError):
        go.add(2**63, 0)


GO_ERRORS = (go_ctypes.GoError, go_cffi.GoError)


def test_go_errors_become_exceptions(go):
    with pytest.raises(GO_ERRORS, match="count must not be negative, got -1"):
        go.repeat("ab", -1)
    with pytest.raises(GO_ERRORS, match="exceeds the limit of 67108864 bytes"):
        go.repeat("ab", 2**62)
    assert len(go.repeat("é", 32 * 1024 * 1024)) == 32 * 1024 * 1024


def run_child(library: Path, code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    script = f"import sys\nsys.path.insert(0, {str(Path(go_ctypes.__file__).parent)!r})\n"
    script += f"import go_ctypes\ngo = go_ctypes.load({str(library)!r})\n"
    return subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_returned_strings_are_freed(library):
    """A million hello() calls leave resident memory where it was: every string is freed."""
    child = run_child(
        library,
        """
        def rss_kib():
            with open("/proc/self/status") as status:
                line = next(line for line in status if line.startswith("VmRSS:"))
            return int(line.split()[1])
        name = "x" * 1000
        for _ in range(20_000):
            go.hello(name)
        before = rss_kib()
        for _ in range(200_000):
            go.hello(name)
        print(rss_kib() - before)
        """,
    )
    assert child.returncode == 0, child.stderr
    # Unfreed, 200,000 strings of 1 KB would be 200 MB.
    assert int(child.stdout) < 20_000


def test_a_go_panic_ends_the_process(library):
    """No recover() on the C side: Go prints the panic and its goroutine's stack, then aborts
    the process (SIGABRT: in a c-shared library Go does not exit, it crashes the host)."""
    child = run_child(library, "go.deliberate_panic('boom')\nprint('still alive')")
    assert child.returncode == -signal.SIGABRT
    assert "still alive" not in child.stdout
    assert "panic: boom" in child.stderr
    assert "goroutine" in child.stderr


def test_loading_starts_go_runtime_threads(library):
    code = f"""
    import ctypes, os
    before = len(os.listdir("/proc/self/task"))
    ctypes.CDLL({str(library)!r})
    print(before, len(os.listdir("/proc/self/task")))
    """
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True
    )
    before, after = map(int, child.stdout.split())
    assert before == 1
    assert after > before  # the Go runtime's own threads (sysmon, a GC worker, ...)


def test_forked_child_hangs_once_go_collects_garbage(library):
    """After fork() only the calling thread exists in the child, but Go's runtime still counts
    on the threads it had: the first garbage collection waits for them forever. The parent
    does the same work in well under the timeout."""
    work = "for _ in range(10): go.repeat('x' * 1000, 8000)"
    child = run_child(
        library,
        f"""
        import os, time
        go.hello("load")
        started = time.monotonic()
        {work}
        print(f"parent {{time.monotonic() - started:.2f}}", flush=True)
        pid = os.fork()
        if pid == 0:
            {work}
            os._exit(0)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                print("child finished")
                break
            time.sleep(0.05)
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            print("child hung")
        """,
    )
    assert child.returncode == 0, child.stderr
    parent_line, verdict = child.stdout.split("\n")[:2]
    assert float(parent_line.split()[1]) < 5
    assert verdict == "child hung"


@pytest.mark.slow
def test_cross_builds_for_aarch64_with_zig(tmp_path):
    # Go cross-compiles by itself (GOARCH); zig, from the tool environment, links for aarch64.
    reason = build.missing()
    if reason:
        pytest.skip(reason)
    library = build.build(tmp_path, target="aarch64")
    header = library.read_bytes()[:20]
    assert header[:4] == b"\x7fELF"
    assert int.from_bytes(header[18:20], "little") == 183  # e_machine: EM_AARCH64
    assert os.path.getsize(library) > 1_000_000  # the Go runtime is inside
