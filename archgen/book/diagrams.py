"""The book's diagrams: every case study's SVGs, rendered into the book's build folder.

They are drawn as the gallery draws them (`archgen.build`, on every core
through the gallery's workers): the overview and one view per step, SVG
only, as Typst embeds SVG as vector drawing. A failure of any blueprint
stops the book, raised as the error it was, so the command line ends with
that error's exit code.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from archgen.build import BuildOptions
from archgen.diagnostics import Diagnostic
from archgen.errors import ArchgenError, BlueprintError, GraphvizError, GraphvizMissing, OutputError
from archgen.gallery import Progress
from archgen.gallery.workers import Job, Outcome, run_jobs
from archgen.model import Blueprint


def render_diagrams(
    blueprints: Sequence[Blueprint],
    folder: Path,
    *,
    flavor: str | None = None,
    jobs: int | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> None:
    """Write `folder/ID/ID.svg` and `folder/ID/step-N-NAME.svg` for every blueprint."""
    if blueprints and shutil.which("dot") is None:
        raise GraphvizMissing()
    notify = progress or (lambda _progress: None)
    options = BuildOptions(formats=("svg",), flavor=flavor, narrative=False)
    pending = [Job(blueprint.source, blueprint.id, blueprint) for blueprint in blueprints]
    failed: list[Outcome] = []
    notify(Progress(0, len(pending)))
    for done, (job, outcome) in enumerate(run_jobs(pending, folder, options, jobs), 1):
        if outcome.errors:
            failed.append(outcome)
        notify(Progress(done, len(pending), job.key))
    if failed:
        raise _failure(failed, folder)


def _failure(failed: Sequence[Outcome], folder: Path) -> ArchgenError:
    """One error for every failed blueprint, of the kind of the worst: an invalid
    blueprint (1), Graphviz failing (3) or a diagram that could not be written (4)."""
    diagnostics: list[Diagnostic] = [d for outcome in failed for d in outcome.errors]
    worst = max(outcome.exit_code for outcome in failed)
    message = "\n".join(str(d) for d in diagnostics)
    if worst == GraphvizError.exit_code:
        return GraphvizError(message)
    if worst == OutputError.exit_code:
        return OutputError(folder, message)
    return BlueprintError(diagnostics)
