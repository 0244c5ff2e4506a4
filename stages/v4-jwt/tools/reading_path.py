"""The README's reading path: each file's line count as written, and the whole under 800 lines.

    python tools/reading_path.py            check the figures (make lint runs it)
    python tools/reading_path.py --write    rewrite them in the README from the files

The figures describe the stage as shipped: the exercises add code to these files, so the check
belongs with the linters, which look at the shipped stage, not with the tests, which must pass
on a learner's solved stage too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

STAGE = Path(__file__).resolve().parent.parent
README = STAGE / "README.md"
BEGIN, END = "<!-- reading-path:begin -->", "<!-- reading-path:end -->"
#: The most a learner is asked to read, Rust and Python together.
BUDGET = 800
STEP = re.compile(r"^\| (\d+) \| \[`([^`]+)`\]\(([^)]+)\) \| (\d+) \|")
TOTAL = re.compile(r"^\| \| total \| (\d+) \|")


def non_test_lines(path: Path) -> int:
    """Lines of `path`, comments and blank lines included, minus a Rust file's
    ``#[cfg(test)] mod tests { ... }`` blocks (the test files are not on the path at all)."""
    lines = path.read_text().splitlines()
    if path.suffix != ".rs":
        return len(lines)
    kept, index = 0, 0
    while index < len(lines):
        if lines[index].strip() == "#[cfg(test)]" and lines[index + 1].startswith("mod tests"):
            depth, index = 0, index + 1
            while True:
                depth += lines[index].count("{") - lines[index].count("}")
                index += 1
                if depth == 0:
                    break
            continue
        kept += 1
        index += 1
    return kept


def reading_path(text: str) -> tuple[list[tuple[str, int]], int]:
    """The files of the README's table with the counts written there, and the written total."""
    table = text[text.index(BEGIN) : text.index(END)].splitlines()
    steps = [(match[2], int(match[4])) for line in table if (match := STEP.match(line))]
    links = [match[3] for line in table if (match := STEP.match(line))]
    assert links == [name for name, _ in steps], "each file links to itself"
    (total,) = [int(match[1]) for line in table if (match := TOTAL.match(line))]
    return steps, total


def check_counts() -> None:
    steps, total = reading_path(README.read_text())
    assert steps, "the README has a reading path"
    measured = [(name, non_test_lines(STAGE / name)) for name, _ in steps]
    assert steps == measured, "stale figures: run `python tools/reading_path.py --write`"
    assert total == sum(count for _, count in measured)


def check_budget() -> None:
    steps, _ = reading_path(README.read_text())
    assert sum(non_test_lines(STAGE / name) for name, _ in steps) <= BUDGET


def check_counter() -> None:
    keys = STAGE / "src" / "keys.rs"
    text = keys.read_text()
    assert "#[cfg(test)]\nmod tests {" in text
    assert non_test_lines(keys) == text[: text.index("#[cfg(test)]")].count("\n")
    error = STAGE / "src" / "error.rs"
    assert non_test_lines(error) == len(error.read_text().splitlines())


def write() -> None:
    """Rewrite the counts and the total in the README's table from the files."""
    text = README.read_text()
    start, end = text.index(BEGIN), text.index(END)
    total = 0

    def count(match: re.Match[str]) -> str:
        nonlocal total
        lines = non_test_lines(STAGE / match[2])
        total += lines
        return f"| {match[1]} | [`{match[2]}`]({match[3]}) | {lines} |"

    lines = [STEP.sub(count, line) for line in text[start:end].split("\n")]
    table = "\n".join(TOTAL.sub(f"| | total | {total} |", line) for line in lines)
    README.write_text(text[:start] + table + text[end:])
    print(f"reading path: {total} lines (budget {BUDGET})")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    elif sys.argv[1:]:
        sys.exit(__doc__)
    else:
        check_counter()
        check_counts()
        check_budget()
        print(f"reading path: {reading_path(README.read_text())[1]} lines (budget {BUDGET})")
