"""What a release publishes, read from the installed package: one version, the PyPI description
(absolute links, examples that run) and a stripped extension."""

from __future__ import annotations

import doctest
import importlib.metadata
import re
import struct
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import STAGE_DIR

import ferrojwt
from ferrojwt import _native

REPOSITORY = "https://github.com/rust-python-stages/rust-python-stages"
# A Markdown link or image target: `[text](target)`.
LINK = re.compile(r"\]\(([^)\s]+)")
# The examples on the PyPI page, in ```pycon blocks.
PYCON_BLOCK = re.compile(r"^```pycon\n(.*?)^```", re.MULTILINE | re.DOTALL)


def description() -> str:
    metadata = importlib.metadata.metadata("ferrojwt")
    assert metadata["Description-Content-Type"].startswith("text/markdown")
    text = metadata.json["description"]
    assert isinstance(text, str)
    return text


def test_one_version_from_cargo_toml() -> None:
    with (STAGE_DIR / "Cargo.toml").open("rb") as file:
        cargo = tomllib.load(file)["package"]["version"]
    with (STAGE_DIR / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert importlib.metadata.version("ferrojwt") == ferrojwt.ferrojwt_version == cargo


def test_description_is_pypi_md_with_absolute_links() -> None:
    text = description()
    targets = LINK.findall(text)
    assert targets, "the description links to the source and the security policy"
    relative = [t for t in targets if not t.startswith("https://")]
    assert relative == [], "links on PyPI must be absolute"
    # Line by line: a wheel built from a CRLF checkout carries the same text.
    assert text.strip().splitlines() == (STAGE_DIR / "PYPI.md").read_text().strip().splitlines()
    # Links into this repository point at files (and headings) that exist.
    for target in targets:
        if not target.startswith(f"{REPOSITORY}/blob/main/"):
            continue
        path, _, anchor = target.removeprefix(f"{REPOSITORY}/blob/main/").partition("#")
        local = STAGE_DIR / Path(path).relative_to("stages/v4-jwt")
        assert local.is_file(), target
        if anchor:
            headings = re.findall(r"^#+ (.+)$", local.read_text(), re.MULTILINE)
            assert anchor in {h.lower().replace(" ", "-") for h in headings}, target


def run_examples(source: str, name: str) -> doctest.TestResults:
    test = doctest.DocTestParser().get_doctest(source, {}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.summarize(verbose=False)


def test_description_examples_run() -> None:
    blocks = PYCON_BLOCK.findall(description())
    assert len(blocks) >= 2
    result = run_examples("".join(blocks), "PYPI.md")
    assert result.attempted > 0 and result.failed == 0


def test_first_example_runs_unchanged_on_pyjwt() -> None:
    """The usage example is PyJWT code: with `import jwt` it gives the same output."""
    pytest.importorskip("jwt")
    first = PYCON_BLOCK.findall(description())[0]
    assert ">>> import ferrojwt as jwt\n" in first
    result = run_examples(first.replace("import ferrojwt as jwt", "import jwt"), "PyJWT")
    assert result.attempted > 0 and result.failed == 0


def elf_section_names(path: Path) -> set[str]:
    """The section names of an ELF file, from its section header table."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", f"{path} is not ELF"
    order = {1: "<", 2: ">"}[data[5]]
    if data[4] == 2:  # ELFCLASS64
        (table,) = struct.unpack_from(f"{order}Q", data, 0x28)
        entry_size, count, names_index = struct.unpack_from(f"{order}HHH", data, 0x3A)
        entry = f"{order}IIQQQQIIQQ"
    else:  # ELFCLASS32
        (table,) = struct.unpack_from(f"{order}I", data, 0x20)
        entry_size, count, names_index = struct.unpack_from(f"{order}HHH", data, 0x2E)
        entry = f"{order}IIIIIIIIII"
    # Each entry: name (offset into the names section), type, flags, address, offset, size, ...
    sections = [struct.unpack_from(entry, data, table + i * entry_size) for i in range(count)]
    names_offset = sections[names_index][4]
    return {
        data[names_offset + s[0] : data.index(b"\0", names_offset + s[0])].decode()
        for s in sections
    }


@pytest.mark.release_build
@pytest.mark.skipif(
    sys.platform != "linux",
    reason="reads ELF section headers; macOS (Mach-O) and Windows (PE) extensions differ",
)
def test_extension_is_stripped() -> None:
    names = elf_section_names(Path(_native.__file__))
    # The sections a loadable library needs are there (so the parser read the right table)...
    assert {".text", ".dynsym", ".dynstr"} <= names
    # ...and nothing that only a debugger or a linker would read.
    assert ".symtab" not in names
    assert not {n for n in names if n.startswith((".debug", ".zdebug"))}
