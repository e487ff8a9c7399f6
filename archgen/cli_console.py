"""What the command line shows on the terminal: errors.

Only the command line imports this module: the library reports through
exceptions and diagnostics, and leaves the words on screen to this one place.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from archgen.diagnostics import Diagnostic
from archgen.errors import ArchgenError, BlueprintError, UsageError


def print_error(error: ArchgenError) -> None:
    """An error as `file:line:col: error: ...` lines when it has places, else as
    `archgen: error: ...` lines, one per problem."""
    if isinstance(error, BlueprintError):
        print_diagnostics(error.diagnostics)
        return
    problems = error.problems if isinstance(error, UsageError) else [str(error)]
    for problem in problems:
        print(f"archgen: error: {problem}", file=sys.stderr)


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """Errors and warnings as `file:line:col: severity: message` lines on stderr."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
