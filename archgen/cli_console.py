"""What the command line shows on the terminal: errors, a gallery's progress and summary.

Only the command line imports this module: the library reports through
exceptions, diagnostics and a progress callback, and leaves the words and
the layout on screen to this one place. Progress goes to stderr, so that
stdout carries only results: a rich progress bar when stderr is a terminal
(rich is imported then and only then: it costs more than a gallery run with
nothing to redraw), one plain line per blueprint when it is not.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from archgen.diagnostics import Diagnostic
from archgen.errors import ArchgenError, BlueprintError, UsageError

if TYPE_CHECKING:
    from rich.progress import Progress as Bar

    from archgen.gallery import GalleryReport, Progress

ShowProgress = Callable[["Progress"], None]


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


@contextmanager
def gallery_progress(quiet: bool) -> Iterator[ShowProgress]:
    """The callback that shows a gallery's progress on stderr, for as long as the run lasts."""
    if quiet:
        yield lambda _progress: None
    elif sys.stderr.isatty():
        bar = _ProgressBar()
        try:
            yield _waiting_line(bar.show)
        finally:
            bar.close()
    else:
        yield _waiting_line(_progress_lines(sys.stderr))


def _waiting_line(show: ShowProgress) -> ShowProgress:
    """`show`, and one line when the run waits for another one, lest it seem to hang."""

    def show_or_wait(progress: Progress) -> None:
        if progress.waiting:
            print(
                "archgen: waiting for another gallery run into this folder to finish",
                file=sys.stderr,
            )
        else:
            show(progress)

    return show_or_wait


def _progress_lines(stream: TextIO) -> ShowProgress:
    """One line per finished blueprint, with the time since the run began: a log's view."""
    started = time.monotonic()

    def show(progress: Progress) -> None:
        if not progress.last:
            if progress.total:
                stream.write(f"rendering {count(progress.total, 'blueprint')}\n")
            return
        elapsed = time.monotonic() - started
        stream.write(f"[{progress.done}/{progress.total}] {progress.last} ({elapsed:.1f}s)\n")
        stream.flush()

    return show


class _ProgressBar:
    """A rich progress bar, started at the first blueprint to render: a run with nothing
    to redraw shows none."""

    def __init__(self) -> None:
        self.bar: Bar | None = None

    def show(self, progress: Progress) -> None:
        if self.bar is None:
            if not progress.total:
                return
            self.bar = _start_bar(progress.total)
        self.bar.update(self.bar.task_ids[0], completed=progress.done, current=progress.last)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _start_bar(total: int) -> Bar:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("rendering"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=Console(stderr=True),
    )
    bar.add_task("gallery", total=total, current="")
    bar.start()
    return bar


def summary_line(report: GalleryReport, out: Path) -> str:
    parts = [f"{len(report.rendered)} rendered", f"{len(report.unchanged)} unchanged"]
    if report.errors:
        parts.append(count(len(report.errors), "error"))
    return f"gallery: {', '.join(parts)}; index at {out / 'index.html'}"


def count(number: int, noun: str) -> str:
    """`1 card`, `2 cards`: every command's summary counts the same way."""
    return f"{number} {noun}{'s' if number != 1 else ''}"


def add_command(
    commands: argparse._SubParsersAction,
    name: str,
    help_text: str,
    run: Callable[[argparse.Namespace], int],
    epilog: str = "",
) -> argparse.ArgumentParser:
    """A subcommand that runs `run`; an epilog keeps its own line breaks (examples)."""
    sub = commands.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=epilog or None,
        formatter_class=argparse.RawDescriptionHelpFormatter if epilog else argparse.HelpFormatter,
    )
    sub.set_defaults(run=run)
    return sub
