"""Rendering the stale blueprints, on every core: one process per blueprint at a time.

A blueprint's failure, whatever it is, becomes diagnostics in its outcome, so
it never stops the others; each outcome says which exit code it calls for. A
worker that dies holding a blueprint (killed, out of memory) fails only that
one, after one more try in a fresh worker. Worker processes, and the modules
that make them, come only when there is more than one blueprint to render and
more than one worker to do it.
"""

from __future__ import annotations

import os
import pickle
from collections import Counter, deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.build import BuildOptions, build
from archgen.diagnostics import Diagnostic
from archgen.errors import ArchgenError
from archgen.gallery.faults import NOT_RENDERED, failure
from archgen.model import Blueprint

if TYPE_CHECKING:
    from archgen.gallery.pool import Died, Parcel, Pool

# How many times a blueprint whose worker died is handed to a fresh one.
RETRIES_AFTER_A_DEATH = 1


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
) -> Generator[tuple[Job, Outcome], None, None]:
    """Yield each job with what became of it, as they finish. Closing the iterator
    (Ctrl-C, a caller that stopped listening) stops every worker before it returns."""
    if not jobs:
        return
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if count == 1:
        for job in jobs:
            yield job, build_one(job.blueprint, out, options)
        return
    from archgen.gallery.pool import Pool

    pool: Pool[Job, Outcome] = Pool(count, partial(build_parcel, out=out, options=options))
    try:
        yield from _run_in(pool, jobs)
    finally:
        pool.stop()


def _run_in(pool: Pool[Job, Outcome], jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
    from archgen.gallery.pool import Died  # here, not at the top: see the docstring

    waiting = deque(jobs)
    deaths: Counter[str] = Counter()
    while waiting or pool.busy:
        while waiting and not pool.full:
            job = waiting.popleft()
            try:
                pool.start(job, job.blueprint.source, job.blueprint)
            except Exception as error:  # it cannot be pickled: nested too deeply, say
                yield job, _failed(job.blueprint.source, error)
        for job, result in pool.finished():
            if isinstance(result, Died):
                deaths[job.key] += 1
                if deaths[job.key] <= RETRIES_AFTER_A_DEATH:
                    waiting.appendleft(job)
                    continue
                result = _died(job, result)
            yield job, result


def build_parcel(parcel: Parcel, out: Path, options: BuildOptions) -> Outcome:
    """Runs in a worker, on a blueprint as the parent pickled it."""
    source, payload = parcel
    try:
        blueprint = pickle.loads(payload)
    except Exception as error:
        return _failed(source, error)
    return build_one(blueprint, out, options)


def build_one(blueprint: Blueprint, out: Path, options: BuildOptions) -> Outcome:
    """One blueprint's failure, of whatever kind, must not stop the others."""
    try:
        written = build(blueprint, out, options)
    except Exception as error:
        return _failed(blueprint.source, error)
    return Outcome(written=sorted(p.relative_to(out).as_posix() for p in written))


def _failed(source: Path, error: Exception) -> Outcome:
    errors, exit_code = failure(source, error)
    return Outcome(errors=errors, exit_code=exit_code)


def _died(job: Job, death: Died) -> Outcome:
    tries = RETRIES_AFTER_A_DEATH + 1
    error = ArchgenError(
        f"{NOT_RENDERED}a worker process died rendering it, {tries} times ({death}; out of memory?)"
    )
    return _failed(job.blueprint.source, error)
