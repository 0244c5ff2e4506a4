"""The notebooks' stored outputs are the lesson a reader sees on GitHub, before running anything:
they must not carry the paths of the machine that executed them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
# An absolute path into a home, a checkout or a temporary folder, as a machine would print it.
ABSOLUTE = re.compile(r"""(?:^|[\s'"(=:])(/(?:home|root|work|tmp|Users|opt|var|srv)/[^\s'")]+)""")


def output_texts(notebook: Path) -> list[str]:
    texts = []
    for cell in json.loads(notebook.read_text())["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain") or ""
            texts.append(text if isinstance(text, str) else "".join(text))
    return texts


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_carry_no_absolute_paths(notebook: Path) -> None:
    found = [match for text in output_texts(notebook) for match in ABSOLUTE.findall(text)]
    # A path the notebook shortened on purpose (/tmp/.../libforeign.so) names no machine.
    found = [path for path in found if "/.../" not in path]
    assert found == []
