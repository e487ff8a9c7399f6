"""Rendering the stale blueprints, on every core: one process per blueprint at a time.

A blueprint's failure, whatever it is, becomes diagnostics in its outcome, so
it never stops the others; each outcome says which exit code it calls for.
The process pool is imported only when there is more than one blueprint to
render and more than one worker to do it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.build import BuildOptions, build
from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import ArchgenError, BlueprintError
from archgen.model import Blueprint

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass
class Job:
    path: Path
    # The blueprint's path in the gallery's folder, as the cache and report name it.
    key: str
    blueprint: Blueprint


@dataclass
class Outcome:
    """What a worker did with one blueprint: the files it wrote, or why it could not."""

    written: list[str] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    # The `ArchgenError.exit_code` of the failure, 0 when there was none.
    exit_code: int = 0


def run_jobs(
    jobs: list[Job], out: Path, options: BuildOptions, workers: int | None
) -> Iterable[tuple[Job, Outcome]]:
    """Yield each job with what became of it, as they finish."""
    if not jobs:
        return
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if count == 1:
        for job in jobs:
            yield job, build_one(job.blueprint, out, options)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(max_workers=count)
    try:
        running: dict[Future, Job] = {
            pool.submit(build_one, j.blueprint, out, options): j for j in jobs
        }
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                job = running.pop(future)
                yield job, _outcome_of(future, job)
    finally:
        # After Ctrl-C, or when the caller stopped listening, the blueprints not yet
        # started are dropped: leaving waits only for the ones being rendered. (One
        # shutdown call: a second, as `with` makes, would undo the cancelling.)
        pool.shutdown(cancel_futures=True)


def _outcome_of(future: Future, job: Job) -> Outcome:
    """A worker killed from outside (out of memory, a signal) takes its pool down with it."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        died = ArchgenError("not rendered: a worker process died (out of memory?)")
        return _failed(job.blueprint, died)


def build_one(blueprint: Blueprint, out: Path, options: BuildOptions) -> Outcome:
    """Runs in a worker: one blueprint's failure must not stop the others."""
    try:
        written = build(blueprint, out, options)
    except BlueprintError as error:
        return Outcome(errors=error.diagnostics, exit_code=error.exit_code)
    except ArchgenError as error:  # Graphviz failing on it, an output that cannot be written
        return _failed(blueprint, error)
    return Outcome(written=sorted(p.relative_to(out).as_posix() for p in written))


def _failed(blueprint: Blueprint, error: ArchgenError) -> Outcome:
    """An error that names no place in the blueprint is reported at its first line."""
    diagnostic = Diagnostic(Mark(blueprint.source, 1, 1), str(error))
    return Outcome(errors=[diagnostic], exit_code=error.exit_code)
