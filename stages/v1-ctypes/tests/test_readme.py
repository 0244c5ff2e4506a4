"""The README's `make 1 run` block is what example.py prints, not a copy that drifts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

STAGE_DIR = Path(__file__).resolve().parent.parent


def test_readme_shows_what_make_run_prints() -> None:
    readme = (STAGE_DIR / "README.md").read_text()
    block = re.search(r"```console\n\$ make stage-1 run\n(.*?)```", readme, re.DOTALL)
    assert block is not None, "README.md has no `make stage-1 run` block"
    run = subprocess.run(
        [sys.executable, "example.py"], cwd=STAGE_DIR, capture_output=True, text=True, check=True
    )
    *shown, shown_library = block.group(1).splitlines()
    *printed, printed_library = run.stdout.splitlines()
    assert printed == shown
    # The library's file name names the Python and platform that built the wheel: the README
    # shows this machine's, so only its shape is compared.
    pattern = r"loaded from libhello_ctypes[\w.-]*\.(so|dylib|dll|pyd)"
    assert re.fullmatch(pattern, shown_library)
    assert re.fullmatch(pattern, printed_library)
