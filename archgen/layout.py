"""Running Graphviz: the only place archgen spawns a process.

A blueprint is laid out once, by one ``dot -Tsvg`` run; every format and
every step view is derived from that SVG, so they all share one layout and
the cost of Graphviz is paid once.
"""

from __future__ import annotations

import shutil
import subprocess

INSTALL_HINT = (
    "Graphviz's `dot` was not found: install Graphviz "
    "(`apt-get install graphviz` or `brew install graphviz`) and make sure `dot` is on PATH"
)


class GraphvizError(Exception):
    """Graphviz could not produce a layout; the message says why in one line or a few."""


class GraphvizMissing(GraphvizError):
    """The `dot` program is not installed or not on PATH."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class GraphvizFailed(GraphvizError):
    """`dot` ran and failed; carries its exit code and what it wrote to stderr."""

    def __init__(self, returncode: int, stderr: str) -> None:
        self.returncode = returncode
        self.stderr = stderr
        detail = stderr.strip() or "no message"
        super().__init__(f"Graphviz `dot` failed (exit code {returncode}): {detail}")


def run_dot(source: str) -> str:
    """Lay out DOT source and return the SVG that `dot -Tsvg` writes."""
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizMissing()
    try:
        result = subprocess.run(
            [executable, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, check=False
        )
    except FileNotFoundError as error:
        raise GraphvizMissing() from error
    stderr = result.stderr.decode("utf-8", errors="replace")
    if result.returncode != 0 or not result.stdout.strip():
        raise GraphvizFailed(result.returncode, stderr)
    return result.stdout.decode("utf-8")
