"""Any failure of one blueprint, said in one line at the blueprint's file.

A gallery must go on past whatever one blueprint does to it: an error archgen
raises on purpose, but also a path the operating system refuses, a structure
nested past Python's recursion limit, or memory running out. Each becomes the
diagnostics of that blueprint and the exit code they call for, so that the run
reports it, keeps the blueprint's earlier card and renders the others.
"""

from __future__ import annotations

from pathlib import Path

from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import ArchgenError, BlueprintError

# What a failure archgen did not raise on purpose means to the user, by its type.
EXPLANATIONS: tuple[tuple[type[BaseException], str], ...] = (
    (RecursionError, "nested too deeply to render (past Python's recursion limit)"),
    (MemoryError, "out of memory"),
)
# A reason shown on a blueprint's card is cut at this many characters.
REASON_MAX = 200
# How a failure that names no place in the blueprint begins.
NOT_RENDERED = "not rendered: "


def failure(source: Path, error: Exception) -> tuple[list[Diagnostic], int]:
    """The diagnostics and exit code of `error`, raised while handling the blueprint at
    `source`: at their own places when archgen knew them, else at its first line.

    >>> [diagnostic], code = failure(Path("a.yaml"), RecursionError("maximum depth"))
    >>> str(diagnostic), code
    ("a.yaml:1:1: error: not rendered: nested too deeply to render (past Python's recursion limit)", 1)
    """
    if isinstance(error, BlueprintError):
        return error.diagnostics, error.exit_code
    exit_code = error.exit_code if isinstance(error, ArchgenError) else ArchgenError.exit_code
    return [Diagnostic(Mark(source, 1, 1), explain(error))], exit_code


def explain(error: Exception) -> str:
    """One line: an ArchgenError says what went wrong itself; any other failure is
    named by what it means, or by its type and text.

    >>> explain(OSError(36, "File name too long", "a" * 300 + ".yaml"))[:46]
    'not rendered: File name too long: aaaaaaaaaaaa'
    """
    if isinstance(error, ArchgenError):
        return one_line(str(error))
    meaning = next((words for kind, words in EXPLANATIONS if isinstance(error, kind)), None)
    if meaning is None and isinstance(error, OSError) and error.strerror:
        meaning = f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return one_line(NOT_RENDERED + (meaning or f"{type(error).__name__}: {error}"))


def one_line(text: str) -> str:
    """`text` with its lines, and the runs of spaces between its words, joined by one space.

    >>> one_line("Graphviz failed:\\n  trouble in init_rank")
    'Graphviz failed: trouble in init_rank'
    """
    return " ".join(text.split())


def stale_reason(message: str) -> str:
    """Why a card was not updated, from the message of its blueprint's failure: one line
    of at most REASON_MAX characters.

    >>> stale_reason("not rendered: out of memory")
    'out of memory'
    >>> len(stale_reason("no space " * 100))
    200
    """
    flat = one_line(message.removeprefix(NOT_RENDERED))
    return flat if len(flat) <= REASON_MAX else flat[: REASON_MAX - 1] + "…"
