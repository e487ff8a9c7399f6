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
    """Graphviz could not produce a layout; the message says why in one line.

    `output` keeps everything Graphviz wrote on stderr, however long, for a log
    file or the command line's ``--verbose``; `log` is where it was written.
    """

    exit_code = 3
    output = ""
    log: Path | None = None

    def about(self, subject: str, log: Path | None = None) -> GraphvizError:
        """This error naming `subject` as what could not be laid out, and the `log` file
        that holds Graphviz's full output. An error with nothing to add is kept as it is."""
        return self


class GraphvizMissing(GraphvizError):
    """The `dot` program is not installed or not on PATH."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


# Graphviz's error -> what a user can change. Ranking fails when flows between
# clusters ask for ranks no order satisfies; routing when an edge is clipped at
# a cluster border it cannot reach.
GRAPHVIZ_HINTS: dict[str, str] = {
    "init_rank": "fewer flows to or from groups, or less nesting, let Graphviz rank them",
    "lost ": "a flow to one of the group's components, not to the group, lets Graphviz route it",
}
DEFAULT_HINT = "the full output names what Graphviz stumbled on"
BAD_OUTPUT_HINT = "check that the `dot` on PATH is Graphviz's (`dot -V`)"


def first_message(stderr: str) -> str:
    """Graphviz's first error line, without its "Error:" prefix; else its first line that
    is not a warning; else its first line at all. Warnings often come first, by the hundred.

    >>> first_message("Warning: a -> a: tail is inside head cluster\\nError: trouble in init_rank")
    'trouble in init_rank'
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error:")]
    others = [line for line in lines if not line.lower().startswith("warning:")]
    chosen = (errors or others or lines or [""])[0]
    return chosen.split(":", 1)[1].strip() if chosen in errors else chosen


def one_line(reason: str, hint: str, log: Path | None) -> str:
    """A Graphviz error as one line: what went wrong, what to change, where the rest is."""
    where = f"; Graphviz's full output is in {log}" if log else ""
    return f"{reason}; hint: {hint}{where}"


class GraphvizFailed(GraphvizError):
    """`dot` ran and failed; carries its exit code and everything it wrote to stderr."""

    def __init__(
        self, returncode: int, stderr: str, subject: str = "the diagram", log: Path | None = None
    ) -> None:
        self.returncode = returncode
        self.stderr = self.output = stderr
        self.log = log
        said = first_message(stderr) or f"`dot` exited with code {returncode} and no message"
        hint = next((h for key, h in GRAPHVIZ_HINTS.items() if key in said), DEFAULT_HINT)
        super().__init__(one_line(f"Graphviz could not lay out {subject}: {said}", hint, log))

    def about(self, subject: str, log: Path | None = None) -> GraphvizFailed:
        return GraphvizFailed(self.returncode, self.stderr, subject, log)


class GraphvizTimeout(GraphvizError):
    """`dot` ran past its deadline and was stopped."""

    def __init__(self, seconds: float, setting: str, subject: str = "the diagram") -> None:
        self.seconds, self.setting = seconds, setting
        hint = f"split the blueprint, or allow longer with {setting}=<seconds>"
        super().__init__(
            one_line(f"Graphviz could not lay out {subject} within {seconds:g} s", hint, None)
        )

    def about(self, subject: str, log: Path | None = None) -> GraphvizTimeout:
        return GraphvizTimeout(self.seconds, self.setting, subject)


class GraphvizBadOutput(GraphvizError):
    """`dot` wrote something other than one whole SVG document: too much, nothing, half a
    file or garbage. Said so, never passed on to a stage that would choke on it."""

    def __init__(
        self, what: str, stderr: str, subject: str = "the diagram", log: Path | None = None
    ) -> None:
        self.what = what
        self.output = stderr
        self.log = log
        reason = f"Graphviz's output for {subject} is {what}"
        super().__init__(one_line(reason, BAD_OUTPUT_HINT, log))

    def about(self, subject: str, log: Path | None = None) -> GraphvizBadOutput:
        return GraphvizBadOutput(self.what, self.output, subject, log)


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
