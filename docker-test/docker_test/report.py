"""The report: the matrix printed row by row as cells finish, its summary, and the times."""

from __future__ import annotations

import time
from pathlib import Path

from .cells import Cell
from .common import Arch, Python, relative


class Table:
    """The matrix, one row per cell, printed as each cell finishes."""

    COLUMNS = "{:<6} {:<6} {:<12} {:<6} {:<9} {:<8} {:>8} {:>8} {:>9} {:>7}  {}"

    def __init__(self) -> None:
        names = ["arch", "python", "stage", "result", "uname -m", "python3", "install", "tests"]
        header = self.COLUMNS.format(*names, "notebook", "cell", "log")
        self.text = header
        print(header, flush=True)

    def row(self, cell: Cell) -> None:
        r = cell.result or {}
        result = "pass" if cell.passed else "FAIL"
        line = self.COLUMNS.format(
            cell.arch.name,
            cell.python.version,
            cell.stage.name,
            result,
            r.get("machine", "-"),
            r.get("python", "-"),
            seconds(r.get("install_seconds")),
            seconds(r.get("tests_seconds")),
            seconds(r.get("notebook_seconds")),
            f"{cell.seconds:.0f} s" if cell.seconds is not None else "-",
            relative(cell.log if cell.wheel else cell.build_log),
        )
        self.text += "\n" + line
        print(line, flush=True)

    def summary(
        self, cells: list[Cell], arches: list[Arch], pythons: list[Python], stages: list[Path]
    ) -> str:
        """Stage × (architecture, Python): pass, FAIL, or - for a pair not tested."""
        columns = [(arch, python) for arch in arches for python in pythons]
        lines = ["{:<12} ".format("") + " ".join(f"{a.name} {p.version:<5}" for a, p in columns)]
        for stage in stages:
            results = []
            for arch, python in columns:
                found = [c for c in cells if (c.arch, c.python, c.stage) == (arch, python, stage)]
                results.append(("pass" if found[0].passed else "FAIL") if found else "-")
            lines.append(f"{stage.name:<12} " + " ".join(f"{r:<11}" for r in results))
        if any(
            not any((c.arch, c.python) == column for c in cells) for column in columns
        ):  # EMULATED_PYTHONS left some out
            lines.append("(-: not tested, see EMULATED_PYTHONS)")
        return "\n".join(line.rstrip() for line in lines) + "\n"


class Times:
    """How long each phase took: what the CI budget is planned with."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.phases: dict[str, float] = {}

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        self.phases[phase] = now - self.last
        self.last = now

    def total(self) -> float:
        return time.monotonic() - self.started

    def text(self, cells: list[Cell], arches: list[Arch]) -> str:
        phases = ", ".join(f"{name} {value / 60:.1f}" for name, value in self.phases.items())
        per_arch = []
        for arch in arches:
            timed = [c.seconds for c in cells if c.arch == arch and c.seconds is not None]
            if timed:
                average = sum(timed) / len(timed)
                count = f"{len(timed)} cell{'s' if len(timed) != 1 else ''}"
                per_arch.append(f"{arch.name} {count}, {average:.0f} s on average")
        return f"Minutes: {phases}. Cells: {'; '.join(per_arch) or 'none'}.\n"


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"
