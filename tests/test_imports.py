"""What the light commands import.

`archgen validate` and a gallery run with nothing to redraw must not load
what only rendering needs; how long they take is the benchmark's business
(bench/run.py, section 6), what they import is checked here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from archgen.cli import EXIT_OK, main

SPEC_EXAMPLE = Path(__file__).parent / "data" / "valid" / "spec-example.yaml"
# Only rendering needs these: templates, Markdown, rasterizing, icon pictures, Graphviz,
# the design review of each page, the worker processes, and temporary files to write in.
RENDERING_MODULES = (
    "jinja2",
    "markdown_it",
    "resvg",
    "PIL",
    "diagrams",
    "archgen.layout.search",
    "archgen.layout.graphviz",
    "archgen.render.diagrams",
    "archgen.narrate.narrative",
    "archgen.review.engine",
    "archgen.review.rules",
    "archgen.gallery.workers",
    "multiprocessing",
    "subprocess",
    "tempfile",
)
# Runs the command line in a fresh process, then prints which RENDERING_MODULES it imported.
IMPORTS_AFTER = """\
import json, sys
from archgen.cli import main
status = main(sys.argv[1:])
print(json.dumps([status, sorted(set(sys.modules) & set({modules!r}))]))
"""


def imported_after(*args: str) -> list[str]:
    """The rendering modules a fresh process has imported after `archgen ARGS` succeeded."""
    completed = subprocess.run(
        [sys.executable, "-c", IMPORTS_AFTER.format(modules=RENDERING_MODULES), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    status, modules = json.loads(completed.stdout.splitlines()[-1])
    assert status == EXIT_OK, completed.stderr
    return modules


def test_validate_imports_nothing_only_rendering_needs() -> None:
    assert imported_after("validate", str(SPEC_EXAMPLE)) == []


def test_a_gallery_with_nothing_to_redraw_imports_nothing_only_rendering_needs(
    tmp_path: Path,
) -> None:
    folder, out = tmp_path / "blueprints", tmp_path / "out"
    folder.mkdir()
    shutil.copy(SPEC_EXAMPLE, folder)
    args = ["gallery", str(folder), "-o", str(out), "--format", "svg", "--no-steps", "-q"]
    assert main(args) == EXIT_OK
    assert imported_after(*args) == []
