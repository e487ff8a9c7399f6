"""The errors archgen raises, each carrying the exit code the command line ends with.

A caller of the Python API catches `ArchgenError` for everything archgen
reports on purpose; the command line handles each one in a single place,
prints its message and exits with its `exit_code`, as click's exceptions do:

>>> from pathlib import Path
>>> from archgen.errors import OutputError
>>> OutputError(Path("out/a.svg"), "Permission denied").exit_code
4

This module imports nothing of archgen's own, so every stage can raise these
errors, and the command line can catch them, without loading another stage
(a gallery with nothing to redraw never imports the layout).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archgen.diagnostics import Diagnostic

INSTALL_HINT = (
    "Graphviz's `dot` was not found: install Graphviz "
    "(`apt-get install graphviz` or `brew install graphviz`) and make sure `dot` is on PATH"
)


class ArchgenError(Exception):
    """Something archgen cannot do, said in one sentence; no traceback is needed to act on it."""

    exit_code = 1


class BlueprintError(ArchgenError):
    """One or more problems in the user's input, already sorted by place."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics), key=lambda d: (d.mark, d.message))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[BlueprintError], tuple[list[Diagnostic]]]:
        # Lets a worker process hand the error back whole to the gallery.
        return (type(self), (self.diagnostics,))


class UsageError(ArchgenError):
    """Options or arguments that cannot work together: every problem is reported at once."""

    exit_code = 2

    def __init__(self, *problems: str):
        self.problems = list(problems)
        super().__init__("\n".join(problems))


class GraphvizError(ArchgenError):
    """Graphviz could not produce a layout; the message says why in one line or a few."""

    exit_code = 3


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


class OutputError(ArchgenError):
    """An output could not be written (a full disk, a folder that is a file, no permission).

    Nothing already written is lost: outputs are written to a temporary file
    and moved into place, so the old file stays whole.
    """

    exit_code = 4

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")
