"""Cross-build each stage's wheel for amd64 and arm64, then test it on each, with each Python.

The steps, in order, each in its module: host (check the host, set it up if allowed), wheels
(cross-build, fill the wheelhouses), bases (the images or root filesystems), cells (run each
one), report (the matrix and its times). run.py calls main(); its docstring lists the settings.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime
from pathlib import Path

from .bases import choose_base, debian_rootfs, prepare_base, runner_label
from .cells import Cell, choose_runner, run_cell
from .common import (
    ARCHES,
    HERE,
    PYTHONS,
    REPO,
    Arch,
    Python,
    Stop,
    heading,
    offline,
    paragraph,
    relative,
    selected,
    setting,
)
from .host import prepare_host
from .report import Table, Times
from .wheels import build_wheel, fill_wheelhouse


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except Stop as stop:
        print("\n" + paragraph("docker-test: " + stop.message), file=sys.stderr)
        return 1


def run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefetch", action="store_true", help="download only, run no cell")
    parser.add_argument("stages", nargs="*", help="stage folders (default: every stage)")
    args = parser.parse_args(argv)
    times = Times()
    stages = [Path(s).resolve() for s in args.stages] or sorted(
        path.parent for path in (REPO / "stages").glob("v*/Makefile")
    )
    arches = selected("ARCHES", ARCHES, "amd64,arm64")
    pythons = selected("PYTHONS", PYTHONS, ",".join(PYTHONS))
    emulated_pythons = selected("EMULATED_PYTHONS", PYTHONS, ",".join(p.version for p in pythons))
    pairs = matrix_pairs(arches, pythons, emulated_pythons)
    what = "prefetch for" if args.prefetch else "docker-test:"
    print(f"{what} {', '.join(s.name for s in stages)} on ", end="")
    print("; ".join(f"{a.name} with Python {pythons_of(a, pairs)}" for a in arches), end="")
    print(" (offline)" if offline() else "")
    runner = choose_runner(prefetch=args.prefetch)
    base = choose_base(runner, arches, pythons)
    logs = Path(setting("LOGS", str(HERE / "logs" / datetime.now().strftime("%Y%m%d-%H%M%S"))))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"Logs: {relative(logs)}")

    heading("Host")
    prepare_host([] if args.prefetch else arches, arches, base, prefetch=args.prefetch)
    times.lap("host")

    if args.prefetch:
        heading("Test tools and runtime dependencies, as wheels for each architecture and Python")
        for arch, python in pairs:
            fill_wheelhouse(arch, python, stages, [], logs)
        times.lap("wheelhouses")
        heading("Debian root filesystems" + (" and base images" if runner == "docker" else ""))
        for arch, python in pairs:
            if runner == "chroot":
                rootfs = debian_rootfs(arch, python, logs)
                print(f"  {arch.name}, Python {python.version}: {relative(rootfs)}")
            else:
                prepare_base(runner, base, arch, python, logs)
        times.lap("bases")
        print(f"\nPrefetched in {times.total() / 60:.1f} min: `make docker-test` needs no network.")
        return 0

    heading("Wheels, cross-built on the host")
    # One wheel per architecture and stage: its tags (py3-none, cp311-abi3) accept any Python
    # 3.11+, so every Python version's cells test the very same file.
    wheels = {(arch, stage): build_wheel(arch, stage, logs) for arch in arches for stage in stages}
    cells = [
        Cell(arch, python, stage, logs, wheel=wheels[arch, stage])
        for arch, python in pairs
        for stage in stages
    ]
    times.lap("wheels")

    heading("Test tools and runtime dependencies, as wheels for each architecture and Python")
    for arch, python in pairs:
        built = [wheels[arch, stage] for stage in stages if wheels[arch, stage]]
        fill_wheelhouse(arch, python, stages, built, logs)
    times.lap("wheelhouses")

    heading(f"Base {'images' if runner == 'docker' else 'root filesystems'}")
    bases = {pair: prepare_base(runner, base, *pair, logs) for pair in pairs}
    times.lap("bases")

    jobs = cell_jobs()
    heading("Matrix" + (f", {jobs} cells at a time" if jobs > 1 else ""))
    table = Table()

    def timed_cell(cell: Cell) -> Cell:
        if cell.wheel:
            cell_started = time.monotonic()
            run_cell(cell, runner, bases[cell.arch, cell.python])
            cell.seconds = time.monotonic() - cell_started
        return cell

    # A cell is mostly one single-threaded process (pip, pytest, a kernel; under QEMU, one host
    # thread), so on a machine with several cores, cells side by side finish sooner. Each has
    # its own container (or mount namespace), log and output folder; rows print as they finish.
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in as_completed([pool.submit(timed_cell, cell) for cell in cells]):
            table.row(done.result())
    times.lap("cells")

    heading("Summary")
    summary = table.summary(cells, arches, pythons, stages)
    summary += f"\nRunner: {runner_label(runner, base, pythons)}\n"
    summary += times.text(cells, arches)
    summary += f"Wall time: {times.total() / 60:.1f} min. Logs: {relative(logs)}\n"
    print(summary, end="")
    (logs / "matrix.txt").write_text(table.text + "\n" + summary)
    return 0 if all(cell.passed for cell in cells) else 1


def matrix_pairs(
    arches: list[Arch], pythons: list[Python], emulated_pythons: list[Python]
) -> list[tuple[Arch, Python]]:
    """The (architecture, Python) pairs to test: every Python natively, the chosen ones emulated."""
    return [
        (arch, python)
        for arch in arches
        for python in pythons
        if not arch.emulated or python in emulated_pythons
    ]


def pythons_of(arch: Arch, pairs: list[tuple[Arch, Python]]) -> str:
    return ", ".join(python.version for a, python in pairs if a == arch) or "none"


def cell_jobs() -> int:
    """How many cells run at once: JOBS (default 1). Each cell has a container of its own, or
    under the chroot runner a mount namespace with its own /tmp, /scratch and /out."""
    value = setting("JOBS", "1")
    if not value.isdigit() or int(value) < 1:
        raise Stop(f"JOBS={value}: expected a whole number of cells to run at once, 1 or more.")
    return int(value)
