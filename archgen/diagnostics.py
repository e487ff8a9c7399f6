"""Errors that point at a place in a blueprint.

Every problem a user can cause is reported as a ``Diagnostic`` carrying the
file, line and column it concerns, so that the command line can print it in
the ``file:line:col: message`` form editors and terminals understand. A stage
collects diagnostics instead of stopping at the first one, then raises a single
``BlueprintError`` holding all of them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from archgen.errors import BlueprintError


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column in a file."""

    file: Path
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """An error stops a blueprint; a warning points at something that is valid but
    probably not what the author meant, such as text YAML read as a comment."""

    mark: Mark
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        text = f"{self.mark}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class Collector:
    """Gathers diagnostics so one run reports every error of a file."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, mark: Mark, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(mark, message, hint))

    def warning(self, mark: Mark, message: str, hint: str = "") -> None:
        self.warnings.append(Diagnostic(mark, message, hint, severity="warning"))

    def raise_if_any(self) -> None:
        """Errors stop the file; its warnings are reported with them, in line order."""
        if self.diagnostics:
            raise BlueprintError([*self.diagnostics, *self.warnings])


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean' hint, or '' when nothing is close enough to help."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def one_of(choices: Iterable[str]) -> str:
    """A hint listing the allowed values, for short closed sets."""
    return "expected one of: " + ", ".join(sorted(choices))
